"""Each layer's backward against central-difference gradients (float64, rel. error < 1e-6)."""

import numpy as np
import pytest

from optilab.nn import (
    Affine,
    BatchNorm,
    Dropout,
    LeakyReLU,
    ReLU,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
    numerical_gradient,
    relative_error,
)

TOL = 1e-6


def projection_check(layer, x, params=(), grads=(), train=True, seed=0):
    """Check dx and d(param) of f = Σ out ⊙ R, R random, against numerical gradients."""
    rng = np.random.default_rng(seed)
    out = layer.forward(x, train)
    R = rng.standard_normal(out.shape)

    def f(_):
        return float(np.sum(layer.forward(x, train) * R))

    layer.forward(x, train)
    dx = layer.backward(R.copy())
    dx = None if dx is None else dx.copy()
    analytic_params = [g.copy() for g in grads]
    if dx is not None:
        assert relative_error(dx, numerical_gradient(f, x)) < TOL
    for p, g in zip(params, analytic_params, strict=True):
        assert relative_error(g, numerical_gradient(f, p)) < TOL


def test_affine_backward_matches_numerical_gradient():
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((5, 4)), rng.standard_normal(4)
    layer = Affine(W, b)
    projection_check(layer, rng.standard_normal((3, 5)), params=(W, b), grads=(layer.dW, layer.db))


def test_affine_without_dx_still_gives_parameter_gradients():
    rng = np.random.default_rng(2)
    W, b = rng.standard_normal((5, 4)), rng.standard_normal(4)
    layer = Affine(W, b, need_dx=False)
    x = rng.standard_normal((3, 5))
    layer.forward(x)
    assert layer.backward(np.ones((3, 4))) is None
    np.testing.assert_allclose(layer.dW, x.T @ np.ones((3, 4)))
    np.testing.assert_allclose(layer.db, np.full(4, 3.0))


def test_affine_sees_in_place_parameter_updates():
    W, b = np.zeros((2, 2)), np.zeros(2)
    layer = Affine(W, b)
    W += np.eye(2)
    b += 1.0
    np.testing.assert_allclose(layer.forward(np.array([[1.0, 2.0]])), [[2.0, 3.0]])


