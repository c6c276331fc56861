"""A sampled loss landscape as a Surface (optilab.surfaces.sampled): bilinear between the samples."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from optilab import messages
from optilab.surfaces import SampledSurface, sampled


def _grid(f, alphas, betas, title="quadratic"):
    A, B = np.meshgrid(alphas, betas, indexing="ij")
    return SimpleNamespace(alphas=np.asarray(alphas, float), betas=np.asarray(betas, float), loss=f(A, B),
                           title=title)


def test_the_surface_says_what_it_is():
    s = sampled(_grid(lambda a, b: 1 + a + 2 * b, [-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], title="Adam"))
    assert isinstance(s, SampledSurface)
    assert (s.name, s.title, s.formula) == ("landscape", "Adam", "L(θ* + αδ + βη)")
    assert s.domain == (-1.0, 1.0, -2.0, 2.0)
    assert s.minima == () and s.start == (0.0, 0.0)


def test_a_plane_is_reproduced_exactly_with_its_gradient():
    # Bilinear interpolation is exact on f = c + pα + qβ + rαβ (every term bilinear), whatever the spacing.
    f = lambda a, b: 0.5 + 3 * a - 2 * b + 0.25 * a * b  # noqa: E731
    s = sampled(_grid(f, [-1.0, -0.2, 0.5, 1.0], [-1.0, 0.3, 1.0]))
    x, y = np.array([-0.7, 0.1, 0.9, 1.0]), np.array([0.2, -0.9, 0.99, 1.0])
    assert s.f(x, y) == pytest.approx(f(x, y))
    gx, gy = s.grad(x, y)
    assert gx == pytest.approx(3 + 0.25 * y) and gy == pytest.approx(-2 + 0.25 * x)
    assert s.f(0.1, 0.2) == pytest.approx(f(0.1, 0.2)) and isinstance(s.f(0.1, 0.2), float)


def test_between_samples_the_value_is_the_cells_bilinear_mean():
    # One cell, corners 0, 1, 2, 10: at its centre f = (0 + 1 + 2 + 10)/4; on an edge the mean of two corners.
    s = sampled(SimpleNamespace(alphas=np.array([0.0, 2.0]), betas=np.array([0.0, 1.0]),
                                loss=np.array([[0.0, 2.0], [1.0, 10.0]]), title="cell"))
    assert s.f(1.0, 0.5) == pytest.approx(13 / 4)
    assert s.f(1.0, 0.0) == pytest.approx(0.5) and s.f(2.0, 0.5) == pytest.approx(5.5)
    # ∂f/∂α at β = ½: ((1 − ½)(1 − 0) + ½(10 − 2)) / 2 = 2.25
    assert s.grad(1.0, 0.5)[0] == pytest.approx(2.25)


def test_outside_the_grid_f_and_its_gradient_are_nan():
    s = sampled(_grid(lambda a, b: a**2 + b**2, np.linspace(-1, 1, 5), np.linspace(-1, 1, 5)))
    assert np.isnan(s.f(1.01, 0.0)) and np.isnan(s.f(0.0, -1.5))
    assert all(np.isnan(g) for g in s.grad(2.0, 0.0))
    assert not s.defined_at(1.5, 0.0) and s.defined_at(0.0, 0.0) and s.defined_at(1.0, -1.0)


def test_the_native_grid_is_the_samples_themselves():
    rng = np.random.default_rng(3)
    g = SimpleNamespace(alphas=np.linspace(-2, 2, 7), betas=np.linspace(-1, 1, 5), loss=rng.random((7, 5)) + 1,
                        title="noisy")
    xs, ys, z = sampled(g).grid(7, 5)
    assert np.array_equal(xs, g.alphas) and np.array_equal(ys, g.betas) and np.array_equal(z, g.loss)
    xs, ys, z = sampled(g).grid(13, 9)      # finer: every second point a sample
    assert np.allclose(z[::2, ::2], g.loss)


@pytest.mark.parametrize(("low", "high", "log"), [(0.01, 0.9, False), (0.01, 1.01, True), (0.0, 5000.0, False),
                                                  (-1.0, 1e6, False)])
def test_log_colours_when_the_loss_spans_more_than_two_decades(low, high, log):
    loss = np.array([[low, 0.5], [0.7, high]])
    g = SimpleNamespace(alphas=np.array([0.0, 1.0]), betas=np.array([0.0, 1.0]), loss=loss, title="t")
    assert sampled(g).log_color is log


def test_non_finite_samples_stay_out_of_the_colour_rule_and_a_bad_grid_is_one_line():
    loss = np.array([[0.1, np.inf], [np.nan, 50.0]])
    g = SimpleNamespace(alphas=np.array([0.0, 1.0]), betas=np.array([0.0, 1.0]), loss=loss, title="t")
    assert sampled(g).log_color is True
    with pytest.raises(messages.OptilabError) as caught:
        sampled(SimpleNamespace(alphas=np.zeros(3), betas=np.zeros(2), loss=np.zeros((2, 3)), title="t"))
    assert messages.of(caught.value).code == "surfaces.sampled_grid" and "\n" not in str(caught.value)


@pytest.mark.parametrize(("n", "size", "k"), [(41, 201, 5), (201, 201, 1), (5, 201, 50), (21, 101, 5)])
def test_a_refined_grid_holds_every_sample_exactly(n, size, k):
    # GRID-point maps (the 2-D view asks ≥ 200, the 3-D view ≥ 90): (n − 1)·k + 1 points, the samples among them.
    rng = np.random.default_rng(n)
    g = SimpleNamespace(alphas=np.linspace(-3, 3, n), betas=np.linspace(-1, 2, n), loss=rng.random((n, n)) + 0.5,
                        title="t")
    s = sampled(g)
    wanted = 200 if n != 21 else 90
    assert s.refined(wanted) == (size, size)
    xs, ys, z = s.grid(size, size)
    assert np.array_equal(xs[::k], g.alphas) and np.array_equal(ys[::k], g.betas)
    assert np.array_equal(z[::k, ::k], g.loss)
    # Bilinear: no value between the samples beyond the samples' own range.
    assert z.min() == g.loss.min() and z.max() == g.loss.max()


def test_a_shared_loss_range_decides_the_log_colours_for_every_map_of_a_lesson():
    """A map of losses 0.17…3.17 (under 2 decades: linear alone) shown in a lesson whose other map reaches
    75.9: its shared levels (0.17, 75.9) span 2.6 decades, so it is log like the other; no levels: its own."""
    axis = np.linspace(-1.0, 1.0, 3)
    loss = 0.17 + 1.5 * (axis[:, None] ** 2 + axis[None, :] ** 2)
    alone = sampled(SimpleNamespace(alphas=axis, betas=axis, loss=loss, title="batch norm"))
    shared = sampled(SimpleNamespace(alphas=axis, betas=axis, loss=loss, title="batch norm", levels=(0.17, 75.9)))
    assert (alone.log_color, alone.levels) == (False, None)
    assert (shared.log_color, shared.levels) == (True, (0.17, 75.9))
