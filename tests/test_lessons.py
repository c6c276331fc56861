"""The surface-lab lesson presets: valid data that teach what their captions say."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from optilab import lessons, surfaces
from optilab.trajectory import Run, run


def test_there_are_at_least_six_lessons_with_captions():
    assert len(lessons.LESSONS) >= 6
    for lesson in lessons.LESSONS:
        assert lesson.title and len(lesson.caption) > 40
        assert lessons.get(lesson.key) is lesson


def test_unknown_lesson_names_the_choices():
    with pytest.raises(ValueError, match="book-figure"):
        lessons.get("nope")


def test_a_bad_hyperparameter_is_refused_at_construction():
    with pytest.raises(ValueError, match="momentum"):
        Run("momentum", {"momentum": 1.5})
    with pytest.raises(ValueError, match="unknown optimizer"):
        Run("nope")


def test_lessons_are_frozen():
    lesson = lessons.get("book-figure")
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.steps = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        lesson.runs[0].hparams["lr"] = 1.0  # type: ignore[index]


def test_book_figure_is_the_books_setup():
    lesson = lessons.get("book-figure")
    assert lesson.surface_name == "bowl" and lesson.start == (-7.0, 2.0) and lesson.steps == 30
    got = {(r.optimizer, r.hparams["lr"]) for r in lesson.runs}
    assert got == {("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5), ("adam", 0.3)}


def test_book_figure_sgd_zigzags_in_y():
    sgd = lessons.get("book-figure").run()[0]
    # On x²/20 + y², SGD with η = 0.95 multiplies y by (1 − 2η) = −0.9 each step:
    # the sign of y alternates (zig-zag) and |y| shrinks by 0.9.
    y = sgd.y[:10]
    assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))
    np.testing.assert_allclose(y[1:] / y[:-1], -0.9, rtol=1e-12)


def test_every_lesson_runs_to_its_end_and_only_lr_too_large_diverges():
    for lesson in lessons.LESSONS:
        trajectories = lesson.run()
        assert len(trajectories) == len(lesson.runs)
        diverged = [t.label for t in trajectories if t.status == "diverged"]
        if lesson.key == "lr-too-large":
            assert diverged == ["SGD η=1.5"]
        else:
            assert diverged == [], lesson.key
            assert all(t.n_points == lesson.steps + 1 for t in trajectories)


def test_lr_too_large_diverges_where_the_closed_form_says():
    # y_k = 2·(1 − 2·1.5)^k = 2·(−2)^k leaves |y| ≤ 5·1000 at the first k with 2^(k+1) > 5000.
    t = lessons.get("lr-too-large").run()[3]
    assert t.diverged_at == 12
    assert t.y[11] == 2 * (-2.0) ** 11


def test_adagrad_stalls_while_rmsprop_gets_close_to_the_minimum():
    adagrad, rmsprop = lessons.get("adagrad-stall").run()
    dist = lambda t: np.hypot(t.x[-1] - 1, t.y[-1] - 1)  # noqa: E731
    assert dist(rmsprop) < 0.5 < dist(adagrad)
    assert np.hypot(*adagrad.step_taken(adagrad.last_step)) < 1e-2


def test_adam_without_bias_correction_takes_a_bigger_first_step():
    corrected, raw = lessons.get("adam-bias-correction").run()
    # First step: corrected |Δ| = η; without correction η(1−β₁)/√(1−β₂) ≈ 3.16 η per coordinate.
    np.testing.assert_allclose(np.abs(corrected.step_taken(1)), 0.3, rtol=1e-5)
    np.testing.assert_allclose(np.abs(raw.step_taken(1)), 0.3 * 0.1 / np.sqrt(0.001), rtol=1e-5)


def test_gd_vs_sgd_uses_variants_of_the_same_data():
    lesson = lessons.get("gd-vs-sgd")
    full = lesson.surface()
    variants = [lesson.surface_for(r) for r in lesson.runs]
    assert [v.batch_size for v in variants] == [full.n_points, 1, 10]
    for v in variants:
        np.testing.assert_array_equal(v.data_x, full.data_x)
        assert v.minima == full.minima
    gd, sgd, _mini = lesson.run()
    # GD is deterministic and equals a run on the full surface; SGD is noisier than GD.
    np.testing.assert_array_equal(gd.x, run(full, "sgd", {"lr": 0.1}, full.start, lesson.steps).x)
    assert not np.array_equal(sgd.x, gd.x)
    assert np.std(np.diff(sgd.loss)) > np.std(np.diff(gd.loss))


def test_saddle_lesson_sgd_lingers_while_rmsprop_escapes():
    sgd, _momentum, rmsprop, _adam = lessons.get("saddle-escape").run()
    assert abs(sgd.y[20]) < 0.01 < 1.0 < abs(rmsprop.y[20])


def test_lessons_module_imports_no_qt():
    code = (
        "import sys; import optilab.lessons; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'optilab.ui'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=root).returncode == 0


# -- labels made from settings, start points (issue #11 items 6, 13, 14) --------------------


def test_a_settings_label_names_what_differs_from_the_defaults():
    assert lessons.settings_label("sgd", {}) == "SGD"
    assert lessons.settings_label("sgd", {"lr": 0.5}) == "SGD η=0.5"
    assert lessons.settings_label("momentum", {"lr": 0.1, "momentum": 0.5}) == "Momentum η=0.1 μ=0.5"
    assert lessons.settings_label("adam", {"lr": 0.3, "bias_correction": False}) == "Adam η=0.3 no bias correction"
    # A minibatch run keeps its data's name and adds what changed from the lesson.
    assert lessons.settings_label("sgd", {"lr": 0.2}, base="GD (100 points)", reference={"lr": 0.1}) \
        == "GD (100 points) η=0.2"


def test_only_labels_of_the_settings_form_count_as_made_from_settings():
    assert lessons.looks_like_settings_label("sgd", "SGD η=0.9")
    assert lessons.looks_like_settings_label("adam", "Adam η=0.3 no bias correction")
    assert not lessons.looks_like_settings_label("sgd", "my favourite")
    assert not lessons.looks_like_settings_label("sgd", "Momentum η=0.9")


@pytest.mark.parametrize("value, span, rounded", [
    (4.97037, 20.0, 5.0), (-3.01211, 10.0, -3.0), (1.23456, 3.0, 1.23), (123.456, 500.0, 123.0),
    (0.012345, 0.05, 0.0123),
])
def test_clicked_values_are_rounded_to_two_digits_of_the_span(value, span, rounded):
    assert lessons.round_to_span(value, span) == pytest.approx(rounded)


def test_a_start_where_f_is_undefined_moves_to_the_nearest_defined_point():

    surface = surfaces.parse("log(x)")
    x, y = lessons.nearest_defined_start(surface, surface.start)
    # Grid step 0.1 on the default box, 5 cells from x = 0 where log is undefined.
    assert (x, y) == (0.6, 3.5)
    assert lessons.nearest_defined_start(surfaces.parse("sqrt(-x*x - y*y - 1)"), (0.0, 0.0)) is None


def test_the_gd_vs_sgd_lesson_names_its_axes_and_draws_gd_on_top():
    lesson = lessons.get("gd-vs-sgd")
    assert lesson.axis_names == ("w", "b") and lesson.on_top == "GD (100 points)"
    assert all(other.axis_names == ("x", "y") for other in lessons.LESSONS if other is not lesson)
    with pytest.raises(ValueError, match="on_top"):
        lessons.Lesson("k", "t", "c", "bowl", None, 5, (Run("sgd"),), on_top="nobody")


# -- second-order lessons (issue #16 item 4) ----------------------------------------------

def _gd_steps_to(tol: float, lams, coords, lr: float) -> int:
    """Closed form of GD on ½Σλᵢuᵢ²: uᵢ,k = uᵢ,0 (1 − ηλᵢ)^k; the first k with ‖u_k‖ < tol."""
    k = 0
    while math.hypot(*(c * (1 - lr * lam) ** k for c, lam in zip(coords, lams, strict=True))) >= tol:
        k += 1
    return k


@pytest.mark.parametrize("kappa", [1.0, 10.0, 1e4])
def test_newton_reaches_a_quadratics_minimum_in_one_step_whatever_its_conditioning(kappa):
    surface = surfaces.parse(f"0.5*(x**2 + {kappa!r}*y**2)")
    newton = run(surface, "newton", start=(-4.0, 3.0), steps=1)
    assert math.hypot(newton.x[1], newton.y[1]) <= 1e-12
    # Gradient descent at its best η = 2/(λ₁ + λ₂) needs the closed form's count of steps.
    lr = 2.0 / (1.0 + kappa)
    steps = _gd_steps_to(1e-6, (1.0, kappa), (-4.0, 3.0), lr)
    assert steps == {1.0: 1, 10.0: 77, 1e4: 77_125}[kappa]
    if steps < 1000:
        gd = run(surface, "sgd", {"lr": lr}, start=(-4.0, 3.0), steps=steps)
        d = np.hypot(gd.x, gd.y)
        assert d[-1] < 1e-6 <= d[-2]


def test_the_newton_lesson_lands_in_one_step_while_gd_is_far_away():
    lesson = lessons.get("newton-one-step")
    newton, gd, lbfgs = lesson.run()
    assert math.hypot(newton.x[1], newton.y[1]) <= 1e-12
    assert newton.notes() == {}                                   # H is positive definite
    # The caption's numbers: GD 1.5 away after 60 steps, 10⁻⁶ after 772 (closed form on u, v, λ = 0.05, 5).
    c, s = math.cos(-math.pi / 6), math.sin(-math.pi / 6)
    u0, v0 = -4.0 * c + 3.0 * s, 4.0 * s + 3.0 * c
    assert _gd_steps_to(1e-6, (0.05, 5.0), (u0, v0), 0.396) == 772
    assert round(math.hypot(gd.x[60], gd.y[60]), 1) == 1.5
    longer = run(lesson.surface(), "sgd", {"lr": 0.396}, start=lesson.start, steps=800)
    assert int(np.argmax(np.hypot(longer.x, longer.y) < 1e-6)) == 772
    d = np.hypot(lbfgs.x, lbfgs.y)
    assert int(np.argmax(d < 1e-6)) == 11


def test_plain_newton_goes_to_the_saddle_that_gradient_methods_leave():
    newton, gd, momentum = lessons.get("newton-saddle").run()
    np.testing.assert_array_equal(np.column_stack([newton.x, newton.y])[1:], 0.0)   # at the saddle from step 1 on
    assert newton.notes()["optim.newton_indefinite"][:2] == (1, 35)
    for t in (gd, momentum):
        assert abs(t.y[1]) < 0.01 and abs(t.y[-1]) > 1.0        # it starts on the ridge and slides off along y
    assert newton.loss[-1] == 0.0 and gd.loss[-1] < -1.0 and momentum.loss[-1] < -1.0
    # The caption's numbers; GD's y is the closed form y_k = 0.001·(1 + 2η)^k.
    assert gd.y[35] == pytest.approx(1e-3 * 1.24**35, rel=1e-12)
    assert (round(gd.y[35], 2), round(momentum.y[35], 2)) == (1.86, 1.18)


def test_lbfgs_reaches_rosenbrocks_minimum_while_adam_is_still_far():
    lbfgs, adam = lessons.get("lbfgs-rosenbrock").run()
    d = np.hypot(lbfgs.x - 1, lbfgs.y - 1)
    k = int(np.argmax(d < 1e-6))
    assert k == 40 and int(lbfgs.state["ls"][1:k + 1, 1].sum()) == 50    # the caption's numbers
    far = np.hypot(adam.x - 1, adam.y - 1)
    assert round(far[30], 1) == 2.3 and round(far[300], 2) == 0.71


def test_damping_above_two_makes_newton_leave_the_saddle_too():
    # δ = 3: H + δI = diag(5, 1), so x ← x − 2x/5 and y ← y + 2y = 3y (docs/lessons.md#newton-saddle).
    t = run(surfaces.get("saddle"), "newton", {"damping": 3.0}, start=(-1.5, 1e-3), steps=6)
    np.testing.assert_allclose(t.y, 1e-3 * 3.0 ** np.arange(7), rtol=1e-12)
    np.testing.assert_allclose(t.x, -1.5 * 0.6 ** np.arange(7), rtol=1e-12)
    assert t.notes() == {}
