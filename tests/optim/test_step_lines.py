"""Each optimizer class prints its own update with a step's numbers (moved from tests/test_lessons.py).

Expected lines are derived by hand from the equations, for numbers chosen so
that each product is exact.
"""

from __future__ import annotations

import numpy as np
import pytest

from optilab import optim, surfaces
from optilab.optim import StepNumbers
from optilab.trajectory import run


def recorded(t, k):
    return StepNumbers.recorded(k, t.x, t.y, t.grad, t.state, t.hparams)


def lines(name, n):
    return optim.get_class(name).step_lines(n)


def test_step_lines_substitute_the_recorded_numbers():
    t = run(surfaces.get("bowl"), "momentum", {"lr": 0.1, "momentum": 0.9}, (-7.0, 2.0), 3)
    got = lines("momentum", recorded(t, 1))
    # Step 1 by hand: g₀ = (−0.7, 4); v₁ = −0.1·g₀ = (0.07, −0.4); x₁ = (−6.93, 1.6).
    assert got[0] == "v ← μ v − η g = 0.9·(0, 0) − 0.1·(-0.7, 4) = (0.07, -0.4)"
    assert got[1] == "x ← x + v = (-7, 2) + (0.07, -0.4) = (-6.93, 1.6)"
    assert lines("momentum", recorded(t, 0)) == ["start: x₀ = (-7, 2); no update yet"]
    with pytest.raises(ValueError, match="step must be in 0…3, got 4"):
        recorded(t, 4)


def test_recorded_reads_the_previous_point_and_gradient_and_both_states():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    grad = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    state = {"v": np.array([[0.0, 0.0], [7.0, 8.0], [9.0, 10.0]])}
    n = StepNumbers.recorded(2, x, y, grad, state, {"lr": 0.5})
    assert (n.k, n.x_prev, n.x_new, n.g) == (2, (2.0, 5.0), (3.0, 6.0), (0.3, 0.4))
    assert (dict(n.state_prev), dict(n.state), dict(n.hparams)) == ({"v": (7.0, 8.0)}, {"v": (9.0, 10.0)}, {"lr": 0.5})
    with pytest.raises(TypeError):
        n.state["v"] = (0.0, 0.0)      # frozen: a step's numbers are a record


def numbers(k=1, x_prev=(1.0, 2.0), x_new=(0.5, 1.0), g=(0.5, 1.0), prev=None, state=None, **hp):
    return StepNumbers(k, x_prev, x_new, g, prev or {}, state or {}, hp)


def test_sgd_line():
    # x₁ = (1, 2) − 1·(0.5, 1) = (0.5, 1).
    assert lines("sgd", numbers(lr=1.0)) == ["x ← x − η g = (1, 2) − 1·(0.5, 1) = (0.5, 1)"]


def test_nesterov_lines():
    # b ← 0.5·(2, 2) + (0.5, 1) = (1.5, 2);  x ← (1, 2) − 0.1·((0.5, 1) + 0.5·(1.5, 2)).
    n = numbers(prev={"v": (2.0, 2.0)}, state={"v": (1.5, 2.0)}, x_new=(0.875, 1.8), lr=0.1, momentum=0.5)
    assert lines("nesterov", n) == [
        "v ← μ v + g = 0.5·(2, 2) + (0.5, 1) = (1.5, 2)",
        "x ← x − η (g + μ v) = (1, 2) − 0.1·((0.5, 1) + 0.5·(1.5, 2)) = (0.875, 1.8)",
    ]


def test_adagrad_and_rmsprop_lines():
    # AdaGrad: h ← (0.75, 3) + (0.5, 1)² = (1, 4); x ← (1, 2) − 0.5·(0.5, 1)/(√(1, 4) + 0) = (0.75, 1.75).
    n = numbers(prev={"h": (0.75, 3.0)}, state={"h": (1.0, 4.0)}, x_new=(0.75, 1.75), lr=0.5, eps=0.001)
    assert lines("adagrad", n) == [
        "h ← h + g² = (0.75, 3) + (0.5, 1)² = (1, 4)",
        "x ← x − η g / (√h + ε) = (1, 2) − 0.5·(0.5, 1) / (√(1, 4) + 0.001) = (0.75, 1.75)",
    ]
    # RMSprop, ρ = 0.5: h ← 0.5·(0.5, 2) + 0.5·(0.5, 1)² = (0.375, 1.5).
    n = numbers(prev={"h": (0.5, 2.0)}, state={"h": (0.375, 1.5)}, lr=0.5, decay_rate=0.5, eps=0.001)
    assert lines("rmsprop", n)[0] == "h ← ρ h + (1−ρ) g² = 0.5·(0.5, 2) + (1−0.5)·(0.5, 1)² = (0.375, 1.5)"


def adam_numbers(**hp):
    # k = 1 from zero moments, β₁ = 0.5, β₂ = 0.75, g = (0.5, 1):
    # m = 0.5 g = (0.25, 0.5), v = 0.25 g² = (0.0625, 0.25), m̂ = m/0.5 = g, v̂ = v/0.25 = g².
    zero = {"m": (0.0, 0.0), "v": (0.0, 0.0), "m_hat": (0.0, 0.0), "v_hat": (0.0, 0.0)}
    after = {"m": (0.25, 0.5), "v": (0.0625, 0.25), "m_hat": (0.5, 1.0), "v_hat": (0.25, 1.0)}
    return numbers(prev=zero, state=after, lr=0.1, beta1=0.5, beta2=0.75, eps=0.001, **hp)


def test_adam_lines():
    assert lines("adam", adam_numbers(bias_correction=True)) == [
        "m ← β₁m + (1−β₁)g = 0.5·(0, 0) + (1−0.5)·(0.5, 1) = (0.25, 0.5)",
        "v ← β₂v + (1−β₂)g² = 0.75·(0, 0) + (1−0.75)·(0.5, 1)² = (0.0625, 0.25)",
        "m̂ = m/(1−β₁^1) = (0.5, 1) ;  v̂ = v/(1−β₂^1) = (0.25, 1)",
        "x ← x − η m̂/(√v̂ + ε) = (1, 2) − 0.1·m̂/(√v̂ + 0.001) = (0.5, 1)",
    ]
    no_bias = lines("adam", adam_numbers(bias_correction=False))
    assert no_bias[2] == "no bias correction: m̂ = m = (0.5, 1) ;  v̂ = v = (0.25, 1)"


def test_adamw_puts_its_decay_line_before_adams():
    n = adam_numbers(bias_correction=True, weight_decay=0.25)
    assert lines("adamw", n) == ["x ← x (1 − η λ) with λ = 0.25, then:", *lines("adam", n)]


def test_step_lines_cover_every_optimizer():
    bowl = surfaces.get("bowl")
    for name in optim.names():
        t = run(bowl, name, {}, (-7.0, 2.0), 2)
        got = lines(name, recorded(t, 2))
        assert got and all("=" in line for line in got), name
        assert lines(name, recorded(t, 0)) == ["start: x₀ = (-7, 2); no update yet"], name
