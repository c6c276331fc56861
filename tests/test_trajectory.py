"""Trajectory engine: closed forms, recording, divergence, exports."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest

from optilab import surfaces, trajectory
from optilab.trajectory import Run


def test_sgd_on_bowl_is_the_closed_form_of_the_book_figure():
    bowl = surfaces.get("bowl")
    run = trajectory.run(bowl, "sgd", {"lr": 0.95}, start=(-7, 2), steps=30)
    k = np.arange(31)
    np.testing.assert_allclose(run.x, -7 * (1 - 0.095) ** k, rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.y, 2 * (1 - 1.9) ** k, rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.loss, run.x**2 / 20 + run.y**2, rtol=1e-14)
    assert run.status == "ok" and run.diverged_at is None and run.n_points == 31


def test_recorded_gradient_is_the_gradient_at_each_point():
    bowl = surfaces.get("bowl")
    run = trajectory.run(bowl, "adam", {"lr": 0.3}, steps=10)
    np.testing.assert_allclose(run.grad[:, 0], run.x / 10)
    np.testing.assert_allclose(run.grad[:, 1], 2 * run.y)


def test_momentum_state_is_recorded_after_each_update():
    # v_k = μ v_{k−1} − η g_{k−1}; x_k = x_{k−1} + v_k  → v_k = x_k − x_{k−1}
    run = trajectory.run(surfaces.get("bowl"), "momentum", {"lr": 0.1, "momentum": 0.9}, steps=20)
    v = run.state["v"]
    assert v.shape == (21, 2)
    np.testing.assert_allclose(v[0], 0.0)
    np.testing.assert_allclose(v[1:, 0], np.diff(run.x), atol=1e-15)
    np.testing.assert_allclose(v[1:, 1], np.diff(run.y), atol=1e-15)
    assert run.step_taken(3) == pytest.approx((run.x[3] - run.x[2], run.y[3] - run.y[2]))


def test_adam_records_all_four_state_arrays():
    run = trajectory.run(surfaces.get("rosenbrock"), "adam", {"lr": 0.01}, steps=5)
    assert set(run.state) == {"m", "v", "m_hat", "v_hat"}
    g0 = run.grad[0]
    np.testing.assert_allclose(run.state["m"][1], 0.1 * g0)          # m1 = (1−β₁) g₀
    np.testing.assert_allclose(run.state["v_hat"][1], g0 * g0)       # v̂1 = g₀²


def test_huge_learning_rate_diverges_as_a_result_not_an_exception():
    # SGD on the bowl with η = 100: y_k = 2(1 − 200)^k leaves 1000× the
    # domain (|y| > 5000) at k = 2.
    run = trajectory.run(surfaces.get("bowl"), "sgd", {"lr": 100}, start=(-7, 2), steps=30)
    assert run.status == "diverged"
    assert run.diverged_at == 2
    assert run.n_points == 2
    assert np.all(np.isfinite(run.x)) and np.all(np.isfinite(run.loss))


def test_non_finite_loss_stops_the_run():
    surf = surfaces.parse("exp(x*x*100) + y")
    run = trajectory.run(surf, "sgd", {"lr": 0.5}, start=(2.0, 0.0), steps=10)
    assert run.status == "diverged"
    assert run.diverged_at is not None and run.diverged_at <= 2


def test_run_many_makes_labels_unique():
    specs = [Run("sgd", {"lr": 0.1}), Run("sgd", {"lr": 0.5}), Run("adam")]
    runs = trajectory.run_many(surfaces.get("bowl"), specs, steps=3)
    labels = [r.label for r in runs]
    assert len(set(labels)) == 3 and labels[2] == "adam"


def test_stochastic_surface_is_reproducible_by_seed():
    surf = surfaces.least_squares(batch_size=1, seed=0)
    a = trajectory.run(surf, "sgd", {"lr": 0.1}, steps=30, seed=5)
    b = trajectory.run(surf, "sgd", {"lr": 0.1}, steps=30, seed=5)
    c = trajectory.run(surf, "sgd", {"lr": 0.1}, steps=30, seed=6)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)


def test_csv_has_exact_columns_and_step_zero_is_the_start():
    runs = trajectory.run_many(surfaces.get("bowl"), [Run("sgd", {"lr": 0.95})], start=(-7, 2), steps=4)
    rows = list(csv.DictReader(io.StringIO(trajectory.to_csv(runs))))
    assert list(rows[0]) == ["optimizer", "step", "x", "y", "loss"]
    assert rows[0] == {"optimizer": "sgd", "step": "0", "x": "-7.0", "y": "2.0", "loss": str(49 / 20 + 4)}
    assert len(rows) == 5
    assert float(rows[4]["x"]) == pytest.approx(-7 * 0.905**4, abs=1e-12)


def test_json_reports_status_and_diverged_at():
    runs = trajectory.run_many(surfaces.get("bowl"), [Run("sgd", {"lr": 100}), Run("adam")], steps=5)
    doc = json.loads(trajectory.to_json(runs, surfaces.get("bowl")))
    assert doc["runs"][0]["status"] == "diverged" and doc["runs"][0]["diverged_at"] == 2
    assert doc["runs"][1]["status"] == "ok" and doc["runs"][1]["diverged_at"] is None
    assert len(doc["runs"][1]["points"]) == 6


@pytest.mark.parametrize("bad", [dict(steps=-1), dict(start=(math.nan, 0.0)), dict(hparams={"lr": -1})])
def test_bad_arguments_raise_value_error(bad):
    kwargs = dict(hparams={"lr": 0.1}, steps=3)
    kwargs.update(bad)
    with pytest.raises(ValueError):
        trajectory.run(surfaces.get("bowl"), "sgd", **kwargs)


@pytest.mark.parametrize("name", surfaces.names())
def test_every_surface_runs_every_optimizer(name):
    surf = surfaces.get(name)
    specs = [Run(n, {"lr": 1e-3}) for n in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")]
    for run in trajectory.run_many(surf, specs, steps=50):
        assert run.status in ("ok", "diverged")
        assert len(run.x) == len(run.y) == len(run.loss) == len(run.grad)


@pytest.mark.parametrize("formula,loss", [("x**1e308", "inf"), ("sqrt(-1-x**2)", "nan")])
def test_a_run_undefined_at_its_start_keeps_step_0_in_csv_and_json(formula, loss):
    tr = trajectory.run(surfaces.resolve(formula), "adam", start=(2.0, 1.0), steps=5)
    assert tr.undefined_at_start and tr.n_points == 0 and tr.diverged_at == 0
    assert trajectory.to_csv([tr]).splitlines() == ["optimizer,step,x,y,loss", f"adam,0,2.0,1.0,{loss}"]
    points = json.loads(trajectory.to_json([tr]))["runs"][0]["points"]
    assert points == [{"step": 0, "x": 2.0, "y": 1.0, "loss": None}]


# -- second-order methods (issue #16 item 4) ---------------------------------------------

def test_newton_and_lbfgs_are_refused_on_a_stochastic_surface_in_one_line():
    sgd_surface = surfaces.least_squares(batch_size=1)
    for name in ("newton", "lbfgs"):
        with pytest.raises(ValueError, match="samples a minibatch gradient") as info:
            trajectory.run(sgd_surface, name, steps=3)
        assert "\n" not in str(info.value) and info.value.code in trajectory.REFUSALS


def test_newton_solves_the_full_batch_least_squares_in_one_step():
    full = surfaces.least_squares()
    run = trajectory.run(full, "newton", steps=2)
    np.testing.assert_allclose([run.x[1], run.y[1]], full.solution, rtol=1e-12)   # the normal equations' solution


def test_newton_is_refused_on_a_sampled_landscape_while_lbfgs_runs_on_it():
    class Grid:
        alphas = np.linspace(-1, 1, 5)
        betas = np.linspace(-1, 1, 5)
        loss = np.add.outer(alphas**2, 2 * betas**2) + 0.1
        title = "slice"

    surface = surfaces.sampled(Grid())
    with pytest.raises(ValueError, match="no exact Hessian") as info:
        trajectory.run(surface, "newton", start=(0.7, 0.6), steps=3)
    assert info.value.code in trajectory.REFUSALS
    run = trajectory.run(surface, "lbfgs", start=(0.7, 0.6), steps=10)
    assert run.loss[-1] < run.loss[0]


def test_a_refused_run_is_a_record_without_points_that_says_why():
    spec = Run("newton")
    reason = surfaces.base.NO_HESSIAN(surface="slice", reason=surfaces.base.NO_HESSIAN_REASON())
    t = trajectory.refused(spec, (0.5, 0.5), 10, reason, label="Newton")
    assert t.status == "refused" and t.n_points == 0 and t.refusal == reason and t.step_note(1) is None
    doc = json.loads(trajectory.to_json([t]))
    assert doc["runs"][0]["refused"] == str(reason)


def test_newton_notes_are_counted_and_written_to_json():
    run = trajectory.run(surfaces.get("saddle"), "newton", start=(-1.5, 1e-3), steps=4)
    first, count, message = run.notes()["optim.newton_indefinite"]
    assert (first, count) == (1, 4)            # H = diag(2, −2) at every step
    doc = json.loads(trajectory.to_json([run]))
    assert doc["runs"][0]["notes"] == [{"code": "optim.newton_indefinite", "first_step": 1, "steps": 4,
                                        "text": str(message)}]
    plain = trajectory.run(surfaces.get("bowl"), "sgd", steps=2)
    assert "notes" not in json.loads(trajectory.to_json([plain]))["runs"][0]