def away_from_kinks(shape, seed):
    """Values with |x| ≥ 0.1 so a ±1e-5 step never crosses the kink at 0."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.1, np.sign(x) * 0.1 + x, x)


@pytest.mark.parametrize("layer_cls", [ReLU, LeakyReLU, Sigmoid, Tanh])
def test_activation_backward_matches_numerical_gradient(layer_cls):
    projection_check(layer_cls(), away_from_kinks((4, 6), seed=3))


def test_activation_values():
    x = np.array([[-2.0, 0.5]])
    np.testing.assert_allclose(ReLU().forward(x), [[0.0, 0.5]])
    np.testing.assert_allclose(LeakyReLU().forward(x), [[-0.02, 0.5]])
    np.testing.assert_allclose(LeakyReLU(0.2).forward(x), [[-0.4, 0.5]])
    np.testing.assert_allclose(Sigmoid().forward(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))


def test_sigmoid_is_finite_for_large_inputs():
    y = Sigmoid().forward(np.array([[-1000.0, 1000.0]]))
    np.testing.assert_array_equal(y, [[0.0, 1.0]])


def test_batchnorm_backward_matches_numerical_gradient():
    rng = np.random.default_rng(4)
    gamma, beta = rng.standard_normal(5) + 1.0, rng.standard_normal(5)
    layer = BatchNorm(gamma, beta)
    x = rng.standard_normal((8, 5)) * 3 + 1
    projection_check(layer, x, params=(gamma, beta), grads=(layer.dgamma, layer.dbeta))


def test_batchnorm_train_output_is_standardized_per_feature():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((200, 3)) * [1.0, 5.0, 0.1] + [3.0, -2.0, 10.0]
    y = BatchNorm(np.ones(3), np.zeros(3)).forward(x, train=True)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=0), 1.0, atol=1e-4)  # ε shrinks it a little


def test_batchnorm_applies_gamma_and_beta():
    x = np.array([[0.0], [2.0]])  # μ = 1, σ² = 1, x̂ = ∓1/√(1+ε)
    y = BatchNorm(np.array([3.0]), np.array([0.5])).forward(x)
    xhat = np.array([[-1.0], [1.0]]) / np.sqrt(1 + 1e-6)
    np.testing.assert_allclose(y, 3.0 * xhat + 0.5)


def test_batchnorm_running_stats_follow_the_momentum_rule():
    bn = BatchNorm(np.ones(2), np.zeros(2))
    x1 = np.array([[1.0, 2.0], [3.0, 6.0]])  # μ = (2, 4), σ² = (1, 4)
    x2 = np.array([[0.0, 0.0], [0.0, 2.0]])  # μ = (0, 1), σ² = (0, 1)
    bn.forward(x1)
    np.testing.assert_allclose(bn.running_mean, 0.9 * np.zeros(2) + 0.1 * np.array([2.0, 4.0]))
    np.testing.assert_allclose(bn.running_var, 0.9 * np.ones(2) + 0.1 * np.array([1.0, 4.0]))
    bn.forward(x2)
    np.testing.assert_allclose(bn.running_mean, [0.9 * 0.2 + 0.0, 0.9 * 0.4 + 0.1])
    np.testing.assert_allclose(bn.running_var, [0.9 * 1.0 + 0.0, 0.9 * 1.3 + 0.1])


def test_batchnorm_eval_mode_uses_running_stats():
    gamma, beta = np.array([2.0]), np.array([1.0])
    bn = BatchNorm(gamma, beta)
    bn.running_mean[:] = 3.0
    bn.running_var[:] = 4.0
    x = np.array([[5.0], [7.0]])
    y = bn.forward(x, train=False)
    np.testing.assert_allclose(y, 2.0 * (x - 3.0) / np.sqrt(4.0 + 1e-6) + 1.0)
    np.testing.assert_array_equal(bn.running_mean, [3.0])  # not updated at test time


def test_dropout_backward_with_fixed_mask_matches_numerical_gradient():
    drop = Dropout(0.4, rng=0)
    drop.fix_mask(np.random.default_rng(6).random((4, 5)) > 0.4)
    projection_check(drop, np.random.default_rng(7).standard_normal((4, 5)))


def test_dropout_keeps_about_one_minus_p_and_preserves_the_expectation():
    p = 0.3
    drop = Dropout(p, rng=8)
    x = np.ones((400, 500))
    y = drop.forward(x, train=True)
    kept = np.count_nonzero(y) / y.size
    assert abs(kept - (1 - p)) < 0.005  # 200k Bernoulli draws: sd ≈ 0.001
    np.testing.assert_allclose(y[y != 0], 1 / (1 - p))
    assert abs(y.mean() - 1.0) < 0.01


def test_dropout_is_identity_at_test_time():
    x = np.random.default_rng(9).standard_normal((3, 4))
    drop = Dropout(0.5, rng=0)
    np.testing.assert_array_equal(drop.forward(x, train=False), x)
    np.testing.assert_array_equal(drop.backward(np.ones((3, 4))), np.ones((3, 4)))


def test_dropout_with_the_same_seed_draws_the_same_mask():
    x = np.ones((5, 6))
    a = Dropout(0.5, rng=3).forward(x).copy()
    b = Dropout(0.5, rng=3).forward(x).copy()
    np.testing.assert_array_equal(a, b)


def test_dropout_keeps_float32():
    x = np.ones((4, 4), np.float32)
    drop = Dropout(0.5, rng=0)
    assert drop.forward(x).dtype == np.float32
    assert drop.backward(x).dtype == np.float32


def softmax_loss_of(x, t):
    layer = SoftmaxWithLoss()
    return float(layer.forward(x, t))


def test_softmax_with_loss_gradient_matches_numerical_gradient():
    rng = np.random.default_rng(10)
    x = rng.standard_normal((6, 4))
    t = rng.integers(0, 4, 6)
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward().copy()
    assert relative_error(dx, numerical_gradient(lambda _: softmax_loss_of(x, t), x)) < TOL


def test_softmax_with_loss_int_and_one_hot_labels_agree():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((6, 4))
    t = rng.integers(0, 4, 6)
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    la, lb = a.forward(x, t), b.forward(x, np.eye(4)[t])
    assert la == pytest.approx(lb, rel=1e-14)
    np.testing.assert_allclose(a.backward(), b.backward(), rtol=1e-14, atol=1e-16)


def test_softmax_with_loss_hand_computed_case():
    # scores (0, ln 2, ln 3) → softmax (1/6, 2/6, 3/6); labels 2 and 0
    x = np.log(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]))
    t = np.array([2, 0])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    assert loss == pytest.approx((-np.log(3 / 6) - np.log(1 / 6)) / 2, rel=1e-14)
    expected = (np.array([[1, 2, 3], [1, 2, 3]]) / 6 - np.array([[0, 0, 1], [1, 0, 0]])) / 2
    np.testing.assert_allclose(layer.backward(), expected, rtol=1e-14, atol=1e-16)


def test_softmax_with_loss_is_stable_for_huge_scores():
    x = np.array([[1000.0, 0.0], [-1000.0, 0.0]])
    loss = SoftmaxWithLoss().forward(x, np.array([1, 0]))
    assert loss == pytest.approx(1000.0)  # both rows: −log softmax = 1000


def test_softmax_with_loss_rejects_bad_labels():
    layer = SoftmaxWithLoss()
    with pytest.raises(ValueError, match="labels"):
        layer.forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="labels"):
        layer.forward(np.zeros((2, 3)), np.zeros((2, 4)))
