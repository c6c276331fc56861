"""The loss at many weight vectors: closed-form slices and the MLP's own loss
(docs/landscape.md#slice, #interpolation)."""

from __future__ import annotations

import numpy as np
import pytest

from optilab.landscape import Cancelled, LossEvaluator, Plane, random_plane, slice_of
from optilab.landscape.evaluate import interpolate, plane_points
from optilab.messages import OptilabError
from optilab.nn.mlp import MLP
from optilab.training.config import RunConfig
from optilab.training.snapshots import Layout

# --------------------------------------------------------------- a linear softmax model, 2 classes
# x are one-hot rows, so the scores s = xW + b are entries of W plus b, and each
# image's loss is log(1 + exp(−m)) with m its true class's score minus the other's.
LINEAR = Layout((("W1", (2, 2)), ("b1", (2,))))
X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
T = np.array([0, 1, 1, 0])
W_STAR, B_STAR = np.array([[2.0, 0.5], [-1.0, 1.0]]), np.array([0.1, -0.2])
# scores: e₁ → (2.1, 0.3), e₂ → (−0.9, 0.8); margins of the four images:
M = np.array([2.1 - 0.3, 0.8 - (-0.9), 0.3 - 2.1, -0.9 - 0.8])
# d1 moves the biases by (½, −½): every margin by +1 (true class 0) or −1 (class 1);
# d2 raises the class-0 score of e₁ images: n0's margin +1, n2's −1, the others 0.
C1, C2 = np.array([1.0, -1.0, -1.0, 1.0]), np.array([1.0, 0.0, -1.0, 0.0])


