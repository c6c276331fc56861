"""The Seeds and Parallel runs fields of the training lab reach the job (#15 items 2 and 4)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")


def test_the_seeds_and_jobs_fields_reach_the_session_and_the_curves(qtbot, pane, tmp_path):
    from optilab.training.remote import default_jobs

    assert pane.jobs_field.value() == default_jobs() and pane.jobs_field.maximum() == default_jobs()
    assert pane.seeds_field.value() == 1
    pane.seeds_field.setValue(2)
    pane.jobs_field.setValue(1)
    with qtbot.waitSignal(pane.finished, timeout=90_000) as blocker:
        assert pane.start_preset("optimizer-compare", iterations=20, eval_interval=10, train_size=500)
    assert blocker.args == ["finished"]
    configs = pane.session.configs
    assert [c.label for c in configs] == [o for o in ("sgd", "momentum", "adagrad", "rmsprop", "adam")
                                          for _ in range(2)]
    assert [c.seed for c in configs[:2]] == [configs[0].seed, configs[0].seed + 1]
    assert pane._worker is None and len(pane.results) == 10
    assert list(pane.curves.bands) == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    assert pane.curves.legend.count() == 5
    band = pane.curves.bands["sgd"]
    a, b = (r for r in pane.curves.runs if r.label == "sgd")
    # The mean line is the mean of the two seeds' smoothed losses; the band ± their sample sd
    # (two values: sd = |a − b| / √2).
    np.testing.assert_allclose(band.items["smooth"].getData()[1], (a.smooth.view() + b.smooth.view()) / 2)
    np.testing.assert_allclose(band.bands["smooth"][1].getData()[1],
                               (a.smooth.view() + b.smooth.view()) / 2
                               + np.abs(a.smooth.view() - b.smooth.view()) / np.sqrt(2))
    assert pane.curves.legend.item(0).text().startswith("sgd · 2 seeds · loss ")
    _check_exports(pane, tmp_path)


def test_a_single_start_draws_its_run_without_bands(qtbot, pane, small_config):
    pane.seeds_field.setValue(3)
    with qtbot.waitSignal(pane.finished, timeout=60_000):
        assert pane.start(small_config)
    assert not pane.curves.bands and len(pane.curves.runs) == 1


def test_the_caption_says_for_how_many_seeds_the_claim_held(qtbot, pane):
    from optilab.training import claims

    pane.seeds_field.setValue(2)
    with qtbot.waitSignal(pane.finished, timeout=90_000):
        assert pane.start_preset("weight-decay", epochs=3)
    report = claims.check("weight-decay", pane.results)
    assert report is not None and report.seeds == 2
    assert pane.claim_label.isVisible()
    verb = f"claim holds for {report.holds} of 2 seeds: weight decay shrinks the train–test gap"
    assert pane.claim_label.text() == f"<b>{verb}</b>"


def _check_exports(pane, tmp_path):
    """The loss CSV carries each run's seed; the PNG and SVG of the loss plot draw the five bands."""
    import csv

    from PySide6.QtGui import QImage

    from optilab.ui.training_lab.seed_bands import BAND_ALPHA

    text = pane.export_csv(str(tmp_path / "loss.csv")).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    seeds = {(r["run"], r["seed"]) for r in rows}
    first = pane.session.configs[0].seed
    assert {s for label, s in seeds if label == "sgd"} == {str(first), str(first + 1)}
    svg = pane.export_plot("loss", str(tmp_path / "loss.svg")).read_text(encoding="utf-8")
    assert svg.count(f'fill-opacity="{BAND_ALPHA / 255:.6g}"') == 5          # one fill per label
    assert not QImage(str(pane.export_plot("loss", str(tmp_path / "loss.png")))).isNull()


def test_the_seeds_field_is_offered_only_where_seeds_draw_bands(qtbot, pane):
    for name, offered in (("optimizer-compare", True), ("weight-decay", True), ("random-search", False),
                          ("batchnorm-compare", False), ("activation-histograms", False)):
        pane.preset.setCurrentIndex(pane.preset.findData(name))
        assert pane.seeds_field.isEnabled() is offered, name
