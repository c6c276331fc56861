"""One flat parameter vector (issue #15 item 5): `MLP.flat_params`/`flat_grads` hold every
array of ``params``/``grads`` as views, and `Optimizer.step_flat` on them is, bit for bit,
`Optimizer.step` over the per-layer dicts (torch is not needed: float64, compared exactly)."""

import copy

import numpy as np
import pytest

from optilab import optim
from optilab.data import Dataset
from optilab.nn import MLP
from optilab.training import RunConfig, Trainer
from optilab.training.snapshots import Layout

NON_DEFAULT = {"lr": 0.03, "momentum": 0.7, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6,
               "decay_rate": 0.9, "weight_decay": 0.05}


def small_net(**kw):
    return MLP(6, [5, 4], 3, activation="relu", init="he", seed=7, dtype=np.float64, **kw)


def batch(i):
    rng = np.random.default_rng(100 + i)
    return rng.standard_normal((9, 6)), rng.integers(0, 3, 9)


def test_params_and_grads_are_views_of_one_vector_in_params_order():
    net = small_net(batchnorm=True)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]
    assert net.flat_params.size == 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3 + 2 * (5 + 4)
    for key, p in net.params.items():
        assert np.shares_memory(p, net.flat_params), key
        assert np.shares_memory(net.grads[key], net.flat_grads), key
    net.gradient(*batch(0))
    layout = Layout.of(net.params)
    np.testing.assert_array_equal(layout.flatten(net.params, np.float64), net.flat_params)
    np.testing.assert_array_equal(layout.flatten(net.grads, np.float64), net.flat_grads)
    net.flat_params[:] = 0.5                          # a write to θ is a write to every layer
    assert net.affines[1].W[2, 3] == 0.5 and net.bn_layers[0].gamma[0] == 0.5


def test_seeded_weights_are_the_he_draws_and_biases_zero():
    net = small_net()
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(net.params["W1"], np.sqrt(2 / 6) * rng.standard_normal((6, 5)))
    np.testing.assert_array_equal(net.params["W2"], np.sqrt(2 / 5) * rng.standard_normal((5, 4)))
    assert not net.params["b1"].any() and not net.params["b3"].any()


@pytest.mark.parametrize("name", optim.names(network=True))
@pytest.mark.parametrize("extra", [{}, {"batchnorm": True, "weight_decay": 0.1}, {"dropout": 0.3}])
def test_step_flat_equals_the_per_key_step_bitwise(name, extra):
    cls = optim.get_class(name)
    hp = {k: v for k, v in NON_DEFAULT.items() if k in cls.defaults}
    per_key, flat = small_net(**extra), small_net(**extra)
    opt_key, opt_flat = optim.create(name, **hp), optim.create(name, **hp)
    for i in range(25):
        x, t = batch(i)
        opt_key.step(per_key.params, per_key.gradient(x, t))
        flat.gradient(x, t)
        opt_flat.step_flat(flat.flat_params, flat.flat_grads, flat.params)
        assert flat.last_loss == per_key.last_loss
    np.testing.assert_array_equal(flat.flat_params, per_key.flat_params)
    assert list(opt_flat.state) == list(per_key.params)          # the per-key state, as views
    for key, st in opt_key.state.items():
        assert opt_flat.state[key]["step"] == st["step"] == 25
        for state_name in cls.state_names:
            np.testing.assert_array_equal(opt_flat.state[key][state_name], st[state_name])


def test_step_flat_refuses_a_view_outside_the_vector():
    net = small_net()
    with pytest.raises(ValueError, match="'W1' is not a contiguous view"):
        optim.create("sgd").step_flat(net.flat_params, net.flat_grads, {"W1": net.params["W1"].copy()})


def test_adamw_decays_every_parameter_as_in_the_per_key_rule():
    """AdamW's x ← x (1 − η λ) applies to each array it is given, biases included (as PyTorch's
    AdamW with one parameter group): with g = 0 a bias b = 1 becomes (1 − η λ)ᵏ after k steps."""
    net = small_net()
    net.params["b2"][:] = 1.0
    opt = optim.create("adamw", lr=0.1, weight_decay=0.5)
    net.flat_grads[:] = 0.0
    for _ in range(3):
        opt.step_flat(net.flat_params, net.flat_grads)
    np.testing.assert_allclose(net.params["b2"], (1 - 0.1 * 0.5) ** 3, rtol=1e-15)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_trainer_losses_equal_the_per_key_loop(dtype):
    """The Trainer (flat step) against its loop written out with per-key steps: the same batches
    (the Trainer's seeded draws with replacement), identical losses and weights."""
    rng = np.random.default_rng(0)
    x, t = rng.random((64, 12)).astype(np.float32), rng.integers(0, 4, 64)
    cfg = RunConfig(hidden=(8, 8), batch_size=16, iterations=30, optimizer="adam", hparams={"lr": 0.01},
                    dtype=dtype, seed=5, snapshots=0, weight_decay=0.01)
    trainer = Trainer(cfg, Dataset(x, t, x[:8], t[:8], source="test"))
    trainer.run()
    net = MLP(12, (8, 8), 4, seed=5, dtype=np.dtype(dtype), weight_decay=0.01)
    opt = optim.create("adam", lr=0.01)
    draws = np.random.default_rng([5, 2])
    xd = x.astype(dtype)
    losses = []
    for _ in range(30):
        idx = draws.integers(0, 64, 16)
        loss, grads = net.loss_and_gradient(xd[idx], t[idx])
        opt.step(net.params, grads)
        losses.append(float(loss))
    np.testing.assert_array_equal(trainer.history.loss, losses)
    np.testing.assert_array_equal(trainer.net.flat_params, net.flat_params)


def per_key_run(name, steps):
    net, opt = small_net(), optim.create(name, lr=0.01)
    for i in range(steps):
        opt.step(net.params, net.gradient(*batch(i)))
    return net, opt


@pytest.mark.parametrize("name", ["adam", "momentum"])
def test_step_and_step_flat_alternate_and_a_restored_state_is_gathered_again(name):
    """3 flat steps, 4 per-key ones, a saved state and weights restored (as the LR range test
    does: deepcopy, clear, update) after 2 more, then flat steps to 10: the 10 per-key steps."""
    ref, ref_opt = per_key_run(name, 10)
    net, opt = small_net(), optim.create(name, lr=0.01)

    def flat_step(i):
        net.gradient(*batch(i))
        opt.step_flat(net.flat_params, net.flat_grads, net.params)

    for i in range(3):
        flat_step(i)
    for i in range(3, 7):
        opt.step(net.params, net.gradient(*batch(i)))
    saved, weights = copy.deepcopy(opt.state), net.flat_params.copy()
    flat_step(7)
    flat_step(8)
    opt.state.clear()
    opt.state.update(saved)
    net.flat_params[:] = weights
    for i in range(7, 10):
        flat_step(i)
    np.testing.assert_array_equal(net.flat_params, ref.flat_params)
    for key, st in ref_opt.state.items():
        assert opt.state[key]["step"] == 10
        for state_name in opt.state_names:
            np.testing.assert_array_equal(opt.state[key][state_name], st[state_name])
