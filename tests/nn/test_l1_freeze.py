"""L1 regularisation (loss + λ₁ Σ|W|, subgradient λ₁ sign W) and frozen lower layers of the MLP."""

import numpy as np
import pytest

from optilab import optim
from optilab.nn import MLP, numerical_gradient, relative_error


def _data(seed=0, n=9, d=6, k=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, k, n)


def _away_from_zero(net, margin=0.05):
    """Push every weight at least ``margin`` from 0, so λ₁|W| is differentiable within h of it."""
    for a in net.affines:
        a.W[...] = np.sign(a.W) * (np.abs(a.W) + margin)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_l1_gradient_matches_numerical_away_from_zero(activation):
    net = MLP(6, [5, 4], 3, activation=activation, init="xavier", l1=0.3, seed=3, dtype=np.float64)
    _away_from_zero(net)
    x, t = _data(3)
    grads = {k: g.copy() for k, g in net.gradient(x, t).items()}
    for key, p in net.params.items():
        num = numerical_gradient(lambda _: net.loss(x, t), p)
        assert relative_error(grads[key], num) < 1e-6, key


def test_l1_penalty_is_lambda_times_the_sum_of_absolute_weights():
    x, t = _data(4)
    plain = MLP(6, [5], 3, init="xavier", seed=5, dtype=np.float64)
    l1 = MLP(6, [5], 3, init="xavier", seed=5, dtype=np.float64, l1=0.25)
    total = np.abs(plain.params["W1"]).sum() + np.abs(plain.params["W2"]).sum()   # biases not included
    assert float(l1.loss(x, t)) == pytest.approx(float(plain.loss(x, t)) + 0.25 * total, rel=1e-12)


def test_l1_gradient_adds_lambda_sign_and_zero_at_zero():
    x, t = _data(5)
    plain = MLP(6, [5], 3, init="xavier", seed=6, dtype=np.float64)
    l1 = MLP(6, [5], 3, init="xavier", seed=6, dtype=np.float64, l1=0.5)
    for net in (plain, l1):
        net.params["W1"][0, :] = 0.0            # a row of exact zeros: subgradient 0 there
    g0 = {k: v.copy() for k, v in plain.gradient(x, t).items()}
    g1 = l1.gradient(x, t)
    expected = g0["W1"] + 0.5 * np.sign(plain.params["W1"])
    np.testing.assert_allclose(g1["W1"], expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(g1["W1"][0], g0["W1"][0])
    np.testing.assert_array_equal(g1["b1"], g0["b1"])    # biases carry no penalty


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_frozen_layers_stay_bitwise_unchanged_and_the_rest_trains(name):
    x, t = _data(6, n=32)
    net = MLP(6, [8, 7], 3, init="he", seed=7, dtype=np.float64, weight_decay=0.1, l1=0.01)
    before = {k: v.copy() for k, v in net.params.items()}
    theta, grad, views = net.trainable(freeze=1)
    opt = optim.create(name, lr=0.05)
    for _ in range(20):
        net.gradient(x, t)
        opt.step_flat(theta, grad, views)
    assert np.array_equal(net.params["W1"], before["W1"]) and np.array_equal(net.params["b1"], before["b1"])
    for key in ("W2", "b2", "W3", "b3"):
        assert not np.array_equal(net.params[key], before[key]), key


def test_trainable_part_is_the_flat_tail_after_the_frozen_layers():
    net = MLP(6, [8, 7], 3, seed=0)
    theta, grad, views = net.trainable(freeze=2)
    assert theta.size == 7 * 3 + 3 and set(views) == {"W3", "b3"}
    assert np.shares_memory(theta, net.params["W3"]) and np.shares_memory(grad, net.grads["b3"])


def test_the_output_layer_cannot_be_frozen_nor_batchnorm_layers():
    net = MLP(6, [8, 7], 3, seed=0)
    with pytest.raises(ValueError, match="freeze must be 0 to 2"):
        net.trainable(freeze=3)
    with pytest.raises(ValueError, match="batch normalisation"):
        MLP(6, [8], 3, batchnorm=True).trainable(freeze=1)


def test_copy_layers_copies_the_lower_layers_only():
    a, b = MLP(6, [8, 7], 5, seed=1), MLP(6, [8, 7], 10, seed=2)
    b.copy_layers(a.params, 2)
    for key in ("W1", "b1", "W2", "b2"):
        assert np.array_equal(a.params[key], b.params[key])
    assert b.params["W3"].shape == (7, 10)
    with pytest.raises(ValueError, match="cannot copy W1"):
        MLP(4, [8], 3).copy_layers(a.params, 1)
