"""Adadelta, NAdam, AMSGrad and Lion (issue #16 item 3) against their references, 200 float64 steps:
torch.optim's namesakes (Adadelta, NAdam, Adam(amsgrad=True)) and, for Lion, which torch lacks,
the paper's Algorithm 1 written out below in plain numpy.  The gradient is re-evaluated at each
new point (a random quadratic plus a sine term), so any difference feeds back into the path."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from optilab import optim

NEW = ["adadelta", "nadam", "amsgrad", "lion"]
SHAPES = {"W": (3, 4), "b": (4,), "v": (5,)}
STEPS = 200


def problem(seed):
    """Start points and g(x) = A vec(x) − b + 0.3 cos(x) for each array (∇ of ½xᵀAx − bᵀx + 0.3 Σ sin x).

    A's eigenvalues lie in [0.5, 2], so the function is strongly convex: the paths do not
    amplify rounding (with eigenvalues up to 4 Adadelta's path turns chaotic after ~100 steps).
    """
    rng = np.random.default_rng(seed)
    start, mats = {}, {}
    for key, shape in SHAPES.items():
        n = int(np.prod(shape))
        q, _ = np.linalg.qr(rng.normal(size=(n, n)))
        a = q @ np.diag(rng.uniform(0.5, 2.0, size=n)) @ q.T
        mats[key] = (a, rng.normal(size=n))
        start[key] = rng.normal(size=shape) * 2.0

    def grad(key, x):
        a, b = mats[key]
        return (a @ x.ravel() - b).reshape(x.shape) + 0.3 * np.cos(x)

    return start, grad


def run_ours(name, hp, seed, steps=STEPS, nudge=0.0):
    start, grad = problem(seed)
    opt = optim.create(name, **hp)
    params = {k: v.copy() for k, v in start.items()}
    params["W"][0, 0] += nudge
    path = [np.concatenate([p.ravel() for p in params.values()])]
    for _ in range(steps):
        opt.step(params, {k: grad(k, p) for k, p in params.items()})
        path.append(np.concatenate([p.ravel() for p in params.values()]))
    return np.array(path), opt


def run_torch(torch_name, kwargs, seed, steps=STEPS):
    torch = pytest.importorskip("torch")
    # NAdam keeps its momentum product Πₜ in a tensor of the default dtype: float32 unless
    # told, which alone moves step 1 by 2e-10.  Float64 throughout, as the brief's "float64 steps".
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return _run_torch(torch, torch_name, kwargs, seed, steps)
    finally:
        torch.set_default_dtype(default)


def _run_torch(torch, torch_name, kwargs, seed, steps):
    start, grad = problem(seed)
    tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in start.items()}
    opt = getattr(torch.optim, torch_name)(list(tensors.values()), **kwargs)
    path = [np.concatenate([v.ravel() for v in start.values()])]
    for _ in range(steps):
        for k, t in tensors.items():
            t.grad = torch.tensor(grad(k, t.detach().numpy()), dtype=torch.float64)
        opt.step()
        path.append(np.concatenate([t.detach().numpy().ravel() for t in tensors.values()]))
    return np.array(path)


TORCH = [
    ("adadelta", {}, "Adadelta", {}),                                            # both defaults
    ("adadelta", {"lr": 0.5, "decay_rate": 0.95, "eps": 1e-5}, "Adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-5}),
    ("nadam", {}, "NAdam", {}),
    ("nadam", {"lr": 0.003, "beta1": 0.8, "eps": 1e-6, "momentum_decay": 0.02},
     "NAdam", {"lr": 0.003, "betas": (0.8, 0.999), "eps": 1e-6, "momentum_decay": 0.02}),
    ("amsgrad", {}, "Adam", {"amsgrad": True, "eps": 1e-7}),
    ("amsgrad", {"lr": 0.05, "beta1": 0.8, "beta2": 0.99}, "Adam",
     {"lr": 0.05, "betas": (0.8, 0.99), "amsgrad": True, "eps": 1e-7}),
]


@pytest.mark.parametrize("name,hp,torch_name,kwargs", TORCH, ids=[f"{c[0]}-{i}" for i, c in enumerate(TORCH)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_200_float64_steps_stay_within_1e_9_of_the_torch_namesake(name, hp, torch_name, kwargs, seed):
    theirs = run_torch(torch_name, kwargs, seed)
    ours, _ = run_ours(name, hp, seed)
    assert np.abs(ours - ours[0]).max() > 1e-3           # the runs went somewhere
    # A comparison at 1e-9 needs a path that does not amplify rounding: ours, started 1e-15 away,
    # stays within 1e-12.  (NAdam with η 0.01, β₂ 0.99 on seed 1 does not: a coordinate whose g
    # crosses 0 while √v̂ ≈ |g| makes each step expand differences ~1.3×, and our own run nudged
    # by 1e-15 is 3e-4 away at step 80 — torch's lerp/fused rounding then shows as 4e-3.)
    nudged, _ = run_ours(name, hp, seed, nudge=1e-15)
    assert np.abs(ours - nudged).max() <= 1e-12
    assert np.abs(ours - theirs).max() <= 1e-9


def test_torch_defaults_are_ours_except_amsgrads_epsilon():
    torch = pytest.importorskip("torch")
    p = [torch.zeros(1, dtype=torch.float64)]
    ada = torch.optim.Adadelta(p).defaults
    assert optim.get_class("adadelta").defaults == {"lr": ada["lr"], "decay_rate": ada["rho"], "eps": ada["eps"]}
    nad = torch.optim.NAdam(p).defaults
    assert optim.get_class("nadam").defaults == {
        "lr": nad["lr"], "beta1": nad["betas"][0], "beta2": nad["betas"][1], "eps": nad["eps"],
        "momentum_decay": nad["momentum_decay"]}
    adam = torch.optim.Adam(p, amsgrad=True).defaults
    ours = optim.get_class("amsgrad").defaults
    assert (ours["lr"], ours["beta1"], ours["beta2"]) == (adam["lr"], *adam["betas"])
    assert ours["eps"] == optim.get_class("adam").defaults["eps"] == 1e-7   # Adam's, on purpose (docstring)


def test_amsgrads_maximum_matters_on_these_runs():
    """The parity above could not tell AMSGrad from Adam if v never fell below its maximum."""
    hp = {"lr": 0.05, "beta1": 0.8, "beta2": 0.99}       # the second AMSGrad case above
    ours, opt = run_ours("amsgrad", hp, 0)
    adam, _ = run_ours("adam", hp, 0)
    assert any((st["v_max"] > st["v"] * 1.5).any() for st in opt.state.values())
    assert np.abs(ours - adam).max() > 1e-3


def lion_paper(seed, lr, beta1, beta2, wd, steps=STEPS):
    """Chen et al. 2023, Algorithm 1, line by line, on plain per-element Python floats."""
    start, grad = problem(seed)
    x = {k: v.copy() for k, v in start.items()}
    m = {k: np.zeros_like(v) for k, v in start.items()}
    path = [np.concatenate([v.ravel() for v in x.values()])]
    for _ in range(steps):
        for k in x:
            g = grad(k, x[k])
            new_x, new_m = np.empty_like(x[k]), np.empty_like(x[k])
            for i in np.ndindex(x[k].shape):
                gi, mi, xi = float(g[i]), float(m[k][i]), float(x[k][i])
                c = beta1 * mi + (1 - beta1) * gi
                sign = (c > 0) - (c < 0)
                new_x[i] = xi - lr * (sign + wd * xi)
                new_m[i] = beta2 * mi + (1 - beta2) * gi
            x[k], m[k] = new_x, new_m
        path.append(np.concatenate([v.ravel() for v in x.values()]))
    return np.array(path)


@pytest.mark.parametrize("hp", [{}, {"lr": 0.01, "beta1": 0.8, "beta2": 0.95, "weight_decay": 0.3}],
                         ids=["defaults", "decay"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lion_follows_the_papers_algorithm_for_200_steps(hp, seed):
    full = {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99, "weight_decay": 0.0, **hp}
    ours, _ = run_ours("lion", hp, seed)
    theirs = lion_paper(seed, full["lr"], full["beta1"], full["beta2"], full["weight_decay"])
    assert np.abs(ours - theirs).max() <= 1e-9
    # every coordinate moved by η per step at most (plus the decay's η λ |x|)
    steps = np.abs(np.diff(ours, axis=0))
    assert steps.max() <= full["lr"] * (1 + full["weight_decay"] * np.abs(ours).max()) + 1e-15


@pytest.mark.parametrize("name", NEW)
def test_step_flat_equals_step_and_the_two_can_alternate(name):
    start, grad = problem(3)
    hp = {"lr": 0.01} if name != "adadelta" else {}
    per_key = {k: v.copy() for k, v in start.items()}
    theta = np.concatenate([v.ravel() for v in start.values()])
    views, offset = {}, 0
    for k, v in start.items():
        views[k] = theta[offset:offset + v.size].reshape(v.shape)
        offset += v.size
    a, b = optim.create(name, **hp), optim.create(name, **hp)
    for i in range(40):
        a.step(per_key, {k: grad(k, p) for k, p in per_key.items()})
        gflat = np.concatenate([grad(k, views[k]).ravel() for k in views])
        if 15 <= i < 25:                                 # per-key steps in the middle of flat ones
            b.step(views, {k: grad(k, v) for k, v in views.items()})
        else:
            b.step_flat(theta, gflat, views)
        for k in per_key:
            np.testing.assert_array_equal(views[k], per_key[k], err_msg=f"{name} step {i} {k}")


@pytest.mark.parametrize("name", NEW)
def test_float32_stays_float32_and_follows_the_float64_run(name):
    start, grad = problem(4)
    hp = {"lr": 0.01} if name != "adadelta" else {}
    p64 = {k: v.copy() for k, v in start.items()}
    p32 = {k: v.astype(np.float32) for k, v in start.items()}
    o64, o32 = optim.create(name, **hp), optim.create(name, **hp)
    for _ in range(30):
        o64.step(p64, {k: grad(k, p) for k, p in p64.items()})
        o32.step(p32, {k: grad(k, p.astype(np.float64)).astype(np.float32) for k, p in p32.items()})
    for k in p32:
        assert p32[k].dtype == np.float32
        assert all(a.dtype == np.float32 for a in o32.state[k].values() if isinstance(a, np.ndarray))
        assert set(o32.state_names) <= set(o32.state[k])
        np.testing.assert_allclose(p32[k], p64[k], rtol=0, atol=1e-4)


def test_nadams_momentum_product_survives_a_restored_state():
    """Πₜ is a number kept with its step: a state copied back (lr_find does this) gives the same steps."""
    start, grad = problem(5)
    params = {k: v.copy() for k, v in start.items()}
    opt = optim.create("nadam", lr=0.01)
    for _ in range(10):
        opt.step(params, {k: grad(k, p) for k, p in params.items()})
    saved, saved_params = copy.deepcopy(opt.state), copy.deepcopy(params)
    for _ in range(5):
        opt.step(params, {k: grad(k, p) for k, p in params.items()})
    after = copy.deepcopy(params)
    for keep_product in (True, False):        # Πₜ restored with the state, or recomputed from t
        opt.state.clear()
        opt.state.update({k: {n: v for n, v in copy.deepcopy(st).items() if keep_product or n != "mu_product"}
                          for k, st in saved.items()})
        again = copy.deepcopy(saved_params)
        for _ in range(5):
            opt.step(again, {k: grad(k, p) for k, p in again.items()})
        for k in after:
            np.testing.assert_allclose(again[k], after[k], rtol=0, atol=1e-14)


@pytest.mark.parametrize("name,bad,fragment", [
    ("adadelta", {"decay_rate": 1.0}, "decay_rate must be"),
    ("nadam", {"momentum_decay": -0.1}, "momentum_decay must be"),
    ("amsgrad", {"beta2": 1.0}, "beta2 must be"),
    ("lion", {"weight_decay": -1}, "weight_decay must be"),
    ("lion", {"eps": 1e-8}, "valid ones are: lr, beta1, beta2, weight_decay"),
])
def test_bad_hyperparameters_say_what_is_allowed(name, bad, fragment):
    with pytest.raises(ValueError) as info:
        optim.create(name, **bad)
    assert fragment in str(info.value)
