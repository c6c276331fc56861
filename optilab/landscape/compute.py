"""A finished run's (or experiment's) loss landscape: the plane, the slice and the projected paths.

Li et al. 2018 (docs/references.md#li2018; docs/landscape.md#slice): the
slice is centred on θ*, the final weights of the first run; with PCA
directions every run's snapshots share one plane (runs from the same
initialisation, so several optimizers' paths lie on one map), with random
directions there are no paths (a random plane misses the trajectory: the
paper's §7).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from optilab import messages
from optilab.data import Dataset
from optilab.nn.mlp import MLP
from optilab.training.config import RunConfig
from optilab.training.snapshots import Layout, Snapshots
from optilab.training.trainer import make_split, output_size

from .directions import pca_plane, project, random_plane
from .evaluate import LossEvaluator
from .evaluate import interpolate as _interpolate
from .types import Landscape, LandscapeOptions, Path

__all__ = ["compute", "evaluation_images", "interpolate"]

NO_RESULTS = messages.declare("landscape.no_results", "no finished run to draw the loss landscape of")
NO_SNAPSHOTS = messages.declare(
    "landscape.no_snapshots", "run '{run}' kept no weight snapshots; train it again with snapshots above 0")
OTHER_NETWORK = messages.declare(
    "landscape.other_network", "a shared plane needs runs of the same network: '{a}' and '{b}' differ")
DIVERGED = messages.declare(
    "landscape.diverged",
    "run '{run}' diverged: its weights are not finite numbers, so it has no loss landscape; "
    "train it again with a smaller learning rate")
NO_IMAGES = messages.declare("landscape.no_images", "there are no {subset} images to evaluate the loss on")


def _label(config: RunConfig) -> str:
    return config.label or config.optimizer


def evaluation_images(config: RunConfig, dataset: Dataset, options: LandscapeOptions) -> tuple[np.ndarray, np.ndarray]:
    """(x, t): a seeded (options.seed) subset of options.samples images of the run's training split
    (`trainer.make_split`) or of the test images (options.subset), in the run's dtype; all of them,
    in order, when there are no more (docs/landscape.md#slice)."""
    if options.subset == "train":
        split = make_split(config, dataset)
        x, t = split.x_train, split.t_train
    else:
        x, t = dataset.x_test, dataset.t_test
    if len(x) == 0:
        raise NO_IMAGES.error(subset=options.subset)
    if len(x) > options.samples:
        pick = np.sort(np.random.default_rng([options.seed, 1]).choice(len(x), options.samples, replace=False))
        x, t = x[pick], t[pick]
    return np.asarray(x, dtype=np.dtype(config.dtype)), np.asarray(t)


def _snapshots(result: Any) -> Snapshots:
    snaps = getattr(result, "snapshots", None)
    if snaps is None or len(snaps) == 0:
        raise NO_SNAPSHOTS.error(run=_label(result.config))
    if not np.isfinite(snaps.weights).all():
        raise DIVERGED.error(run=_label(result.config))
    return snaps


def _checked(results: Sequence[Any]) -> list[Snapshots]:
    """Every run's snapshots, the one rule of which runs can share a plane."""
    if not results:
        raise NO_RESULTS.error()
    snaps = [_snapshots(r) for r in results]
    first = results[0].config
    for r, s in zip(results[1:], snaps[1:], strict=True):
        if s.layout != snaps[0].layout or r.config.activation != first.activation:
            raise OTHER_NETWORK.error(a=_label(first), b=_label(r.config))
    return snaps


def compute(results: Sequence[Any], dataset: Dataset, options: LandscapeOptions, *,
            progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
            title: str | None = None) -> Landscape:
    """The loss landscape of ``results`` (`RunResult`s with ``.snapshots``) on ``dataset`` (docs/landscape.md#slice).

    θ* = the final weights of results[0]; the loss is results[0]'s network's
    (its activation, weight decay and dtype) on `evaluation_images`.
    random: filter-normalised directions seeded by options.seed, the grid
    −S…S, no paths.  pca: one plane from every run's snapshots, each run's
    path projected onto it, the grid −S·r…S·r with r the largest |α| or |β|
    of the paths (span 1 just holds them).  Each path's ``loss`` is that of
    the recorded θᵢ, its ``plane_loss`` that at its projection, both with
    results[0]'s network.  ``progress(done, total)``: total is the grid's
    N² points, done the share of the work finished in those units (with pca
    each path's recorded and projected points, evaluated first, count too);
    ``cancel()`` is polled between chunks (`Cancelled`).
    """
    snaps = _checked(results)
    config = results[0].config
    origin = snaps[0].final
    x, t = evaluation_images(config, dataset, options)
    evaluator = LossEvaluator(config, snaps[0].layout, x, t, snaps[0].running, options.bn_stats)
    pca = options.directions == "pca"
    points = options.grid**2
    work = points + (2 * sum(len(s) for s in snaps) if pca else 0)
    done = 0

    def counted(k: int, _part: int) -> None:     # a part's progress, as grid points of the whole's
        if progress is not None:
            progress((done + k) * points // work, points)

    paths: list[Path] = []
    if pca:
        plane = pca_plane(origin, [s.weights for s in snaps])
        coords = [project(plane, s.weights) for s in snaps]
        reach = max(float(np.max(np.abs(np.concatenate(c)))) for c in coords) or 1.0
        for r, s, (a, b) in zip(results, snaps, coords, strict=True):
            loss = evaluator.losses(s.weights, counted, cancel)
            done += len(s)
            on_plane = evaluator.point_losses(plane, a, b, counted, cancel)
            done += len(s)
            paths.append(Path(_label(r.config), np.asarray(s.iterations), a, b, loss, on_plane))
    else:
        plane = random_plane(origin, snaps[0].layout, options.seed, options.bias_bn)
        reach = 1.0
    grid = np.linspace(-options.span * reach, options.span * reach, options.grid)
    loss = evaluator.plane_losses(plane, grid, grid, counted, cancel)
    center = float(evaluator.losses(origin[None])[0])
    return Landscape(grid, grid.copy(), loss, title if title is not None else _label(config), options,
                     tuple(paths), plane.explained, center, plane)


def _layout(config: RunConfig, dataset: Dataset) -> Layout:
    """The layout of the MLP a `Trainer` builds for ``config`` on ``dataset``."""
    net = MLP(dataset.x_train.shape[1], config.hidden, output_size(dataset.t_train, dataset.t_test),
              config.activation, batchnorm=config.batchnorm, dtype=np.dtype(config.dtype))
    return Layout.of(net.params)


def interpolate(result_or_config: Any, theta_a: np.ndarray, theta_b: np.ndarray, ts: np.ndarray,
                dataset: Dataset, options: LandscapeOptions) -> np.ndarray:
    """L((1 − t)·θa + t·θb) for each t of ``ts`` (docs/landscape.md#interpolation) on the run's
    `evaluation_images`, batch norm as options.bn_stats (recomputed by default, as the paper does).

    ``result_or_config``: a `RunResult` with snapshots (its layout and running
    statistics) or a `RunConfig` (its network on ``dataset``; no running statistics).
    """
    running: Sequence[tuple[np.ndarray, np.ndarray]] = ()
    if isinstance(result_or_config, RunConfig):
        config, layout = result_or_config, _layout(result_or_config, dataset)
    else:
        config = result_or_config.config
        snaps = _snapshots(result_or_config)
        layout, running = snaps.layout, snaps.running
    x, t = evaluation_images(config, dataset, options)
    return _interpolate(config, layout, theta_a, theta_b, ts, x, t, running, options.bn_stats)
