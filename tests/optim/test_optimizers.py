"""Optimizers against hand derivations and independently written recurrences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import optim


def bowl_grad(p):
    """∇(x²/20 + y²) = (x/10, 2y)."""
    return np.array([p[0] / 10.0, 2.0 * p[1]])


def test_names_lists_every_optimizer_of_the_spec():
    first_order = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "nadam", "adamw",
                   "amsgrad", "lion"]
    assert optim.names() == [*first_order, "newton", "lbfgs"]
    # A network is trained by the gradient methods only: Newton and L-BFGS read the 2-D surface itself.
    assert optim.names(network=True) == first_order


def test_sgd_on_bowl_matches_closed_form():
    eta, x0, y0 = 0.95, -7.0, 2.0
    opt = optim.create("sgd", lr=eta)
    params = {"p": np.array([x0, y0])}
    for k in range(1, 31):
        opt.step(params, {"p": bowl_grad(params["p"])})
        assert params["p"][0] == pytest.approx(x0 * (1 - eta / 10) ** k, abs=1e-12)
        assert params["p"][1] == pytest.approx(y0 * (1 - 2 * eta) ** k, abs=1e-12)


# First two steps of each optimizer, derived by hand for a 1-D parameter
# x₀ = 1 with gradients g₁ = 2 then g₂ = −1 (fixed, not recomputed).
G1, G2 = 2.0, -1.0


def two_steps(name, **hp):
    opt = optim.create(name, **hp)
    p = {"x": np.array([1.0])}
    opt.step(p, {"x": np.array([G1])})
    x1 = float(p["x"][0])
    opt.step(p, {"x": np.array([G2])})
    return x1, float(p["x"][0]), opt


def test_sgd_two_steps_by_hand():
    x1, x2, _ = two_steps("sgd", lr=0.1)
    assert x1 == pytest.approx(1 - 0.2)
    assert x2 == pytest.approx(0.8 + 0.1)


def test_momentum_two_steps_by_hand():
    # v1 = −0.1·2 = −0.2; x1 = 0.8; v2 = 0.9·(−0.2) − 0.1·(−1) = −0.08; x2 = 0.72
    x1, x2, opt = two_steps("momentum", lr=0.1, momentum=0.9)
    assert x1 == pytest.approx(0.8)
    assert x2 == pytest.approx(0.72)
    assert opt.state["x"]["v"][0] == pytest.approx(-0.08)
    assert opt.state["x"]["step"] == 2


def test_nesterov_two_steps_by_hand():
    # b1 = 2; x1 = 1 − 0.1(2 + 0.9·2) = 0.62
    # b2 = 0.9·2 − 1 = 0.8; x2 = 0.62 − 0.1(−1 + 0.72) = 0.648
    x1, x2, opt = two_steps("nesterov", lr=0.1, momentum=0.9)
    assert x1 == pytest.approx(0.62)
    assert x2 == pytest.approx(0.648)
    assert opt.state["x"]["v"][0] == pytest.approx(0.8)


def test_adagrad_two_steps_by_hand():
    # h1 = 4; x1 = 1 − 0.1·2/(2 + 1e-7); h2 = 5; x2 = x1 + 0.1/(√5 + 1e-7)
    x1, x2, opt = two_steps("adagrad", lr=0.1)
    assert x1 == pytest.approx(1 - 0.2 / (2 + 1e-7), abs=1e-15)
    assert x2 == pytest.approx(x1 + 0.1 / (math.sqrt(5) + 1e-7), abs=1e-15)
    assert opt.state["x"]["h"][0] == pytest.approx(5.0)


def test_rmsprop_two_steps_by_hand():
    # h1 = 0.01·4 = 0.04; x1 = 1 − 0.1·2/(0.2 + ε)
    # h2 = 0.99·0.04 + 0.01·1 = 0.0496; x2 = x1 + 0.1/(√0.0496 + ε)
    x1, x2, _ = two_steps("rmsprop", lr=0.1, decay_rate=0.99)
    assert x1 == pytest.approx(1 - 0.2 / (0.2 + 1e-7), abs=1e-14)
    assert x2 == pytest.approx(x1 + 0.1 / (math.sqrt(0.0496) + 1e-7), abs=1e-14)


def test_adam_two_steps_by_hand():
    # m1 = 0.2, v1 = 0.004, m̂1 = 2, v̂1 = 4 → x1 = 1 − 0.1·2/(2 + ε)
    # m2 = 0.18 − 0.1 = 0.08, v2 = 0.003996 + 0.001 = 0.004996
    # m̂2 = 0.08/0.19, v̂2 = 0.004996/(1 − 0.999²)
    x1, x2, opt = two_steps("adam", lr=0.1)
    assert x1 == pytest.approx(1 - 0.2 / (2 + 1e-7), abs=1e-14)
    m_hat = 0.08 / 0.19
    v_hat = 0.004996 / (1 - 0.999**2)
    assert x2 == pytest.approx(x1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-7), abs=1e-12)
    st = opt.state["x"]
    assert st["m"][0] == pytest.approx(0.08)
    assert st["v"][0] == pytest.approx(0.004996)
    assert st["m_hat"][0] == pytest.approx(m_hat)
    assert st["v_hat"][0] == pytest.approx(v_hat)


def test_adam_without_bias_correction_uses_raw_moments_in_the_first_step():
    # m1 = 0.2, v1 = 0.004: x1 = 1 − 0.1·0.2/(√0.004 + ε) ≈ 1 − 0.316
    x1, _, _ = two_steps("adam", lr=0.1, bias_correction=False)
    assert x1 == pytest.approx(1 - 0.1 * 0.2 / (math.sqrt(0.004) + 1e-7), abs=1e-14)
    with_hats, _, _ = two_steps("adam", lr=0.1)
    assert x1 != pytest.approx(with_hats)


def test_adamw_decays_then_steps():
    # x ← 1·(1 − 0.1·0.5) = 0.95, then the Adam step −0.1·2/(2+ε)
    x1, _, _ = two_steps("adamw", lr=0.1, weight_decay=0.5)
    assert x1 == pytest.approx(0.95 - 0.2 / (2 + 1e-7), abs=1e-14)


# -- against PyTorch's recurrences, written out independently ----------------

def torch_sgd_momentum(x, grad, lr, mu, steps, nesterov=False):
    """torch.optim.SGD(momentum=mu, dampening=0, nesterov=...) step by step."""
    buf = None
    out = [x.copy()]
    for _ in range(steps):
        d_p = grad(x)
        buf = d_p.copy() if buf is None else mu * buf + d_p
        d_p = d_p + mu * buf if nesterov else buf
        x = x - lr * d_p
        out.append(x.copy())
    return np.array(out)


def torch_adagrad(x, grad, lr, eps, steps):
    s = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        s = s + g * g
        x = x - lr * g / (np.sqrt(s) + eps)
        out.append(x.copy())
    return np.array(out)


def torch_rmsprop(x, grad, lr, alpha, eps, steps):
    sq = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        sq = alpha * sq + (1 - alpha) * g * g
        x = x - lr * g / (np.sqrt(sq) + eps)
        out.append(x.copy())
    return np.array(out)


def torch_adam(x, grad, lr, b1, b2, eps, steps, weight_decay=0.0):
    """torch.optim.Adam / AdamW (decoupled decay when weight_decay > 0)."""
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    out = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        x = x * (1 - lr * weight_decay)
        m = m + (1 - b1) * (g - m)          # torch uses lerp
        v = b2 * v + (1 - b2) * g * g
        bc1 = 1 - b1**t
        bc2_sqrt = math.sqrt(1 - b2**t)
        denom = np.sqrt(v) / bc2_sqrt + eps
        x = x - (lr / bc1) * m / denom
        out.append(x.copy())
    return np.array(out)


def run_ours(name, x, grad, steps, **hp):
    opt = optim.create(name, **hp)
    p = {"x": x.copy()}
    out = [x.copy()]
    for _ in range(steps):
        opt.step(p, {"x": grad(p["x"])})
        out.append(p["x"].copy())
    return np.array(out)


def random_quadratic(seed):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
    a = q @ np.diag(rng.uniform(0.5, 5.0, size=2)) @ q.T
    b = rng.normal(size=2)
    return (lambda x: a @ x - b), rng.normal(size=2) * 3


def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


CASES = [
    ("momentum", dict(lr=0.01, momentum=0.9), lambda x, g, s: torch_sgd_momentum(x, g, 0.01, 0.9, s)),
    ("nesterov", dict(lr=0.01, momentum=0.9), lambda x, g, s: torch_sgd_momentum(x, g, 0.01, 0.9, s, True)),
    ("adagrad", dict(lr=0.1, eps=1e-7), lambda x, g, s: torch_adagrad(x, g, 0.1, 1e-7, s)),
    ("rmsprop", dict(lr=0.01, decay_rate=0.99, eps=1e-7), lambda x, g, s: torch_rmsprop(x, g, 0.01, 0.99, 1e-7, s)),
    ("adam", dict(lr=0.05), lambda x, g, s: torch_adam(x, g, 0.05, 0.9, 0.999, 1e-7, s)),
    ("adamw", dict(lr=0.05, weight_decay=0.01), lambda x, g, s: torch_adam(x, g, 0.05, 0.9, 0.999, 1e-7, s, 0.01)),
]


@pytest.mark.parametrize("name,hp,reference", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_200_steps_on_random_quadratic_match_pytorch_recurrence(name, hp, reference, seed):
    grad, x0 = random_quadratic(seed)
    ours = run_ours(name, x0, grad, 200, **hp)
    theirs = reference(x0, grad, 200)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("name,hp,reference", CASES, ids=[c[0] for c in CASES])
def test_200_steps_on_rosenbrock_match_pytorch_recurrence(name, hp, reference):
    hp = dict(hp, lr=min(hp["lr"], 1e-3))
    x0 = np.array([-1.5, 2.0])
    ours = run_ours(name, x0, rosenbrock_grad, 200, **hp)
    # the reference closures carry their own lr; rebuild them with the capped one
    ref = {
        "momentum": lambda: torch_sgd_momentum(x0, rosenbrock_grad, hp["lr"], 0.9, 200),
        "nesterov": lambda: torch_sgd_momentum(x0, rosenbrock_grad, hp["lr"], 0.9, 200, True),
        "adagrad": lambda: torch_adagrad(x0, rosenbrock_grad, hp["lr"], 1e-7, 200),
        "rmsprop": lambda: torch_rmsprop(x0, rosenbrock_grad, hp["lr"], 0.99, 1e-7, 200),
        "adam": lambda: torch_adam(x0, rosenbrock_grad, hp["lr"], 0.9, 0.999, 1e-7, 200),
        "adamw": lambda: torch_adam(x0, rosenbrock_grad, hp["lr"], 0.9, 0.999, 1e-7, 200, 0.01),
    }[name]()
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9)


TORCH_CASES = [
    ("sgd", "SGD", dict(lr=0.01), {}),
    ("momentum", "SGD", dict(lr=0.01, momentum=0.9), {}),
    ("nesterov", "SGD", dict(lr=0.01, momentum=0.9), dict(nesterov=True)),
    ("adagrad", "Adagrad", dict(lr=0.1), dict(eps=1e-7)),
    ("rmsprop", "RMSprop", dict(lr=0.01), dict(alpha=0.99, eps=1e-7)),
    ("adam", "Adam", dict(lr=0.05), dict(eps=1e-7)),
    ("adamw", "AdamW", dict(lr=0.05, weight_decay=0.01), dict(eps=1e-7)),
]


@pytest.mark.parametrize("name,torch_name,hp,extra", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
@pytest.mark.parametrize("problem", ["quadratic", "rosenbrock"])
def test_200_steps_equal_torch_namesake_when_torch_is_installed(name, torch_name, hp, extra, problem):
    torch = pytest.importorskip("torch")
    if problem == "quadratic":
        grad, x0 = random_quadratic(7)
    else:
        grad, x0 = rosenbrock_grad, np.array([-1.5, 2.0])
        hp = dict(hp, lr=min(hp["lr"], 1e-3))
    ours = run_ours(name, x0, grad, 200, **hp)
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    o = getattr(torch.optim, torch_name)([t], **hp, **extra)
    theirs = [x0.copy()]
    for _ in range(200):
        o.zero_grad()
        t.grad = torch.tensor(grad(t.detach().numpy()), dtype=torch.float64)
        o.step()
        theirs.append(t.detach().numpy().copy())
    np.testing.assert_allclose(ours, np.array(theirs), rtol=0, atol=1e-9)


# -- API ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", optim.names(network=True))
def test_step_keeps_dtype_and_shape_and_updates_in_place(name, dtype):
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(3, 4)).astype(dtype), "b": np.zeros(4, dtype=dtype)}
    ids = {k: id(v) for k, v in params.items()}
    before = {k: v.copy() for k, v in params.items()}
    grads = {k: np.ones_like(v) for k, v in params.items()}
    opt = optim.create(name, lr=0.1)
    opt.step(params, grads)
    for k in params:
        assert id(params[k]) == ids[k]
        assert params[k].dtype == dtype
        assert params[k].shape == before[k].shape
        assert not np.allclose(params[k], before[k])
        for arr in opt.state[k].values():
            if isinstance(arr, np.ndarray):
                assert arr.dtype == dtype


def test_state_names_are_exposed_and_reset_clears_them():
    opt = optim.create("adam")
    opt.step({"w": np.ones(2)}, {"w": np.ones(2)})
    assert set(opt.state["w"]) == {"step", "m", "v", "m_hat", "v_hat"}
    opt.reset()
    assert opt.state == {}


def test_lr_is_settable_between_steps():
    opt = optim.create("sgd", lr=0.1)
    p = {"x": np.array([1.0])}
    opt.step(p, {"x": np.array([1.0])})
    opt.lr = 0.5
    opt.step(p, {"x": np.array([1.0])})
    assert p["x"][0] == pytest.approx(1 - 0.1 - 0.5)


@pytest.mark.parametrize(
    "name,hp,fragment",
    [
        ("adamm", {}, "choose one of: sgd, momentum"),
        ("sgd", {"momentum": 0.9}, "valid ones are: lr"),
        ("sgd", {"lr": 0}, "lr must be"),
        ("sgd", {"lr": -1}, "lr must be"),
        ("sgd", {"lr": float("nan")}, "lr must be"),
        ("sgd", {"lr": 1e9}, "lr must be"),
        ("adam", {"beta1": 1.0}, "beta1 must be a number in [0, 1)"),
        ("adam", {"beta2": -0.1}, "beta2 must be"),
        ("momentum", {"momentum": 1.5}, "momentum must be"),
        ("rmsprop", {"decay_rate": 1}, "decay_rate must be"),
        ("adam", {"bias_correction": "maybe"}, "bias_correction must be true or false"),
        ("adam", {"bias_correction": 1}, "bias_correction must be true or false"),
        ("adam", {"lr": "fast"}, "lr must be"),
    ],
)
def test_bad_names_and_hyperparameters_raise_value_error_with_choices(name, hp, fragment):
    with pytest.raises(ValueError, match=None) as info:
        optim.create(name, **hp)
    assert fragment in str(info.value)


def test_lr_setter_validates():
    opt = optim.create("sgd")
    with pytest.raises(ValueError):
        opt.lr = -0.1


def test_parse_spec_reads_the_command_line_form():
    assert optim.parse_spec("adam:lr=0.1,beta1=0.8,bias_correction=false") == (
        "adam", {"lr": 0.1, "beta1": 0.8, "bias_correction": False})
    assert optim.parse_spec("SGD") == ("sgd", {})
    for bad in ["sgd:lr", "sgd:lr=abc", "sgd:foo=1", "nope", "adam:beta2=1"]:
        with pytest.raises(ValueError):
            optim.parse_spec(bad)
