"""PeakEnvelope: what the loss curves draw, checked against brute-force bin minima and maxima."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optilab.ui.training_lab.plots import PeakEnvelope


def test_short_series_are_drawn_exactly():
    env = PeakEnvelope(max_bins=64)
    x = np.arange(1, 51, dtype=float)
    y = np.sin(x)
    env.extend(x[:17], y[:17])
    env.extend(x[17:], y[17:])
    ex, ey = env.xy()
    np.testing.assert_array_equal(ex, x)
    np.testing.assert_array_equal(ey, y)


def test_a_long_series_is_bounded_and_its_bins_hold_the_true_extremes():
    env = PeakEnvelope(max_bins=100)
    rng = np.random.default_rng(1)
    n = 100_000
    x = np.arange(n, dtype=float)
    y = rng.standard_normal(n).cumsum()
    for start in range(0, n, 997):                       # arbitrary batch sizes
        env.extend(x[start:start + 997], y[start:start + 997])
    ex, ey = env.xy()
    assert len(ex) <= 2 * 100 + env.size
    assert env.size >= n // 200
    # The envelope reaches the series' own extremes.
    assert ey.min() == y.min() and ey.max() == y.max()
    # Every pair (x, min), (x, max) of a complete bin is the true min/max of its points.
    bins = len(ex) - (n % env.size if env.size > 1 else 0)
    starts = ex[0:bins:2].astype(int)
    ends = np.append(starts[1:], starts[-1] + env.size)
    for k in rng.choice(len(starts) - 1, 30, replace=False):  # bins whose end is the next start
        a, b = starts[k], ends[k]
        assert ey[2 * k] == y[a:b].min() and ey[2 * k + 1] == y[a:b].max()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 300), min_size=1, max_size=30), st.integers(2, 40))
def test_batching_does_not_change_the_picture(sizes, max_bins):
    n = sum(sizes)
    x = np.arange(n, dtype=float)
    y = np.cos(x * 0.37) * (1 + x / 50)
    one, many = PeakEnvelope(max_bins), PeakEnvelope(max_bins)
    one.extend(x, y)
    start = 0
    for size in sizes:
        many.extend(x[start:start + size], y[start:start + size])
        start += size
    # The bins may split differently after merges, but the drawn range is the same
    # and every drawn point lies within its data's range.
    mx, my = many.xy()
    assert my.min() == y.min() and my.max() == y.max()
    assert mx[0] == 0 and mx[-1] <= n - 1
    assert len(mx) <= 2 * max_bins + many.size + 2


def test_nan_in_a_bin_is_ignored():
    env = PeakEnvelope(max_bins=2)
    env.extend(np.arange(8, dtype=float), np.array([1, np.nan, 3, 0, 5, 6, np.nan, 2.0]))
    _, y = env.xy()
    assert np.nanmin(y) == 0 and np.nanmax(y) == 6
    assert not np.isnan(y).all()


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_single(n):
    env = PeakEnvelope(4)
    env.extend(np.arange(n, dtype=float), np.ones(n))
    x, y = env.xy()
    assert len(x) == len(y) == n
