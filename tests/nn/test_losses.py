"""The regression head: mean squared error as torch.nn.MSELoss, its gradient, the MLP with loss="mse"."""

import numpy as np
import pytest

from optilab.messages import OptilabError
from optilab.nn import MLP, LeakyReLU, MeanSquaredError, numerical_gradient, relative_error

TOL = 1e-6


def test_mse_is_the_mean_of_squared_errors_without_a_half():
    y = np.array([[1.0], [2.0], [4.0]])
    t = np.array([0.0, 2.0, 1.0])
    # by hand: (1² + 0² + 3²) / 3 = 10/3
    assert MeanSquaredError().forward(y, t) == pytest.approx(10 / 3)


def test_mse_and_its_gradient_equal_torch_mseloss():
    torch = pytest.importorskip("torch")   # optional parity test: torch is not a dependency
    rng = np.random.default_rng(0)
    y, t = rng.standard_normal((9, 2)), rng.standard_normal((9, 2))
    layer = MeanSquaredError()
    loss = layer.forward(y, t)
    dx = layer.backward(1.0)
    yt = torch.tensor(y, requires_grad=True)
    ref = torch.nn.MSELoss()(yt, torch.tensor(t))
    ref.backward()
    assert float(loss) == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(dx, yt.grad.numpy(), rtol=1e-12)


def test_mse_backward_matches_numerical_gradient():
    rng = np.random.default_rng(1)
    y, t = rng.standard_normal((7, 1)), rng.standard_normal(7)
    layer = MeanSquaredError()
    layer.forward(y, t)
    dx = layer.backward(1.0).copy()
    num = numerical_gradient(lambda _: float(MeanSquaredError().forward(y, t)), y)
    assert relative_error(dx, num) < TOL


def test_mse_refuses_targets_of_another_shape():
    with pytest.raises(ValueError, match="targets must have shape"):
        MeanSquaredError().forward(np.zeros((4, 1)), np.zeros(3))


def test_leaky_relu_slope_is_torchs_default():
    x = np.array([[-3.0, -0.5, 0.0, 2.0]])
    # by hand, slope 0.01 for x < 0 (torch.nn.LeakyReLU's default)
    np.testing.assert_allclose(LeakyReLU().forward(x), [[-0.03, -0.005, 0.0, 2.0]])
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(LeakyReLU().forward(x), torch.nn.LeakyReLU()(torch.tensor(x)).numpy())


def test_regression_mlp_with_leaky_relu_has_the_numerical_gradient():
    """The chapter's 8-6-5-4-3-1 LeakyReLU network with the MSE head, every parameter checked."""
    rng = np.random.default_rng(2)
    x, t = rng.standard_normal((11, 8)), rng.standard_normal(11)
    net = MLP(8, [6, 5, 4, 3], 1, activation="leaky_relu", init="xavier", seed=3, dtype=np.float64, loss="mse")
    grads = {k: g.copy() for k, g in net.gradient(x, t).items()}
    for key, p in net.params.items():
        num = numerical_gradient(lambda _: net.loss(x, t, train=True), p)
        assert relative_error(grads[key], num) < TOL, key


def test_regression_mlp_output_is_the_affine_value_and_its_loss_the_mse_of_it():
    rng = np.random.default_rng(4)
    x, t = rng.standard_normal((5, 3)), rng.standard_normal(5)
    net = MLP(3, [4], 1, activation="relu", seed=0, dtype=np.float64, loss="mse")
    a = np.maximum(x @ net.params["W1"] + net.params["b1"], 0)
    y = a @ net.params["W2"] + net.params["b2"]          # identity output layer, by hand
    np.testing.assert_allclose(net.predict(x), y)
    assert float(net.loss(x, t)) == pytest.approx(float(np.mean((y[:, 0] - t) ** 2)))


def test_unknown_loss_is_one_clear_line():
    with pytest.raises(OptilabError, match="loss must be one of 'softmax', 'mse', got 'hinge'"):
        MLP(3, [4], 1, loss="hinge")
