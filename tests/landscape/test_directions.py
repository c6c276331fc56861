"""The landscape's plane: filter normalisation, random and PCA directions, projection
(docs/landscape.md#directions, #pca).

Expected values are closed forms: norms set by hand, trajectories built in a
known plane from orthogonal axes whose variances are known.
"""

from __future__ import annotations

import numpy as np
import pytest

from optilab.landscape import Plane, directions, filter_normalize, pca_plane, project, random_plane
from optilab.landscape.evaluate import plane_points
from optilab.messages import OptilabError
from optilab.training.snapshots import Layout

LAYOUT = Layout((("W1", (5, 4)), ("b1", (4,)), ("W2", (4, 3)), ("b2", (3,)), ("gamma1", (4,)), ("beta1", (4,))))


def _theta(seed: int = 0) -> np.ndarray:
    theta = np.random.default_rng(seed).standard_normal(LAYOUT.size)
    LAYOUT.views(theta)["W1"][:, 2] = 0.0          # a dead neuron: its column of θ is zero
    return theta


@pytest.mark.parametrize("bias_bn", ["zero", "keep"])
def test_each_neurons_direction_norm_equals_its_weight_norm(bias_bn):
    theta = _theta()
    direction = np.random.default_rng(1).standard_normal(LAYOUT.size)
    LAYOUT.views(direction)["W2"][:, 1] = 0.0      # a zero column of the direction stays zero
    out = LAYOUT.views(filter_normalize(direction, theta, LAYOUT, bias_bn))
    th, d = LAYOUT.views(theta), LAYOUT.views(direction)
    for key in ("W1", "W2"):
        for j in range(th[key].shape[1]):           # neuron j's incoming weights: the column W[:, j]
            want = 0.0 if (key, j) == ("W2", 1) else np.linalg.norm(th[key][:, j])
            assert np.linalg.norm(out[key][:, j]) == pytest.approx(want, rel=1e-12, abs=1e-15)
            if want:                                 # rescaled, not turned
                cos = out[key][:, j] @ d[key][:, j] / np.linalg.norm(out[key][:, j]) / np.linalg.norm(d[key][:, j])
                assert cos == pytest.approx(1.0, rel=1e-12)
    assert not out["W1"][:, 2].any()                 # θ's dead neuron: zero direction
    for key in ("b1", "b2", "gamma1", "beta1"):
        assert np.array_equal(out[key], th[key] if bias_bn == "keep" else np.zeros_like(th[key]))


def test_filter_normalize_leaves_its_input_alone_and_refuses_an_unknown_option():
    theta, direction = _theta(), np.ones(LAYOUT.size)
    filter_normalize(direction, theta, LAYOUT)
    assert np.array_equal(direction, np.ones(LAYOUT.size))
    with pytest.raises(OptilabError, match="bias_bn"):
        filter_normalize(direction, theta, LAYOUT, "drop")


def test_random_plane_is_seeded_and_filter_normalised():
    theta = _theta()
    a, b, c = (random_plane(theta, LAYOUT, s) for s in (7, 7, 8))
    assert np.array_equal(a.d1, b.d1) and np.array_equal(a.d2, b.d2)
    assert not np.allclose(a.d1, c.d1)
    assert not np.allclose(a.d1, a.d2)               # two independent directions
    assert (a.kind, a.explained) == ("random", None)
    assert np.array_equal(a.origin, theta)
    for d in (a.d1, a.d2):
        v, th = LAYOUT.views(d), LAYOUT.views(theta)
        assert np.allclose(np.linalg.norm(v["W2"], axis=0), np.linalg.norm(th["W2"], axis=0), rtol=1e-12)
        assert not v["b1"].any() and not v["gamma1"].any()


def _orthonormal(p: int, k: int, seed: int = 0) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((p, k)))
    return q.T                                        # k orthonormal rows


