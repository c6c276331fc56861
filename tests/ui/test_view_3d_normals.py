"""The 3-D view's vectorised vertex normals equal pyqtgraph's own (looped) ones."""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl

from optilab.ui.surface_lab.view_3d import _fill_vertex_normals


def test_vectorised_normals_match_pyqtgraphs_loop():
    xs, ys = np.linspace(-2, 2, 23), np.linspace(-1, 3, 17)
    z = np.sin(xs)[:, None] * np.cos(ys)[None, :] + 0.1 * xs[:, None] ** 2
    colors = np.random.default_rng(0).random((len(xs), len(ys), 4))
    item = gl.GLSurfacePlotItem(x=xs, y=ys, z=z, colors=colors)
    md = item.opts["meshdata"]
    reference = gl.MeshData(vertexes=md.vertexes().copy(), faces=md.faces().copy())
    expected = reference.vertexNormals()          # pyqtgraph's per-vertex loop
    _fill_vertex_normals(md)
    np.testing.assert_allclose(md.vertexNormals(), expected, atol=1e-6)
    # Not trivially flat: the normals really vary over this surface.
    assert np.ptp(expected[:, 0]) > 0.5
    # The mesh item still reads per-vertex (not face-indexed) data with the colours.
    item.parseMeshData()
    assert item.normals.shape == item.vertexes.shape == (len(xs) * len(ys), 3)
