"""The MLP: whole-network gradient checks, losses, dtypes, inits, a learning run."""

import math

import numpy as np
import pytest

from optilab.nn import MLP, activation_stats, numerical_gradient, relative_error

TOL = 1e-6


def small_data(seed=0, n=7, d=6, k=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, k, n)


def check_all_gradients(net, x, t):
    grads = {k: g.copy() for k, g in net.gradient(x, t).items()}
    assert set(grads) == set(net.params)
    for key, p in net.params.items():
        num = numerical_gradient(lambda _: net.loss(x, t, train=True), p)
        if np.abs(num).max() < 1e-8 and np.abs(grads[key]).max() < 1e-8:
            continue  # an exactly-zero gradient (a bias feeding BatchNorm)
        assert relative_error(grads[key], num) < TOL, key


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu"])
def test_mlp_gradients_match_numerical(activation):
    net = MLP(6, [5, 4], 3, activation=activation, init="xavier", seed=1, dtype=np.float64)
    x, t = small_data(1)
    check_all_gradients(net, x, t)


def test_mlp_gradients_with_one_hot_labels():
    net = MLP(6, [5, 4], 3, activation="tanh", init="xavier", seed=2, dtype=np.float64)
    x, t = small_data(2)
    check_all_gradients(net, x, np.eye(3)[t])


def test_mlp_with_batchnorm_gradients_match_numerical():
    net = MLP(6, [5, 4], 3, activation="tanh", init="he", batchnorm=True, seed=3, dtype=np.float64)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]
    x, t = small_data(3, n=9)
    check_all_gradients(net, x, t)


def test_bias_before_batchnorm_has_zero_gradient():
    net = MLP(6, [5], 3, batchnorm=True, seed=3, dtype=np.float64)
    x, t = small_data(3, n=9)
    np.testing.assert_allclose(net.gradient(x, t)["b1"], 0.0, atol=1e-15)


def test_mlp_with_weight_decay_gradients_match_numerical():
    net = MLP(6, [5, 4], 3, activation="sigmoid", init="xavier", weight_decay=0.1, seed=4, dtype=np.float64)
    x, t = small_data(4)
    check_all_gradients(net, x, t)


def test_weight_decay_adds_half_lambda_sum_of_squared_weights():
    lam = 0.1
    plain = MLP(6, [5], 3, seed=5, dtype=np.float64)
    decayed = MLP(6, [5], 3, seed=5, dtype=np.float64, weight_decay=lam)
    decayed.params["b1"][:] = 7.0  # biases are not decayed
    plain.params["b1"][:] = 7.0
    x, t = small_data(5)
    penalty = 0.5 * lam * sum(np.sum(decayed.params[k] ** 2) for k in ("W1", "W2"))
    assert decayed.loss(x, t) == pytest.approx(plain.loss(x, t) + penalty, rel=1e-12)
    g_plain = {k: v.copy() for k, v in plain.gradient(x, t).items()}
    g_decayed = decayed.gradient(x, t)
    np.testing.assert_allclose(g_decayed["W1"], g_plain["W1"] + lam * decayed.params["W1"], rtol=1e-12)
    np.testing.assert_allclose(g_decayed["b1"], g_plain["b1"], rtol=1e-12)


def test_mlp_with_dropout_gradients_match_numerical_with_fixed_masks():
    net = MLP(6, [5, 4], 3, activation="relu", init="he", dropout=0.3, seed=6, dtype=np.float64)
    x, t = small_data(6)
    net.gradient(x, t)  # draw masks
    net.fix_dropout_masks()
    check_all_gradients(net, x, t)
    net.fix_dropout_masks(False)


def test_mlp_with_everything_gradients_match_numerical():
    net = MLP(6, [5, 4], 3, activation="leaky_relu", batchnorm=True, dropout=0.2, weight_decay=0.1,
              seed=7, dtype=np.float64)
    x, t = small_data(7, n=10)
    net.gradient(x, t)
    net.fix_dropout_masks()
    check_all_gradients(net, x, t)


