"""Exact Hessians of the surfaces (issue #16 item 4): closed forms, and central differences of the gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import surfaces

BUILTIN = surfaces.names()


def central_hessian(surface, x: float, y: float, h: float = 1e-5) -> np.ndarray:
    """[[∂g_x/∂x, ∂g_x/∂y], [∂g_y/∂x, ∂g_y/∂y]] by central differences of the analytic gradient."""
    gxp, gxm = np.array(surface.grad(x + h, y)), np.array(surface.grad(x - h, y))
    gyp, gym = np.array(surface.grad(x, y + h)), np.array(surface.grad(x, y - h))
    return np.column_stack([(gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)])


def sample_points(surface, n: int = 12) -> list[tuple[float, float]]:
    rng = np.random.default_rng(1)
    xmin, xmax, ymin, ymax = surface.domain
    pts = [(float(rng.uniform(xmin, xmax)), float(rng.uniform(ymin, ymax))) for _ in range(n)]
    return [surface.start, *pts]


@pytest.mark.parametrize("name", BUILTIN)
def test_every_builtin_hessian_matches_central_differences_of_its_gradient(name):
    surface = surfaces.get(name)
    assert surface.has_hessian
    for x, y in sample_points(surface):
        exact = surface.hessian(x, y)
        numeric = central_hessian(surface, x, y)
        assert exact.shape == (2, 2) and exact[0, 1] == exact[1, 0]
        scale = max(1.0, float(np.abs(numeric).max()))
        np.testing.assert_allclose(exact, numeric, atol=2e-5 * scale, rtol=1e-5, err_msg=f"{name} at {(x, y)}")


def test_quadratic_hessians_are_their_closed_forms():
    np.testing.assert_array_equal(surfaces.get("bowl").hessian(3.0, -2.0), [[0.1, 0.0], [0.0, 2.0]])
    np.testing.assert_array_equal(surfaces.get("booth").hessian(0.5, 7.0), [[10.0, 8.0], [8.0, 10.0]])
    # The rotated quadratic: eigenvalues λ₁ = 0.05, λ₂ = 5 with eigenvector (cos −30°, sin −30°) for λ₁.
    h = surfaces.get("ill-conditioned").hessian(1.0, 1.0)
    u = np.array([math.cos(-math.pi / 6), math.sin(-math.pi / 6)])
    np.testing.assert_allclose(h @ u, 0.05 * u, atol=1e-15)
    np.testing.assert_allclose(np.linalg.eigvalsh(h), [0.05, 5.0], rtol=1e-14)


def test_rosenbrock_hessian_is_the_hand_derivation():
    # f = (1 − x)² + 100(y − x²)²: f_xx = 2 − 400y + 1200x², f_xy = −400x, f_yy = 200.
    h = surfaces.get("rosenbrock").hessian(-1.5, 2.0)
    np.testing.assert_array_equal(h, [[2 - 800 + 1200 * 2.25, 600.0], [600.0, 200.0]])
    np.testing.assert_array_equal(surfaces.get("rosenbrock").hessian(1.0, 1.0), [[802.0, -400.0], [-400.0, 200.0]])


def test_saddle_hessians_are_indefinite_closed_forms():
    np.testing.assert_array_equal(surfaces.get("saddle").hessian(0.3, -0.4), [[2.0, 0.0], [0.0, -2.0]])
    # x³ − 3xy²: [[6x, −6y], [−6y, −6x]], zero at the degenerate saddle (0, 0).
    np.testing.assert_array_equal(surfaces.get("monkey-saddle").hessian(1.0, 0.5), [[6.0, -3.0], [-3.0, -6.0]])
    np.testing.assert_array_equal(surfaces.get("monkey-saddle").hessian(0.0, 0.0), np.zeros((2, 2)))


def test_the_least_squares_hessian_is_the_normal_equations_matrix():
    surface = surfaces.least_squares(seed=3)
    xs = surface.data_x
    expected = [[np.mean(xs * xs), np.mean(xs)], [np.mean(xs), 1.0]]
    np.testing.assert_allclose(surface.hessian(0.2, -5.0), expected, rtol=1e-15)


def test_hessians_are_vectorised_like_f():
    surface = surfaces.get("himmelblau")
    xs, ys = np.linspace(-3, 3, 5), np.linspace(-2, 2, 5)
    grid = surface.hessian(xs, ys)
    assert grid.shape == (2, 2, 5)
    for i in range(5):
        np.testing.assert_allclose(grid[..., i], surface.hessian(float(xs[i]), float(ys[i])), rtol=1e-15)
    assert surfaces.get("bowl").hessian(xs, ys).shape == (2, 2, 5)   # a constant Hessian too


FORMULAS = [
    "x**2/20 + y**2",
    "sin(x)*exp(-y**2) + x**3*y",
    "sqrt(x**2 + y**2 + 1) + log(x**2 + 2) * cos(y)",
    "tanh(x*y) + arctan(x - y) + x**y",
    "abs(x)*y**2 + 1/(1 + x**2 + y**2)",
    "cosh(x/3) - sinh(y/4) + tan(x/5)",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_hessian_is_symbolic_and_matches_central_differences(text):
    surface = surfaces.parse(text, domain=(0.2, 2.0, -1.5, 1.5))
    for x, y in sample_points(surface, 6):
        np.testing.assert_allclose(surface.hessian(x, y), central_hessian(surface, x, y), rtol=1e-6, atol=1e-6)


def test_a_formula_hessian_of_a_polynomial_is_exact():
    # f = x³y + 2xy²: f_xx = 6xy, f_xy = 3x² + 4y, f_yy = 4x.
    surface = surfaces.parse("x**3*y + 2*x*y**2")
    np.testing.assert_array_equal(surface.hessian(2.0, 3.0), [[36.0, 24.0], [24.0, 8.0]])


def test_a_sampled_landscape_has_no_hessian_and_says_why_in_one_line():
    class Grid:
        alphas = np.linspace(-1, 1, 3)
        betas = np.linspace(-1, 1, 3)
        loss = np.arange(9.0).reshape(3, 3)
        title = "slice"

    surface = surfaces.sampled(Grid())
    assert not surface.has_hessian
    with pytest.raises(ValueError, match=r"no exact Hessian .*bilinear") as info:
        surface.hessian(0.0, 0.0)
    assert "\n" not in str(info.value)
