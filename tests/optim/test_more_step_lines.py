"""The numbers panel of Adadelta, NAdam, AMSGrad and Lion: steps 1 and 2 of a recorded run on the
bowl f = x²/20 + y² (∇f = (x/10, 2y)) from (−7, 2), each number derived here by hand from the
paper's equations (plain floats, none of optilab's helpers), printed to 4 significant digits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import optim, surfaces
from optilab.optim import StepNumbers
from optilab.trajectory import run

X0 = (-7.0, 2.0)


def grad(x):
    return (x[0] / 10.0, 2.0 * x[1])


def f4(v):
    return f"{v:.4g}"


def v2(a):
    return f"({f4(a[0])}, {f4(a[1])})"


def zip2(fn, *arrays):
    return tuple(fn(*vals) for vals in zip(*arrays, strict=True))


def panel(name, hp, k):
    t = run(surfaces.get("bowl"), name, hp, X0, 2)
    n = StepNumbers.recorded(k, t.x, t.y, t.grad, t.state, t.hparams)
    return optim.get_class(name).step_lines(n), t


def check_point(t, k, x):
    assert (t.x[k], t.y[k]) == pytest.approx(x, abs=1e-12)


@pytest.mark.parametrize("k", [1, 2])
def test_adadelta_lines_are_the_hand_computed_steps(k):
    rho, eps, lr = 0.5, 0.01, 1.0
    x, v, u = X0, (0.0, 0.0), (0.0, 0.0)
    for _ in range(k):
        g, u_prev, x_prev = grad(x), u, x
        v_prev = v
        v = zip2(lambda a, b: rho * a + (1 - rho) * b * b, v, g)
        d = zip2(lambda uu, vv, gg: math.sqrt(uu + eps) / math.sqrt(vv + eps) * gg, u, v, g)
        u = zip2(lambda a, b: rho * a + (1 - rho) * b * b, u, d)
        x = zip2(lambda a, b: a - lr * b, x, d)
    lines, t = panel("adadelta", {"lr": lr, "decay_rate": rho, "eps": eps}, k)
    check_point(t, k, x)
    assert lines == [
        f"v ← ρv + (1−ρ)g² = 0.5·{v2(v_prev)} + (1−0.5)·{v2(g)}² = {v2(v)}",
        f"Δ = √(u+ε)/√(v+ε)·g = √({v2(u_prev)} + 0.01)/√({v2(v)} + 0.01)·{v2(g)} = {v2(d)}",
        f"u ← ρu + (1−ρ)Δ² = 0.5·{v2(u_prev)} + (1−0.5)·{v2(d)}² = {v2(u)}",
        f"x ← x − ηΔ = {v2(x_prev)} − 1·{v2(d)} = {v2(x)}",
    ]


@pytest.mark.parametrize("k", [1, 2])
def test_nadam_lines_are_the_hand_computed_steps(k):
    lr, b1, b2, eps, psi = 0.5, 0.9, 0.99, 1e-8, 0.5
    x, m, v, prod = X0, (0.0, 0.0), (0.0, 0.0), 1.0
    for t in range(1, k + 1):
        g, x_prev, m_prev, v_prev = grad(x), x, m, v
        mu, mu_next = b1 * (1 - 0.5 * 0.96 ** (t * psi)), b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        prod *= mu
        m = zip2(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        v = zip2(lambda a, b: b2 * a + (1 - b2) * b * b, v, g)
        v_hat = tuple(a / (1 - b2**t) for a in v)
        cg, cm = (1 - mu) / (1 - prod), mu_next / (1 - prod * mu_next)
        x = tuple(xx - lr * (cg * gg + cm * mm) / (math.sqrt(vv) + eps)
                  for xx, gg, mm, vv in zip(x, g, m, v_hat, strict=True))
    lines, tr = panel("nadam", {"lr": lr, "beta2": b2, "momentum_decay": psi}, k)
    check_point(tr, k, x)
    assert lines == [
        f"μₜ = β₁(1 − ½·0.96^(tψ)) = 0.9·(1 − ½·0.96^({k}·0.5)) = {f4(mu)} ;  μₜ₊₁ = {f4(mu_next)} ;  "
        f"Πₜ = μ₁⋯μₜ = {f4(prod)}",
        f"m ← β₁m + (1−β₁)g = 0.9·{v2(m_prev)} + (1−0.9)·{v2(g)} = {v2(m)}",
        f"v ← β₂v + (1−β₂)g² = 0.99·{v2(v_prev)} + (1−0.99)·{v2(g)}² = {v2(v)}",
        f"v̂ = v/(1−β₂^{k}) = {v2(v_hat)}",
        f"x ← x − η[(1−μₜ)g/(1−Πₜ) + μₜ₊₁m/(1−Πₜ₊₁)]/(√v̂ + ε) = {v2(x_prev)} − 0.5·"
        f"[{f4(cg)}·{v2(g)} + {f4(cm)}·{v2(m)}]/(√v̂ + 1e-08) = {v2(x)}",
    ]


@pytest.mark.parametrize("k", [1, 2])
def test_amsgrad_lines_are_the_hand_computed_steps_and_the_maximum_binds_in_y(k):
    # β₂ = ½: v₁ = g₁²/2 = (0.245, 8); x₁ ≈ (−6, 1), so g₂ = (−0.6, 2) and v₂ = (0.3025, 6) < v₁ in y.
    lr, b1, b2, eps = 1.0, 0.5, 0.5, 1e-7
    x, m, v, vmax = X0, (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)
    for t in range(1, k + 1):
        g, x_prev, m_prev, v_prev, vmax_prev = grad(x), x, m, v, vmax
        m = zip2(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        v = zip2(lambda a, b: b2 * a + (1 - b2) * b * b, v, g)
        vmax = zip2(max, vmax, v)
        m_hat, v_hat = tuple(a / (1 - b1**t) for a in m), tuple(a / (1 - b2**t) for a in vmax)
        x = zip2(lambda xx, mm, vv: xx - lr * mm / (math.sqrt(vv) + eps), x, m_hat, v_hat)
    lines, tr = panel("amsgrad", {"lr": lr, "beta1": b1, "beta2": b2}, k)
    check_point(tr, k, x)
    if k == 2:
        assert vmax[1] == 8.0 > v[1] == pytest.approx(6.0) and vmax[0] == v[0]
    assert lines == [
        f"m ← β₁m + (1−β₁)g = 0.5·{v2(m_prev)} + (1−0.5)·{v2(g)} = {v2(m)}",
        f"v ← β₂v + (1−β₂)g² = 0.5·{v2(v_prev)} + (1−0.5)·{v2(g)}² = {v2(v)}",
        f"v_max ← max(v_max, v) = max({v2(vmax_prev)}, {v2(v)}) = {v2(vmax)}",
        f"m̂ = m/(1−β₁^{k}) = {v2(m_hat)} ;  v̂ = v_max/(1−β₂^{k}) = {v2(v_hat)}",
        f"x ← x − η m̂/(√v̂ + ε) = {v2(x_prev)} − 1·m̂/(√v̂ + 1e-07) = {v2(x)}",
    ]


@pytest.mark.parametrize("k", [1, 2])
def test_lion_lines_are_the_hand_computed_steps(k):
    # Step 1: c = 0.1 g₀ = (−0.07, 0.4), sign (−1, +1): x₁ = (−7, 2) − 0.5((−1, 1) + 0.2(−7, 2)) = (−5.8, 1.3).
    lr, b1, b2, lam = 0.5, 0.9, 0.99, 0.2
    x, m = X0, (0.0, 0.0)
    for _ in range(k):
        g, x_prev, m_prev = grad(x), x, m
        c = zip2(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        signs = tuple(float(np.sign(ci)) for ci in c)
        x = zip2(lambda xx, s: xx - lr * (s + lam * xx), x, signs)
        m = zip2(lambda a, b: b2 * a + (1 - b2) * b, m, g)
    lines, tr = panel("lion", {"lr": lr, "weight_decay": lam}, k)
    check_point(tr, k, x)
    if k == 1:
        assert x == pytest.approx((-5.8, 1.3))
    shown = "(" + ", ".join("+1" if s > 0 else "-1" for s in signs) + ")"
    assert lines == [
        f"c = β₁m + (1−β₁)g = 0.9·{v2(m_prev)} + (1−0.9)·{v2(g)} = {v2(c)}",
        f"x ← x − η (sign(c) + λx) = {v2(x_prev)} − 0.5·({shown} + 0.2·{v2(x_prev)}) = {v2(x)}",
        f"m ← β₂m + (1−β₂)g = 0.99·{v2(m_prev)} + (1−0.99)·{v2(g)} = {v2(m)}",
    ]


@pytest.mark.parametrize("name", ["adadelta", "nadam", "amsgrad", "lion"])
def test_every_state_array_is_recorded_per_step_as_a_pair(name):
    t = run(surfaces.get("bowl"), name, {}, X0, 3)
    assert set(t.state) == set(optim.get_class(name).state_names)
    assert all(np.asarray(arr).shape == (4, 2) for arr in t.state.values())
