"""Stability maps (optilab.stability): the quadratic's closed forms and the cells against `trajectory.run`."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import optim, surfaces, trajectory
from optilab.messages import OptilabError
from optilab.stability import axis_values, default_axes, stability_map

# f = ½(λ₁x² + λ₂y²): its Hessian's eigenvalues are λ₁ and λ₂ (hand-derived, not from the code).
LAM_MIN, LAM_MAX = 1.0, 10.0
QUADRATIC = surfaces.parse(f"0.5*({LAM_MIN}*x**2 + {LAM_MAX}*y**2)")
START = (1.0, 1.0)
F0 = 0.5 * (LAM_MIN + LAM_MAX)


def test_gradient_descent_diverges_exactly_beyond_two_over_lambda_max():
    # y_k = (1 − ηλ_max)^k: |1 − ηλ_max| < 1 ⇔ η < 2/λ_max = 0.2.  Cells 0.5 % either side.
    etas = [0.05, 0.15, 0.199, 0.201, 0.25, 0.39]
    m = stability_map(QUADRATIC, "sgd", {}, "lr", etas, steps=3000, start=START)
    assert m.is_strip and m.loss.shape == (6, 1)
    below = np.array(etas) < 2 / LAM_MAX
    np.testing.assert_array_equal(~m.diverged[:, 0], below)
    assert np.all(m.loss[below, 0] < 1e-6 * F0)


def test_heavy_ball_converges_exactly_below_two_times_one_plus_mu_over_lambda_max():
    # Heavy ball on an eigen-direction: x_{k+1} = (1 + μ − ηλ) x_k − μ x_{k−1}, roots of z² − (1+μ−ηλ)z + μ;
    # both inside the unit circle ⇔ 0 < ηλ < 2(1 + μ), 0 ≤ μ < 1 (Jury's test).  Grid over the whole
    # plane; cells within 2 % of the boundary are slow either way and left out.
    mus = np.linspace(0.0, 0.8, 9)
    etas = np.linspace(0.005, 0.4, 64)
    m = stability_map(QUADRATIC, "momentum", {}, "lr", etas, "momentum", mus, steps=1500, start=START)
    E, M = np.meshgrid(etas, mus, indexing="ij")
    bound = 2 * (1 + M) / LAM_MAX
    clear = np.abs(E / bound - 1) > 0.02
    assert clear.sum() > 0.9 * clear.size
    inside = bound > E
    np.testing.assert_array_equal(m.diverged[clear], ~inside[clear])
    assert np.all(m.loss[clear & inside] < 1e-6 * F0)
    # near the boundary too: the two cells either side in each column
    for mu in mus[::2]:
        b = 2 * (1 + mu) / LAM_MAX
        near = stability_map(QUADRATIC, "momentum", {"momentum": mu}, "lr", [b * 0.98, b * 1.02],
                             steps=1500, start=START)
        assert not near.diverged[0, 0] and near.diverged[1, 0], mu


def test_fastest_cell_is_polyaks_optimum_within_one_cell():
    # Goh, "Why Momentum Really Works" (Distill 2017): η* = (2/(√λ_max + √λ_min))², μ* = ((√κ−1)/(√κ+1))².
    # κ = 10: η* = (2/(1 + √10))² ≈ 0.2309, μ* = ((√10 − 1)/(√10 + 1))² ≈ 0.2699, written from the formula.
    root_k = math.sqrt(10.0)
    eta_star, mu_star = (2 / (1 + root_k)) ** 2, ((root_k - 1) / (root_k + 1)) ** 2
    etas = np.linspace(0.1, 0.35, 64)
    mus = np.linspace(0.05, 0.5, 64)
    # The fewest steps measure the asymptotic rate only when the tolerance is many decades down
    # (a loose one rewards the first few steps' transient): 10⁻¹⁰⁰.
    m = stability_map(QUADRATIC, "momentum", {}, "lr", etas, "momentum", mus, steps=1000, start=START,
                      measure="steps", tol=1e-100)
    steps = m.of()
    best = np.argwhere(steps == np.nanmin(steps))
    for i, j in best:
        assert abs(etas[i] - eta_star) <= etas[1] - etas[0]
        assert abs(mus[j] - mu_star) <= mus[1] - mus[0]


CASES = [
    ("sgd", None, {}),
    ("momentum", "momentum", {}),
    ("nesterov", "momentum", {}),
    ("adagrad", None, {"eps": 1e-3}),
    ("rmsprop", "decay_rate", {}),
    ("adam", "beta1", {}),
    ("adam", "beta2", {"bias_correction": False}),
    ("adamw", "beta1", {"weight_decay": 0.1}),
]


@pytest.mark.parametrize(("name", "y_key", "fixed"), CASES)
@pytest.mark.parametrize("surface_name", ["ill-conditioned", "rosenbrock"])
def test_every_cell_is_the_trajectory_engines_run(name, y_key, fixed, surface_name):
    surface = surfaces.get(surface_name)
    etas = np.geomspace(1e-3, 3.0, 9)
    ys = None if y_key is None else np.linspace(0.0, 0.95, 5)
    m = stability_map(surface, name, fixed, "lr", etas, y_key, ys, steps=60)
    checked_diverged = False
    for i in range(len(etas)):
        for j in range(m.loss.shape[1]):
            tr = trajectory.run(surface, name, m.hparams(i, j), steps=60)
            expect = -1 if tr.diverged_at is None else tr.diverged_at
            assert m.diverged_at[i, j] == expect, (i, j)
            if tr.diverged_at is None:
                assert m.loss[i, j] == pytest.approx(tr.loss[-1], rel=1e-12, abs=1e-12)
            else:
                checked_diverged = True
                assert math.isnan(m.loss[i, j])
    assert checked_diverged or name in ("adagrad", "rmsprop", "adam", "adamw")


def test_stochastic_cells_see_the_batches_the_engine_draws():
    surface = surfaces.least_squares(batch_size=5)
    m = stability_map(surface, "sgd", {}, "lr", [0.01, 0.1, 0.3], steps=40, seed=7)
    for i, eta in enumerate((0.01, 0.1, 0.3)):
        tr = trajectory.run(surface, "sgd", {"lr": eta}, steps=40, seed=7)
        assert m.loss[i, 0] == pytest.approx(tr.loss[-1], rel=1e-12)


def test_steps_to_tolerance_is_the_first_step_at_or_below_it():
    # SGD on f = x²/2 from x = 1 with η = 0.5: x_k = 2^−k, f_k = 2^(−2k−1) ≤ 1e-6 first at k = 10.
    line = surfaces.parse("0.5*x**2 + 0*y")
    m = stability_map(line, "sgd", {}, "lr", [0.5, 1e-4], steps=20, start=(1.0, 0.0), tol=1e-6)
    assert m.steps_to_tol[0, 0] == 10 and m.steps_to_tol[1, 0] == -1
    assert m.of("steps")[0, 0] == 10 and math.isnan(m.of("steps")[1, 0])


def test_default_axes_follow_each_optimizers_own_second_hyperparameter():
    assert default_axes("sgd") == ("lr", None) and default_axes("adagrad") == ("lr", None)
    assert default_axes("momentum") == ("lr", "momentum") == default_axes("nesterov")
    assert default_axes("rmsprop") == ("lr", "decay_rate")
    assert default_axes("adam") == ("lr", "beta1")
    assert all(default_axes(n)[0] in optim.get_class(n).defaults for n in optim.names())


def test_axis_values_log_and_linear():
    np.testing.assert_allclose(axis_values("sgd", "lr", 1e-3, 1e-1, 3, log=True), [1e-3, 1e-2, 1e-1])
    np.testing.assert_allclose(axis_values("momentum", "momentum", 0.0, 0.9, 4), [0.0, 0.3, 0.6, 0.9])


@pytest.mark.parametrize(("args", "words"), [
    (("sgd", "momentum", 0.1, 0.9, 8), "sgd has no number 'momentum'"),
    (("adam", "bias_correction", 0.0, 1.0, 8), "no number 'bias_correction'"),
    (("sgd", "lr", 0.5, 0.1, 8), "LO < HI"),
    (("sgd", "lr", 0.1, 0.1, 8), "LO < HI"),
    (("momentum", "momentum", 0.0, 1.0, 8), "momentum must be"),
    (("sgd", "lr", 0.1, 1.0, 1), "grid must be"),
    (("sgd", "lr", 0.1, 1.0, 1000), "grid must be"),
])
def test_bad_axes_are_one_clear_line(args, words):
    with pytest.raises(OptilabError, match=words):
        axis_values(*args)


def test_log_axis_needs_a_positive_low():
    with pytest.raises(OptilabError, match="LO > 0"):
        axis_values("momentum", "momentum", 0.0, 0.9, 8, log=True)


def test_same_key_twice_is_refused():
    with pytest.raises(OptilabError, match="same hyperparameter"):
        stability_map(QUADRATIC, "momentum", {}, "lr", [0.1, 0.2], "lr", [0.1, 0.2], steps=5)
