"""The loss curve's debiased EMA (display preparation) against a plain loop."""

from __future__ import annotations

import numpy as np
import pytest

from optilab.ui.training_lab.plots import ema_debiased


def _naive(x, beta):
    s, out = 0.0, []
    for k, v in enumerate(x, 1):
        s = beta * s + (1 - beta) * v
        out.append(s / (1 - beta ** k))
    return np.array(out)


@pytest.mark.parametrize("beta", [0.3, 0.9, 0.99, 0.999])
def test_ema_matches_the_recurrence_written_as_a_loop(beta):
    x = np.random.default_rng(1).random(3000) * 3
    got, _ = ema_debiased(x, beta)
    np.testing.assert_allclose(got, _naive(x, beta), rtol=1e-10)


def test_ema_in_chunks_equals_ema_in_one_go():
    x = np.random.default_rng(2).random(1000)
    whole, _ = ema_debiased(x, 0.95)
    parts, state = [], (0.0, 0)
    for chunk in np.array_split(x, 17):
        out, state = ema_debiased(chunk, 0.95, state)
        parts.append(out)
    np.testing.assert_allclose(np.concatenate(parts), whole, rtol=1e-12)


def test_debiased_ema_starts_at_the_first_value_and_zero_smoothing_is_raw():
    x = np.array([2.0, 1.0, 0.5])
    assert ema_debiased(x, 0.9)[0][0] == pytest.approx(2.0)
    np.testing.assert_array_equal(ema_debiased(x, 0.0)[0], x)


def test_smoothing_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        ema_debiased(np.ones(3), 1.0)