def test_zero_weight_net_loss_is_ln_10():
    net = MLP(784, [100, 100], 10, init="zeros", dtype=np.float64)
    x = np.random.default_rng(8).random((20, 784))
    assert net.loss(x, np.arange(20) % 10) == pytest.approx(math.log(10), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_by_params_grads_loss_and_outputs(dtype):
    net = MLP(6, [5, 4], 3, batchnorm=True, dropout=0.5, weight_decay=0.1, seed=9, dtype=dtype)
    x, t = small_data(9)  # float64 input: converted, never upcasting the net
    assert all(p.dtype == dtype for p in net.params.values())
    grads = net.gradient(x, t)
    assert all(g.dtype == dtype for g in grads.values())
    assert net.last_loss.dtype == dtype
    assert net.loss(x, t).dtype == dtype
    assert net.predict(x).dtype == dtype
    assert all(a.dtype == dtype for a in net.activations)
    assert all(p.dtype == dtype for p in net.params.values())


def test_grads_are_the_same_arrays_across_calls_and_params_are_the_layers_arrays():
    net = MLP(6, [5], 3, seed=10, dtype=np.float64)
    x, t = small_data(10)
    g1 = net.gradient(x, t)
    g2 = net.gradient(x, t)
    assert all(g1[k] is g2[k] for k in g1)
    before = net.predict(x)
    net.params["W2"] -= 1.0  # an optimizer's in-place update must reach the layers
    assert not np.allclose(net.predict(x), before)


def test_manual_sgd_step_reduces_the_loss():
    net = MLP(6, [5, 4], 3, seed=11, dtype=np.float64)
    x, t = small_data(11, n=30)
    before = net.loss(x, t)
    for key, g in net.gradient(x, t).items():
        net.params[key] -= 0.1 * g
    assert net.loss(x, t) < before


def test_predict_returns_a_fresh_array():
    net = MLP(6, [5], 3, seed=12, dtype=np.float64)
    x, _ = small_data(12)
    a = net.predict(x)
    net.predict(x + 1)
    np.testing.assert_array_equal(a, net.predict(x))


def test_accuracy_in_chunks_with_int_and_one_hot_labels():
    net = MLP(6, [5], 3, seed=13, dtype=np.float64)
    x, _ = small_data(13, n=25)
    t = net.predict(x).argmax(axis=1)
    t[:5] = (t[:5] + 1) % 3  # five wrong
    assert net.accuracy(x, t, batch_size=4) == pytest.approx(20 / 25)
    assert net.accuracy(x, np.eye(3)[t], batch_size=7) == pytest.approx(20 / 25)


def test_activations_and_layer_grad_norms():
    net = MLP(6, [5, 4], 3, activation="sigmoid", seed=14, dtype=np.float64)
    x, t = small_data(14)
    net.gradient(x, t)
    acts = net.activations
    assert [a.shape for a in acts] == [(7, 5), (7, 4)]
    assert all(((a > 0) & (a < 1)).all() for a in acts)
    norms = net.layer_grad_norms()
    assert list(norms) == ["W1", "W2", "W3"]
    assert norms["W2"] == pytest.approx(np.linalg.norm(net.grads["W2"]))


def test_zeros_init_keeps_hidden_units_identical_under_sgd():
    net = MLP(6, [5, 5], 3, activation="sigmoid", init="zeros", seed=15, dtype=np.float64)
    rng = np.random.default_rng(15)
    for _ in range(5):
        x, t = rng.standard_normal((16, 6)), rng.integers(0, 3, 16)
        for key, g in net.gradient(x, t).items():
            net.params[key] -= 0.5 * g  # manual SGD, not the optim package
    W1, W2, W3 = net.params["W1"], net.params["W2"], net.params["W3"]
    assert np.abs(W2).max() > 1e-3  # it did move...
    np.testing.assert_allclose(W2, W2[:1, :1] * np.ones((5, 5)), rtol=1e-12)  # ...all entries alike
    np.testing.assert_allclose(W1, np.repeat(W1[:, :1], 5, axis=1), rtol=1e-12)  # equal columns
    np.testing.assert_allclose(W3, np.repeat(W3[:1], 5, axis=0), rtol=1e-12)  # equal rows
    acts = net.activations
    assert all(np.allclose(a, a[:, :1]) for a in acts)  # every hidden unit computes the same


@pytest.mark.parametrize("init, expected", [("xavier", math.sqrt(1 / 400)), ("he", math.sqrt(2 / 400)),
                                            (0.01, 0.01), (1.0, 1.0)])
def test_init_std_matches_formula(init, expected):
    net = MLP(400, [300, 200], 10, init=init, seed=16, dtype=np.float64)
    W1 = net.params["W1"]
    # the sample std of 120000 normals is within 3·σ/√(2n) ≈ 0.6 % of σ
    assert W1.std() == pytest.approx(expected, rel=0.01)
    assert abs(W1.mean()) < 4 * expected / math.sqrt(W1.size)
    n_in_2 = {"xavier": math.sqrt(1 / 300), "he": math.sqrt(2 / 300)}.get(init, expected)
    assert net.params["W2"].std() == pytest.approx(n_in_2, rel=0.02)
    n_in_3 = {"xavier": math.sqrt(1 / 200), "he": math.sqrt(2 / 200)}.get(init, expected)
    assert net.params["W3"].std() == pytest.approx(n_in_3, rel=0.05)  # output layer too (book)
    assert all(not net.params[b].any() for b in ("b1", "b2", "b3"))


def test_zeros_init_gives_zero_weights():
    net = MLP(6, [5], 3, init="zeros")
    assert not any(p.any() for p in net.params.values())


def test_same_seed_same_weights():
    a, b = MLP(6, [5], 3, seed=17), MLP(6, [5], 3, seed=17)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


@pytest.mark.parametrize("kwargs, words", [
    ({"init": "glorot"}, ["'zeros'", "'xavier'", "'he'", "float"]),
    ({"init": -1.0}, ["'zeros'", "'xavier'", "'he'"]),
    ({"activation": "softplus"}, ["'relu'", "'sigmoid'", "'tanh'", "'leaky_relu'"]),
    ({"dtype": np.float16}, ["float32", "float64"]),
    ({"dropout": 1.0}, ["[0, 1)"]),
    ({"weight_decay": -0.1}, [">= 0"]),
    ({"hidden": [5, 0]}, ["positive"]),
])
def test_bad_arguments_raise_value_error_naming_the_choices(kwargs, words):
    with pytest.raises(ValueError) as err:
        MLP(6, **{"hidden": [5], **kwargs})
    for word in words:
        assert word in str(err.value)


def test_numeric_string_init_is_a_std():
    net = MLP(50, [40], 3, init="0.5", seed=18, dtype=np.float64)
    assert net.params["W1"].std() == pytest.approx(0.5, rel=0.05)


def test_mlp_learns_separable_blobs():
    rng = np.random.default_rng(19)
    centers = np.array([[3.0, 0.0], [-3.0, 3.0], [0.0, -3.0]])
    t = rng.integers(0, 3, 600)
    x = centers[t] + 0.7 * rng.standard_normal((600, 2))
    net = MLP(2, [16, 16], 3, activation="relu", init="he", seed=19, dtype=np.float64)
    assert net.accuracy(x, t) < 0.9
    for _ in range(300):
        batch = rng.integers(0, 600, 32)  # minibatches with replacement, as the book
        for key, g in net.gradient(x[batch], t[batch]).items():
            net.params[key] -= 0.1 * g
    assert net.accuracy(x, t) > 0.95


def test_float32_mlp_learns_too():
    rng = np.random.default_rng(20)
    t = rng.integers(0, 2, 400)
    x = (np.where(t[:, None] == 1, 2.0, -2.0) + rng.standard_normal((400, 5))).astype(np.float32)
    net = MLP(5, [8], 2, activation="tanh", init="xavier", batchnorm=True, dropout=0.2, seed=20)
    for _ in range(200):
        batch = rng.integers(0, 400, 32)
        for key, g in net.gradient(x[batch], t[batch]).items():
            net.params[key] -= np.float32(0.05) * g
    assert net.accuracy(x, t) > 0.95


@pytest.mark.parametrize("activation, init, check", [
    ("sigmoid", 1.0, lambda a: (np.mean((a < 0.1) | (a > 0.9)) > 0.5)),  # saturated at 0 / 1
    ("sigmoid", 0.01, lambda a: np.abs(a - 0.5).max() < 0.05),  # collapsed to 0.5
    ("sigmoid", "xavier", lambda a: 0.1 < a.std() < 0.3),  # spread
    ("relu", "he", lambda a: 0.3 < a.std() < 3.0),
])
def test_activation_stats_reproduces_the_book_histograms(activation, init, check):
    acts = activation_stats(n_layers=5, width=100, activation=activation, init=init, seed=21)
    assert len(acts) == 5 and all(a.shape == (1000, 100) for a in acts)
    assert check(acts[-1])
