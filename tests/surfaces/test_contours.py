"""Contour segments checked against closed forms (circles, straight lines) and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab.surfaces.contours import contour_segments


def _grid(f, n=101, lo=-2.0, hi=2.0):
    xs = np.linspace(lo, hi, n)
    ys = np.linspace(lo, hi, n)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    return xs, ys, f(X, Y)


def test_a_plane_gives_the_exact_straight_line():
    # f = x + 2y: f = 1 is the line y = (1 − x)/2; linear interpolation is exact here.
    xs, ys, z = _grid(lambda x, y: x + 2 * y, n=21)
    seg = contour_segments(xs, ys, z, 1.0)
    pts = seg.reshape(-1, 2)
    np.testing.assert_allclose(pts[:, 0] + 2 * pts[:, 1], 1.0, atol=1e-12)
    # It spans the grid where the line is inside: x from −2 to 2 (y = 1.5 … −0.5).
    assert pts[:, 0].min() == pytest.approx(-2.0) and pts[:, 0].max() == pytest.approx(2.0)


@pytest.mark.parametrize("r", [0.5, 1.03, 1.7])  # radii through no grid point
def test_a_circle_of_radius_r_closes_and_has_length_2_pi_r(r):
    xs, ys, z = _grid(lambda x, y: x * x + y * y)
    seg = contour_segments(xs, ys, z, r * r)
    pts = seg.reshape(-1, 2)
    h = xs[1] - xs[0]
    # On the circle up to the interpolation error of a quadratic on a cell (≤ h²/4 in f).
    np.testing.assert_allclose(np.hypot(pts[:, 0], pts[:, 1]), r, atol=h * h / (4 * r) + 1e-12)
    # Closed: every end point is shared by exactly two segments.
    _, counts = np.unique(np.round(pts, 9), axis=0, return_counts=True)
    assert set(counts.tolist()) == {2}
    length = np.hypot(*(seg[:, 1] - seg[:, 0]).T).sum()
    assert length == pytest.approx(2 * math.pi * r, rel=1e-3)


def test_levels_outside_the_range_give_nothing():
    xs, ys, z = _grid(lambda x, y: x * x + y * y)
    assert contour_segments(xs, ys, z, -1.0).shape == (0, 2, 2)
    assert contour_segments(xs, ys, z, 100.0).shape == (0, 2, 2)


def test_one_cell_by_hand():
    # Corners a=(0,0):0, b=(1,0):2, c=(1,1):2, d=(0,1):0 — level 1 crosses a–b and d–c at x = 0.5.
    z = np.array([[0.0, 0.0], [2.0, 2.0]])
    seg = contour_segments([0.0, 1.0], [0.0, 1.0], z, 1.0)
    assert sorted(map(tuple, seg[0])) == [(0.5, 0.0), (0.5, 1.0)]
    # At level 0.5 the crossings move to x = 0.25 (t = 0.5/2).
    seg = contour_segments([0.0, 1.0], [0.0, 1.0], z, 0.5)
    assert sorted(map(tuple, seg[0])) == [(0.25, 0.0), (0.25, 1.0)]


@pytest.mark.parametrize("b_and_d, b_cut_off", [(0.3, True), (-1.0, False)])
def test_a_saddle_cell_is_decided_by_its_mean(b_and_d, b_cut_off):
    # a = c = 1 above the level 0.5, b = d below it: the curve has two pieces.
    # Mean (2 + 2·b)/4 above 0.5 (b = 0.3: 0.65) → a and c connect through the
    # centre and the pieces cut off b and d; below (b = −1: 0) they cut off a and c.
    z = np.array([[1.0, b_and_d], [b_and_d, 1.0]])  # z[i, j]: a = z[0,0], b = z[1,0], c = z[1,1], d = z[0,1]
    seg = contour_segments([0.0, 1.0], [0.0, 1.0], z, 0.5)
    assert seg.shape == (2, 2, 2)
    t = 0.5 / (1.0 - b_and_d)           # crossing distance from a (and from c) along each edge
    on_ab, on_bc = (t, 0.0), (1.0, 1.0 - t)
    pieces = [set(map(tuple, np.round(piece, 12))) for piece in seg]
    around_b = {tuple(np.round(on_ab, 12)), tuple(np.round(on_bc, 12))}
    assert (around_b in pieces) == b_cut_off


def test_shape_is_checked():
    with pytest.raises(ValueError, match="shape"):
        contour_segments([0, 1, 2], [0, 1], np.zeros((2, 2)), 0.0)