@pytest.mark.parametrize("block", [None, 7])       # 7: float64 work in blocks of columns
def test_a_trajectory_in_a_plane_projects_with_all_its_variance_and_reconstructs(block, monkeypatch):
    if block:
        monkeypatch.setattr(directions, "BLOCK", block)
    p = 60
    origin = np.random.default_rng(3).standard_normal(p)
    u, v = np.random.default_rng(4).standard_normal((2, p))       # any two independent directions
    s = np.linspace(0.0, 1.0, 9)
    a, b = 3.0 * (1 - s) ** 2, -2.0 * np.sin(3 * (1 - s))          # ends at the origin
    thetas = origin + a[:, None] * u + b[:, None] * v
    plane = pca_plane(origin, [thetas])
    assert sum(plane.explained) == pytest.approx(1.0, abs=1e-12)
    assert np.linalg.norm(plane.d1) == pytest.approx(1.0) and np.linalg.norm(plane.d2) == pytest.approx(1.0)
    assert abs(plane.d1 @ plane.d2) < 1e-12
    alpha, beta = project(plane, thetas)
    recon = plane_points(plane, alpha, beta)
    assert np.allclose(recon, thetas, rtol=1e-6, atol=1e-6 * np.abs(thetas).max())
    assert (alpha[-1], beta[-1]) == (0.0, 0.0)        # the final point is the origin
    assert alpha[0] <= 0 and beta[0] <= 0              # the path starts at the lower left


def test_explained_variance_is_each_axis_share_of_the_uncentred_sum_of_squares():
    p, k = 40, 8
    e = _orthonormal(p, 3)
    h = np.linalg.qr(np.random.default_rng(5).standard_normal((k, 3)))[0]   # orthogonal coefficient columns
    scale = np.array([5.0, 2.0, 1.0])
    coef = h * scale                                   # Σᵢ coefᵢₐ coefᵢ_b = 0 for a ≠ b, ‖column a‖² = scale²
    origin = np.zeros(p)
    thetas = coef @ e
    plane = pca_plane(origin, [thetas])
    want = scale**2 / np.sum(scale**2)                # (25, 4)/30
    assert plane.explained == pytest.approx((want[0], want[1]), rel=1e-10)
    assert abs(plane.d1 @ e[0]) == pytest.approx(1.0, rel=1e-10)
    assert abs(plane.d2 @ e[1]) == pytest.approx(1.0, rel=1e-10)


def test_a_shared_plane_holds_two_runs_that_left_along_different_axes():
    p = 30
    e = _orthonormal(p, 2, seed=6)
    origin = np.random.default_rng(7).standard_normal(p)
    s = np.linspace(1.0, 0.0, 5)
    run0 = origin + np.outer(-3.0 * s, e[0])            # moves along e0 only
    run1 = origin + np.outer(2.0 * s * (1 + s), e[1])   # along e1 only, farther at first
    plane = pca_plane(origin, [run0, run1])
    assert sum(plane.explained) == pytest.approx(1.0, abs=1e-12)
    ss0, ss1 = np.sum((3.0 * s) ** 2), np.sum((2.0 * s * (1 + s)) ** 2)
    assert plane.explained == pytest.approx(tuple(sorted((ss0, ss1), reverse=True) / (ss0 + ss1)), rel=1e-10)
    for run in (run0, run1):
        alpha, beta = project(plane, run)
        assert np.allclose(origin + np.outer(alpha, plane.d1) + np.outer(beta, plane.d2), run, atol=1e-10)
    alpha, beta = project(plane, run0[:1])
    assert alpha[0] <= 0 and beta[0] <= 0


@pytest.mark.parametrize("rows", [
    lambda o, d: [o[None], o[None]],                            # only θ* itself
    lambda o, d: [np.stack([o + d, o + d, o])],                 # 2 distinct vectors
    lambda o, d: [np.stack([o + 2 * d, o + d, o])],             # 3, all on one line
])
def test_pca_needs_snapshots_that_span_a_plane(rows):
    origin, d = np.ones(10), np.arange(10.0)
    with pytest.raises(OptilabError) as err:
        pca_plane(origin, rows(origin, d))
    assert err.value.message.code == "landscape.pca_flat"
    assert "\n" not in str(err.value)


def test_projection_onto_a_non_orthogonal_plane_is_exact_and_ignores_the_normal_part():
    rng = np.random.default_rng(8)
    origin, d1 = rng.standard_normal((2, 25))
    d2 = 0.6 * d1 + rng.standard_normal(25)            # far from orthogonal to d1
    normal = rng.standard_normal(25)
    basis = np.stack([d1, d2])
    normal -= basis.T @ np.linalg.solve(basis @ basis.T, basis @ normal)   # the part orthogonal to both
    plane = Plane(origin, d1, d2, "random")
    theta = origin + 0.3 * d1 - 0.7 * d2 + normal
    alpha, beta = project(plane, theta)
    assert (alpha[0], beta[0]) == (pytest.approx(0.3, abs=1e-12), pytest.approx(-0.7, abs=1e-12))
