"""The learning-rate range test (optilab.training.lr_find): its η schedule, smoothing, stop rule,
suggestions and the restore of weights and optimizer state — expected values by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab.messages import OptilabError
from optilab.training import RunConfig, Trainer
from optilab.training import lr_find as lf


def _config(optimizer: str = "adam", **more: object) -> RunConfig:
    return RunConfig(optimizer=optimizer, hparams={"lr": 0.01}, hidden=(16, 16), batch_size=32,
                     iterations=30, snapshots=0, **more)


def test_schedule_is_exactly_exponential() -> None:
    lrs = lf.schedule(1e-6, 1.0, 7)
    expected = [1e-6 * 10 ** (6 * i / 6) for i in range(7)]   # 1e-6, 1e-5, …, 1
    np.testing.assert_allclose(lrs, expected, rtol=1e-12)
    assert lrs[0] == 1e-6 and lrs[-1] == pytest.approx(1.0, rel=1e-15)
    ratios = lrs[1:] / lrs[:-1]
    np.testing.assert_allclose(ratios, 10.0, rtol=1e-12)


def test_smoothing_is_the_bias_corrected_ema() -> None:
    losses = np.array([2.0, 1.0, 4.0, 3.0])
    b = 0.9
    a1 = (1 - b) * 2.0
    a2 = b * a1 + (1 - b) * 1.0
    a3 = b * a2 + (1 - b) * 4.0
    a4 = b * a3 + (1 - b) * 3.0
    expected = [a1 / (1 - b), a2 / (1 - b**2), a3 / (1 - b**3), a4 / (1 - b**4)]
    np.testing.assert_allclose(lf.smooth(losses, b), expected, rtol=1e-14)
    assert lf.smooth(np.array([5.0]))[0] == pytest.approx(5.0)   # the first point is the loss itself


def test_stop_rule() -> None:
    assert not lf.should_stop(3.9, 1.0, 4.0)
    assert not lf.should_stop(4.0, 1.0, 4.0)
    assert lf.should_stop(4.01, 1.0, 4.0)
    assert lf.should_stop(math.nan, 1.0, 4.0)
    assert lf.should_stop(math.inf, 1.0, 4.0)


def test_suggestions_on_a_known_curve() -> None:
    # smoothed(u), u = log η: 1 − tanh(u + 3) for u ≤ 0 (falling, steepest at u = −3 where the slope
    # is −sech²0 = −1), then 1 − tanh 3 + u² (rising): the minimum is at u = 0 exactly.
    u = np.linspace(-8, 2, 101)            # log η, step 0.1
    lrs = np.exp(u)
    smooth = np.where(u <= 0, 1 - np.tanh(u + 3), 1 - np.tanh(3) + u * u)
    sug = lf.suggest(lrs, smooth)
    low = int(np.argmin(smooth))
    assert u[low] == pytest.approx(0.0, abs=0.05)
    assert sug["min_over_10"].lr == pytest.approx(math.exp(u[low]) / 10)
    assert u[sug["steepest"].index] == pytest.approx(-3.0, abs=0.051)
    assert sug["steepest"].lr == pytest.approx(lrs[sug["steepest"].index])
    assert str(sug["steepest"].line()).startswith("suggested η = ")
    assert str(sug["steepest"].line()).endswith("(steepest descent of the smoothed loss)")


def test_the_steep_rule_ignores_the_first_points_and_the_climb() -> None:
    lrs = np.logspace(-5, 0, 20)
    smooth = np.linspace(10, 5, 20)
    smooth[0:2] = [30, 10]        # a plunge in the warm-up: ignored
    smooth[-3:] = [5, 0, 100]     # the steepest fall is into the minimum at index 18, the climb after it ignored
    sug = lf.suggest(lrs, smooth)
    assert sug["min_over_10"].index == 18
    assert lf.SKIP_START <= sug["steepest"].index <= 18


def test_bounds_are_one_line_each() -> None:
    for args in ((0, 1, 100), (1e-3, -1, 100), (1e-3, 1, 5), (1e-3, 1, 20_000), (1e-3, 1, 10.5), (1, 1e-3, 100)):
        with pytest.raises(OptilabError) as info:
            lf.check_range(*args)
        assert "\n" not in str(info.value)
    with pytest.raises(OptilabError, match="smaller than the end"):
        lf.check_range(1, 1e-3, 100)
    assert lf.check_range("1e-7", "10", "100") == (1e-7, 10.0, 100)


@pytest.mark.parametrize("optimizer,more", [("adam", {}), ("momentum", {"dropout": 0.2}),
                                            ("sgd", {"batchnorm": True})])
def test_training_after_the_test_is_bitwise_the_same(blob_data, optimizer, more) -> None:
    cfg = _config(optimizer, **more)
    plain = Trainer(cfg, blob_data)
    probed = Trainer(cfg, blob_data)
    for t in (plain, probed):          # some optimizer state before the test, too
        for _ in range(5):
            t.step()
    result = lf.range_test(probed, lf.schedule(1e-4, 1.0, 30))
    assert result.steps >= 10
    for _ in range(20):
        plain.step()
        probed.step()
    np.testing.assert_array_equal(plain.history.loss, probed.history.loss)   # bitwise, all 25 steps
    np.testing.assert_array_equal(plain.history.test_acc, probed.history.test_acc)
    for key in plain.net.params:
        np.testing.assert_array_equal(plain.net.params[key], probed.net.params[key])


def test_lr_find_stops_when_the_loss_blows_up(blob_data) -> None:
    cfg = _config("sgd")
    result = lf.lr_find(cfg, blob_data, 1e-3, 1e4, 200)
    assert result.stopped_early and result.steps < 200
    assert result.stop_reason is not None and result.stop_reason.code.startswith("training.lr_find.stopped")
    assert len(result.lrs) == len(result.losses) == len(result.smoothed) == result.steps
    np.testing.assert_allclose(result.lrs, lf.schedule(1e-3, 1e4, 200)[: result.steps])
    np.testing.assert_allclose(result.smoothed, lf.smooth(result.losses), rtol=1e-12)
    assert set(result.suggestions) == {"steepest", "min_over_10"}
    assert 1e-3 <= result.suggestions["steepest"].lr <= 1e4


def test_cancel_and_progress(blob_data) -> None:
    seen: list[tuple[int, int]] = []
    with pytest.raises(lf.Cancelled):
        lf.lr_find(_config(), blob_data, 1e-5, 1e-1, 50, progress=lambda d, n: seen.append((d, n)),
                   cancel=lambda: len(seen) >= 3)
    assert seen == [(1, 50), (2, 50), (3, 50)]
