"""Contour lines of a sampled surface: marching squares, vectorised with numpy.

For a grid ``Z[i, j] = f(xs[i], ys[j])`` (as `Surface.grid` returns) and a
level c, every grid cell whose corners are not all on one side of c holds one
or two pieces of the curve f = c.  Each corner is "above" when Z > c; the
four-bit pattern of the corners picks the cell edges the curve crosses, and
on an edge from value z₀ to z₁ the crossing is placed by linear
interpolation at t = (c − z₀)/(z₁ − z₀).  The two ambiguous patterns (a
saddle cell, diagonal corners above) are decided by the cell's mean value.

The result is a set of line segments, not joined polylines: drawn as one
path they look like the joined curves, and no cell needs Python code.
"""

from __future__ import annotations

import numpy as np

# Cell corners: a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1).
# Edges: 0 = a–b, 1 = b–c, 2 = d–c, 3 = a–d.
# Corner pattern (a:1, b:2, c:4, d:8 when above) → the edge pairs joined.
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 0),), 2: ((0, 1),), 3: ((3, 1),), 4: ((1, 2),), 6: ((0, 2),), 7: ((3, 2),),
    8: ((2, 3),), 9: ((0, 2),), 11: ((1, 2),), 12: ((1, 3),), 13: ((0, 1),), 14: ((3, 0),),
}
# Saddles: which corners the curve cuts off depends on the centre value.
_SADDLE = {
    # a and c above: centre above → b and d are cut off; below → a and c are.
    5: {True: ((0, 1), (2, 3)), False: ((3, 0), (1, 2))},
    # b and d above: centre above → a and c are cut off; below → b and d are.
    10: {True: ((3, 0), (1, 2)), False: ((0, 1), (2, 3))},
}


def contour_segments(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float) -> np.ndarray:
    """The segments of the curve f = ``level``: an array of shape (n, 2, 2), [k] = ((x₀, y₀), (x₁, y₁)).

    ``z`` has shape (len(xs), len(ys)) with z[i, j] = f(xs[i], ys[j]) and
    must be finite.  Points lie on the grid lines, linearly interpolated.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    z = np.asarray(z, dtype=float)
    if z.shape != (len(xs), len(ys)):
        raise ValueError(f"z must have shape {(len(xs), len(ys))}, got {z.shape}")
    if z.shape[0] < 2 or z.shape[1] < 2:
        return np.zeros((0, 2, 2))
    a, b, c, d = z[:-1, :-1], z[1:, :-1], z[1:, 1:], z[:-1, 1:]
    case = ((a > level).astype(np.uint8) | ((b > level) << 1) | ((c > level) << 2) | ((d > level) << 3))
    active = (case != 0) & (case != 15)
    ii, jj = np.nonzero(active)
    if len(ii) == 0:
        return np.zeros((0, 2, 2))
    case = case[ii, jj]
    za, zb, zc, zd = a[ii, jj], b[ii, jj], c[ii, jj], d[ii, jj]
    x0, x1, y0, y1 = xs[ii], xs[ii + 1], ys[jj], ys[jj + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        # The crossing on each edge (NaN where the edge is not crossed: unused).
        t0 = (level - za) / (zb - za)
        t1 = (level - zb) / (zc - zb)
        t2 = (level - zd) / (zc - zd)
        t3 = (level - za) / (zd - za)
    edges = np.empty((4, len(ii), 2))
    edges[0, :, 0], edges[0, :, 1] = x0 + t0 * (x1 - x0), y0
    edges[1, :, 0], edges[1, :, 1] = x1, y0 + t1 * (y1 - y0)
    edges[2, :, 0], edges[2, :, 1] = x0 + t2 * (x1 - x0), y1
    edges[3, :, 0], edges[3, :, 1] = x0, y0 + t3 * (y1 - y0)
    centre_above = 0.25 * za + 0.25 * zb + 0.25 * zc + 0.25 * zd > level   # no overflow near ±1e308
    pieces = []
    for pattern, pairs in _SEGMENTS.items():
        sel = np.flatnonzero(case == pattern)
        for e, f in pairs:
            pieces.append(np.stack([edges[e, sel], edges[f, sel]], axis=1))
    for pattern, by_centre in _SADDLE.items():
        for above, pairs in by_centre.items():
            sel = np.flatnonzero((case == pattern) & (centre_above == above))
            for e, f in pairs:
                pieces.append(np.stack([edges[e, sel], edges[f, sel]], axis=1))
    seg = np.concatenate(pieces, axis=0)
    # A grid point exactly on the level gives zero-length pieces: drop them.
    return seg[np.any(seg[:, 0] != seg[:, 1], axis=1)]