def _flat(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.concatenate([w.ravel(), b])


LINEAR_PLANE = Plane(_flat(W_STAR, B_STAR), _flat(np.zeros((2, 2)), np.array([0.5, -0.5])),
                     _flat(np.array([[1.0, 0.0], [0.0, 0.0]]), np.zeros(2)), "random")


def _closed_form(alpha: np.ndarray, beta: np.ndarray, lam: float) -> np.ndarray:
    """¼ Σₙ log(1 + exp(−(mₙ + αc1ₙ + βc2ₙ))) + ½λ‖W* + βD‖², ‖W*‖² = 6.25, W*·D = 2, ‖D‖² = 1."""
    a, b = alpha[:, None, None], beta[None, :, None]
    ce = np.mean(np.logaddexp(0.0, -(M + a * C1 + b * C2)), axis=2)
    return ce + 0.5 * lam * (6.25 + 2 * 2.0 * beta[None, :] + beta[None, :] ** 2)


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_a_linear_softmax_models_slice_is_the_closed_form(lam):
    config = RunConfig(weight_decay=lam, dtype="float64")
    evaluator = LossEvaluator(config, LINEAR, X, T)
    alphas, betas = np.linspace(-3, 3, 7), np.linspace(-2, 4, 5)
    got = evaluator.plane_losses(LINEAR_PLANE, alphas, betas)
    assert got.shape == (7, 5)
    assert np.allclose(got, _closed_form(alphas, betas, lam), rtol=1e-12, atol=0)


def test_interpolation_along_a_direction_is_the_closed_form():
    config = RunConfig(dtype="float64")
    ts = np.linspace(-0.5, 1.5, 9)
    theta_b = LINEAR_PLANE.origin + 2.0 * LINEAR_PLANE.d1          # t = 1 is α = 2
    got = interpolate(config, LINEAR, LINEAR_PLANE.origin, theta_b, ts, X, T)
    assert np.allclose(got, _closed_form(2.0 * ts, np.zeros(1), 0.0)[:, 0], rtol=1e-12)


def test_a_quadratics_slice_is_the_hand_expanded_polynomial():
    rng = np.random.default_rng(0)
    p = 12
    q = rng.standard_normal((p, p))
    a_mat = q + q.T
    o, d, e = rng.standard_normal((3, p))
    plane = Plane(o, d, e, "random")
    alphas, betas = np.linspace(-1, 2, 6), np.linspace(-3, 1, 4)
    got = slice_of(lambda th: np.einsum("gi,ij,gj->g", th, a_mat, th), plane, alphas, betas, chunk=5)
    a, b = alphas[:, None], betas[None, :]
    # (o + αd + βe)ᵀA(o + αd + βe), A symmetric, expanded by hand:
    want = (o @ a_mat @ o + 2 * a * (d @ a_mat @ o) + 2 * b * (e @ a_mat @ o)
            + a**2 * (d @ a_mat @ d) + 2 * a * b * (d @ a_mat @ e) + b**2 * (e @ a_mat @ e))
    assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


def test_progress_counts_grid_points_and_cancel_stops_between_chunks():
    plane = Plane(np.zeros(3), np.ones(3), np.arange(3.0), "random")
    seen: list[tuple[int, int]] = []
    slice_of(lambda th: th.sum(axis=1), plane, np.arange(3.0), np.arange(4.0), chunk=5,
             progress=lambda done, total: seen.append((done, total)))
    assert seen == [(5, 12), (10, 12), (12, 12)]
    polls: list[int] = []
    with pytest.raises(Cancelled):
        slice_of(lambda th: th.sum(axis=1), plane, np.arange(3.0), np.arange(4.0), chunk=5,
                 cancel=lambda: polls.append(1) or len(polls) == 2)
    assert len(polls) == 2                            # the second chunk never ran


# ------------------------------------------------------------------------- against the MLP itself
def _net(activation: str, batchnorm: bool, dtype: str, lam: float = 0.05) -> MLP:
    return MLP(6, (7, 5), 4, activation, batchnorm=batchnorm, weight_decay=lam, seed=1, dtype=np.dtype(dtype))


def _load(net: MLP, theta: np.ndarray) -> None:
    for key, view in Layout.of(net.params).views(theta.astype(net.dtype)).items():
        net.params[key][...] = view


def _data(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2)
    return rng.random((n, 6)), rng.integers(0, 4, n)


@pytest.mark.parametrize(("dtype", "tol"), [("float64", 1e-10), ("float32", 1e-5)])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("batchnorm", [False, True])
def test_losses_of_a_batch_of_weights_equal_the_mlps_loss_of_each(dtype, tol, activation, batchnorm):
    net, (x, t) = _net(activation, batchnorm, dtype), _data()
    layout = Layout.of(net.params)
    thetas = np.random.default_rng(3).standard_normal((6, layout.size))
    running = [(bn.running_mean + 0.3, bn.running_var * 2.0) for bn in net.bn_layers]
    for bn, (m, v) in zip(net.bn_layers, running, strict=True):
        bn.running_mean[...], bn.running_var[...] = m, v
    config = RunConfig(activation=activation, weight_decay=0.05, dtype=dtype)
    for bn_stats, train in (("keep", False), ("recompute", True)):   # recompute: the train-mode BN forward
        if bn_stats == "recompute" and not batchnorm:
            continue
        evaluator = LossEvaluator(config, layout, x, t, running, bn_stats)
        evaluator.chunk = 4                                          # two chunks, the last one short
        got = evaluator.losses(thetas)
        want = []
        for theta in thetas:
            _load(net, theta)
            want.append(float(net.loss(x.astype(dtype), t, train=train)))
        assert got == pytest.approx(want, rel=tol)


@pytest.mark.parametrize("batchnorm", [False, True])
@pytest.mark.parametrize("bn_stats", ["keep", "recompute"])
def test_the_planes_fast_path_equals_the_loss_of_each_point(batchnorm, bn_stats):
    net, (x, t) = _net("relu", batchnorm, "float64", lam=0.2), _data()
    layout = Layout.of(net.params)
    origin = layout.flatten(net.params, np.float64)
    running = [(bn.running_mean, bn.running_var) for bn in net.bn_layers]
    evaluator = LossEvaluator(RunConfig(weight_decay=0.2, dtype="float64"), layout, x, t, running, bn_stats)
    evaluator.chunk = 7
    plane = random_plane(origin, layout, 4, "keep")                  # biases and BN move too
    alphas, betas = np.linspace(-1, 1, 5), np.linspace(-0.5, 1.5, 4)
    fast = evaluator.plane_losses(plane, alphas, betas)
    assert np.allclose(fast, slice_of(evaluator.losses, plane, alphas, betas), rtol=1e-12)
    a, b = np.random.default_rng(5).uniform(-1, 1, (2, 9))            # a path's paired coordinates
    assert np.allclose(evaluator.point_losses(plane, a, b), evaluator.losses(plane_points(plane, a, b)), rtol=1e-12)


def test_keep_needs_the_running_statistics_and_labels_must_fit_the_output():
    net, (x, t) = _net("relu", True, "float64"), _data()
    layout = Layout.of(net.params)
    with pytest.raises(OptilabError) as err:
        LossEvaluator(RunConfig(), layout, x, t, (), "keep")
    assert err.value.message.code == "landscape.no_running"
    with pytest.raises(OptilabError, match="bn_stats"):
        LossEvaluator(RunConfig(), layout, x, t, (), "fresh")
    with pytest.raises(ValueError, match="labels"):
        LossEvaluator(RunConfig(), layout, x, t + 4)
    with pytest.raises(ValueError, match="entries"):
        LossEvaluator(RunConfig(), layout, x, t).losses(np.zeros((2, layout.size + 1)))
