"""Newton's method and L-BFGS (issue #16 item 4): hand derivations, numpy's solver, torch.optim.LBFGS."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import optim, surfaces
from optilab.messages import OptilabError
from optilab.optim.lbfgs import two_loop
from optilab.optim.line_search import C1, C2, strong_wolfe
from optilab.optim.newton import curvature_kind, eigenvalues
from optilab.trajectory import run


@pytest.mark.parametrize("a,b,c", [(2.0, 0.0, -2.0), (802.0, -400.0, 200.0), (1.0, 0.0, 1e-4), (3.0, 1.0, 3.0),
                                   (1e4, 0.0, 1.0), (0.0, 0.0, 0.0), (-1.0, 2.0, 0.5)])
def test_eigenvalues_of_a_symmetric_2x2_match_numpy(a, b, c):
    lo, hi = eigenvalues(a, b, c)
    np.testing.assert_allclose([lo, hi], np.linalg.eigvalsh([[a, b], [b, c]]), rtol=1e-13, atol=1e-300)


def test_curvature_kinds():
    assert curvature_kind(0.05, 5.0) == "positive"
    assert curvature_kind(-2.0, 2.0) == "indefinite"
    assert curvature_kind(0.0, 2.0) == "singular"
    assert curvature_kind(0.0, 0.0) == "singular"
    assert curvature_kind(1e-13, 1.0) == "singular" and curvature_kind(1e-11, 1.0) == "positive"
    assert curvature_kind(math.nan, 1.0) == "singular"


def test_a_newton_step_on_rosenbrock_is_numpys_solve():
    s = surfaces.get("rosenbrock")
    t = run(s, "newton", start=(-1.5, 2.0), steps=1)
    x0 = np.array([-1.5, 2.0])
    # f_xx = 2 − 400y + 1200x², f_xy = −400x, f_yy = 200 written out, not read from the surface.
    H = np.array([[2 - 400 * 2.0 + 1200 * 2.25, 600.0], [600.0, 200.0]])
    g = np.array([-2 * (1 + 1.5) - 400 * -1.5 * (2.0 - 2.25), 200 * (2.0 - 2.25)])
    np.testing.assert_allclose([t.x[1], t.y[1]], x0 - np.linalg.solve(H, g), rtol=1e-14)
    np.testing.assert_array_equal(t.state["hx"][1], H[0])
    np.testing.assert_array_equal(t.state["hy"][1], H[1])


def test_damped_newton_solves_h_plus_delta_i_and_scales_by_eta():
    s = surfaces.get("himmelblau")
    t = run(s, "newton", {"lr": 0.5, "damping": 3.0}, start=(1.0, 1.0), steps=1)
    # a = x² + y − 11 = −9, b = x + y² − 7 = −5: H = [[4a + 8x² + 2, 4(x + y)], [4(x + y), 2 + 4b + 8y²]].
    H = np.array([[-36 + 8 + 2, 8.0], [8.0, 2 - 20 + 8]])
    g = np.array([4 * -9 + 2 * -5, 2 * -9 + 4 * -5])
    expected = np.array([1.0, 1.0]) - 0.5 * np.linalg.solve(H + 3.0 * np.eye(2), g)
    np.testing.assert_allclose([t.x[1], t.y[1]], expected, rtol=1e-14)
    lines = t.step_lines(1)
    # λ = m ∓ r with m = −18, r = √(8² + 8²) = 8√2: −29.31 and −6.686.
    assert lines[0] == "H = ∇²f(x) = [[-26, 8], [8, -10]], eigenvalues λ = (-29.31, -6.686)"
    assert lines[1].startswith("H + δI = [[-23, 8], [8, -7]]")
    assert lines[-1].startswith("x ← x − η d = (1, 1) − 0.5·")
    assert t.step_note(1).code == "optim.newton_indefinite"   # both eigenvalues + δ are still < 0


def test_a_singular_hessian_takes_no_step_and_says_so():
    # f = x² + y: H = [[2, 0], [0, 0]] everywhere.
    t = run(surfaces.parse("x**2 + y"), "newton", start=(1.0, 2.0), steps=3)
    assert t.status == "ok" and np.all(t.x == 1.0) and np.all(t.y == 2.0)
    note = t.step_note(1)
    assert note.code == "optim.newton_singular" and "\n" not in str(note)
    assert t.notes()["optim.newton_singular"][:2] == (1, 3)
    assert "no unique d: no step" in t.step_lines(2)[-2]
    # The monkey saddle's Hessian vanishes at the origin.
    assert run(surfaces.get("monkey-saddle"), "newton", start=(0.0, 0.0), steps=1).step_note(1).code \
        == "optim.newton_singular"


def test_an_indefinite_hessian_is_reported_and_the_step_still_taken():
    t = run(surfaces.get("saddle"), "newton", start=(-1.5, 1e-3), steps=2)
    np.testing.assert_array_equal([t.x[1], t.y[1]], [0.0, 0.0])      # x − H⁻¹g = x − x: the saddle point
    assert t.step_note(1).code == "optim.newton_indefinite"
    assert "eigenvalue -2 < 0" in str(t.step_note(1))


def test_newton_and_lbfgs_refuse_a_network_in_one_line():
    for name in ("newton", "lbfgs"):
        opt = optim.create(name)
        with pytest.raises(OptilabError, match="not on a network") as info:
            opt.step({"W": np.ones((2, 3))}, {"W": np.ones((2, 3))})
        assert "\n" not in str(info.value)
        assert name not in optim.names(network=True)


def test_the_two_loop_recursion_with_one_pair_is_the_bfgs_inverse_update():
    rng = np.random.default_rng(4)
    s, y, g = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3)
    y += s * (1.0 - float(s @ y))   # make yᵀs > 0
    rho, gamma = 1.0 / float(y @ s), float(s @ y) / float(y @ y)
    # N&W eq. 6.17 with H₀ = γI: H = (I − ρ s yᵀ) H₀ (I − ρ y sᵀ) + ρ s sᵀ.
    eye = np.eye(3)
    H = (eye - rho * np.outer(s, y)) @ (gamma * eye) @ (eye - rho * np.outer(y, s)) + rho * np.outer(s, s)
    np.testing.assert_allclose(two_loop(g, [(s, y, rho)], gamma), -H @ g, rtol=1e-13)
    np.testing.assert_array_equal(two_loop(g, [], 1.0), -g)


def test_the_line_search_returns_a_step_satisfying_the_strong_wolfe_conditions():
    s = surfaces.get("rosenbrock")
    x0 = np.array([-1.5, 2.0])
    g0 = np.array(s.grad(*x0))
    d = -g0

    def phi(a):
        p = x0 + a * d
        return float(s.f(*p)), np.array(s.grad(*p))

    for trial in (1.0, 1e-3, 1e-6):     # too long, about right, far too short
        alpha, f, g, evals = strong_wolfe(phi, d, trial, float(s.f(*x0)), g0)
        assert f <= s.f(*x0) + C1 * alpha * float(g0 @ d)
        assert abs(float(g @ d)) <= C2 * abs(float(g0 @ d))
        assert 1 <= evals <= 25


def test_lbfgs_records_its_direction_step_length_and_evaluations():
    t = run(surfaces.get("rosenbrock"), "lbfgs", start=(-1.5, 2.0), steps=5)
    for k in range(1, 6):
        alpha, evals = t.state["ls"][k]
        np.testing.assert_allclose([t.x[k] - t.x[k - 1], t.y[k] - t.y[k - 1]], alpha * t.state["d"][k], rtol=1e-9)
        assert evals >= 1 and evals == int(evals)
    np.testing.assert_array_equal(t.state["d"][1], -t.grad[0])     # no pairs yet: d = −g
    assert t.step_lines(2)[1].startswith("strong Wolfe line search: α = ")


# -- against torch.optim.LBFGS (optional) -------------------------------------------------

def _torch_point(surface, start, iterations):
    """torch.optim.LBFGS(line_search_fn="strong_wolfe"), float64, after ``iterations`` iterations."""
    torch = pytest.importorskip("torch")
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([p], lr=1.0, history_size=10, max_iter=iterations, max_eval=25 * iterations,
                            tolerance_grad=0.0, tolerance_change=0.0, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        x, y = (float(v) for v in p.detach())
        p.grad = torch.tensor(surface.grad(x, y), dtype=torch.float64)
        return torch.tensor(surface.f(x, y), dtype=torch.float64)

    opt.step(closure)
    return p.detach().numpy().copy(), opt.state[p]["func_evals"]


@pytest.mark.parametrize("name, start, iterations", [("ill-conditioned", (-4.0, 3.0), 13),
                                                     ("rosenbrock", (-1.5, 2.0), 41)])
def test_lbfgs_reaches_the_minimum_like_torch(name, start, iterations):
    pytest.importorskip("torch")
    s = surfaces.get(name)
    xstar = np.array(s.minima[0])
    t = run(s, "lbfgs", start=start, steps=iterations + 5)
    ours = np.column_stack([t.x, t.y])
    dist = np.linalg.norm(ours - xstar, axis=1)
    ours_first = int(np.argmax(dist < 1e-8))
    assert ours_first == iterations                       # measured: 13 and 41 iterations
    theirs, evals = _torch_point(s, start, iterations)
    before, _ = _torch_point(s, start, iterations - 1)
    assert np.linalg.norm(theirs - xstar) < 1e-8 <= np.linalg.norm(before - xstar)   # torch: the same count
    # The same algorithm: the points agree to 1e-9 (measured ≤ 2.2e-10 on Rosenbrock, 3e-15 on the quadratic),
    # and torch's evaluations are ours plus the one it makes at the start.
    np.testing.assert_allclose(theirs, ours[iterations], atol=1e-9)
    for k in (1, 5, iterations // 2):
        np.testing.assert_allclose(_torch_point(s, start, k)[0], ours[k], atol=1e-9)
    assert evals == int(t.state["ls"][1:iterations + 1, 1].sum()) + 1


def test_a_run_config_naming_newton_is_refused_when_made_not_at_its_first_step():
    """A scenario file or a script that trains with Newton fails where the config is made, in one line."""
    from optilab.messages import OptilabError
    from optilab.training import RunConfig

    for name in ("newton", "lbfgs"):
        with pytest.raises(OptilabError, match=f"^{name} needs the loss itself") as info:
            RunConfig(optimizer=name)
        assert "\n" not in str(info.value)
