"""The loss-landscape lessons, as data, and the measurements their captions state (docs/landscape.md#lessons).

Each `LandscapeLesson` lists the runs to train (`configs`, all from the same
initialisation) and how to sample their landscape (`options`); its ``extra``
says how the runs meet the picture:

* ``plane`` — ``"shared"``: one landscape of all runs on one PCA plane
  through the first run's final weights (the runs' paths on one map);
  ``"each"``: one landscape per run, centred on that run's own minimum, with
  the same seeded random directions (filter-normalised against each minimum,
  so the two maps' distances mean the same);
* ``measure`` and its parameters — which of the functions below the
  caption's numbers come from.

`planes` says which runs each of a lesson's landscapes is of, `landscapes`
computes them from the trained runs; the
measurements are pure numpy on the computed `Landscape`s.  Every caption's
claim is measured by tests/landscape/test_landscape_lessons.py on the bundled
sample, in the size the lesson opens in.  After Li et al. 2018
(docs/references.md#li2018): §5 (small and large batches, sharp and flat
minima), §6 (what the architecture does to the landscape's smoothness), §7
(optimizer trajectories on a PCA plane).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np

from optilab import messages, optim
from optilab.data import Dataset
from optilab.training.config import RunConfig
from optilab.training.experiments import PRESETS

from .compute import compute
from .types import Landscape, LandscapeLesson, LandscapeOptions, Path

__all__ = ["CHANCE_LOSS", "LESSONS", "by_caption", "get", "landscapes", "names", "path_length", "planes", "run_names",
           "share_below", "share_levels", "shared_levels", "sharpness", "titles"]

UNKNOWN = messages.declare("landscape.unknown_lesson", "unknown landscape lesson {key}; choose one of: {choices}")
OFF_GRID = messages.declare(
    "landscape.sharpness_off_grid",
    "the sharpness at distance {distance} needs a grid that holds 0 and ±{distance} along both directions; "
    "widen the span or use an odd grid")

#: Cross-entropy of a uniform guess among 10 classes, ln 10: the loss of a net that knows nothing.
CHANCE_LOSS = math.log(10)


# -- the measurements ----------------------------------------------------------

def path_length(path: Path) -> float:
    """Length of a projected path on the plane: Σᵢ √((αᵢ₊₁ − αᵢ)² + (βᵢ₊₁ − βᵢ)²) (docs/landscape.md#lessons)."""
    return float(np.sum(np.hypot(np.diff(path.alpha), np.diff(path.beta))))


def sharpness(landscape: Landscape, distance: float) -> float:
    """Sharpness of the slice's centre: the mean rise of the loss at filter-normalised distance
    ``distance`` along both directions, both ways (docs/landscape.md#lessons):

        s(r) = ¼ [L(r, 0) + L(−r, 0) + L(0, r) + L(0, −r)] − L(0, 0),

    read off the grid's centre row and column by linear interpolation (the
    grid must reach ±r and have a point at 0; a 1-D curve of Li et al.'s
    Fig. 3 along each direction).
    """
    a, b, loss = (np.asarray(v, np.float64) for v in (landscape.alphas, landscape.betas, landscape.loss))
    i0, j0 = int(np.argmin(np.abs(a))), int(np.argmin(np.abs(b)))
    if a[i0] != 0.0 or b[j0] != 0.0 or distance > min(a.max(), -a.min(), b.max(), -b.min()):
        raise OFF_GRID.error(distance=f"{distance:g}")
    along_a = np.interp([-distance, distance], a, loss[:, j0])
    along_b = np.interp([-distance, distance], b, loss[i0, :])
    return float(np.mean(np.concatenate([along_a, along_b])) - loss[i0, j0])


def share_below(landscape: Landscape, level: float = CHANCE_LOSS) -> float:
    """Share of the slice's grid points whose loss is below ``level`` (docs/landscape.md#lessons):
    #{(i, j) : loss[i, j] < level} / N²; with ``level`` = ln 10, the part of the plane where the
    net does better than guessing."""
    loss = np.asarray(landscape.loss, np.float64)
    return float(np.count_nonzero(loss < level) / loss.size)


# -- the lessons -----------------------------------------------------------------

def _compare(label: str) -> RunConfig:
    """The optimizer-comparison experiment's run ``label`` (docs/experiments.md#optimizer-compare)."""
    return next(c for c in PRESETS["optimizer-compare"].runs if c.label == label)


#: Batch-size lesson: Adam η 0.001 for the same 10 epochs of the 8,000 images (the same images seen, as
#: in Li et al.'s Fig. 3), a small and a large batch.
_BATCH = RunConfig(hidden=(100,) * 4, optimizer="adam", hparams={"lr": 0.001}, epochs=10, iterations=None,
                   eval_interval=50, eval_train_size=2000, snapshots=2)

LESSONS: dict[str, LandscapeLesson] = {
    lesson.key: lesson
    for lesson in [
        LandscapeLesson(
            "landscape-optimizers",
            "SGD's and Adam's paths on one loss landscape",
            "SGD and Adam from the same initial weights (the optimizer comparison, 1,000 iterations each) on "
            "one plane through Adam's final weights: the two principal components of both paths, over 90 % "
            "of their spread. Adam travels more than ten times as far as SGD and ends at less than half its "
            "loss; SGD stays near the start.",
            (_compare("adam"), _compare("sgd")),
            LandscapeOptions(grid=41, span=1.2, directions="pca", samples=2000),
            {"plane": "shared", "measure": "path_length"},
        ),
        LandscapeLesson(
            "landscape-batch-size",
            "Sharp and flat minima: small and large batches",
            "Adam for 10 epochs with batch 32 and with batch 1024, each map centred on its own minimum, along "
            "the same filter-normalised random directions. A quarter of the way out (each neuron's weights "
            "moved by a quarter of their norm) the loss rises over three times as much around the large "
            "batch's minimum: the small batch finds the flatter minimum, as Li et al. report. The large "
            "batch (32 times fewer steps) also ends higher.",
            (_BATCH.replace(batch_size=32, label="batch 32"), _BATCH.replace(batch_size=1024, label="batch 1024")),
            LandscapeOptions(grid=25, span=1.0, directions="random", samples=2000),
            {"plane": "each", "measure": "sharpness", "distance": 0.25},
        ),
        LandscapeLesson(
            "landscape-batchnorm",
            "The landscape with and without batch norm",
            "The optimizer comparison's SGD run without and with batch norm, each map centred on its own "
            "minimum, along the same filter-normalised random directions. Without batch norm the loss shoots "
            "up, past ten times the highest loss with it; with batch norm it levels off below twice the "
            "chance level (ln 10 ≈ 2.30), and at least twice as much of the plane stays below chance level.",
            (_compare("sgd").replace(label="no batch norm", snapshots=2),
             _compare("sgd").replace(label="batch norm", batchnorm=True, snapshots=2)),
            LandscapeOptions(grid=21, span=1.0, directions="random", samples=2000),
            {"plane": "each", "measure": "share_below", "level": CHANCE_LOSS},
        ),
    ]
}


def names() -> list[str]:
    """The lessons' keys, in teaching order."""
    return list(LESSONS)


def get(key: str) -> LandscapeLesson:
    """The lesson ``key``; one line listing the choices otherwise."""
    try:
        return LESSONS[key]
    except KeyError:
        raise UNKNOWN.error(key=repr(key), choices=", ".join(LESSONS)) from None


def run_names(labels: Sequence[str]) -> str:
    """The runs of one plane by name: an optimizer's key ("adam") as its display name ("Adam"), any
    other label as it is, joined "Adam and SGD" ("A, B and C" for more)."""
    names = [optim.get_class(label).title if label.strip().lower() in optim.names() else label
             for label in labels]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def by_caption(caption: str | None) -> LandscapeLesson | None:
    """The lesson whose caption is ``caption`` (a landscape shown with it, or saved with it in a
    scenario, is that lesson's: its title goes in the lesson bar); None for any other text."""
    return next((lesson for lesson in LESSONS.values() if caption and lesson.caption == caption), None)


def planes(lesson: LandscapeLesson, results: Sequence[Any]) -> list[tuple[tuple[int, ...], str]]:
    """Which of the trained ``results`` each of ``lesson``'s landscapes is of, and its title:
    ``[((0, 1, …), "Adam and SGD")]`` for one shared plane (named after its runs, `run_names`:
    the lesson's own title stays in the lesson bar), ``[((k,), label of run k), …]`` for a
    landscape per run (``extra["plane"]`` "each") — the one rule the app and `landscapes` follow."""
    labels = [r.config.label or r.config.optimizer for r in results]
    if lesson.extra.get("plane", "shared") == "shared":
        return [(tuple(range(len(results))), run_names(labels))]
    return [((k,), label) for k, label in enumerate(labels)]


def titles(lesson: LandscapeLesson) -> list[str]:
    """The titles of ``lesson``'s landscapes before training (`planes` of its configs): texts the
    app translates, listed for the catalogs."""
    return [title for _runs, title in planes(lesson, [SimpleNamespace(config=c) for c in lesson.configs])]


def shared_levels(shown: Sequence[Landscape]) -> tuple[float, float] | None:
    """The loss range of the maps of one lesson: (min, max) of the finite losses over all of them
    (None when none is finite), so equal colours and heights mean equal losses on each map."""
    finite = [loss[np.isfinite(loss)] for loss in (np.asarray(ls.loss, np.float64) for ls in shown)]
    values = np.concatenate(finite) if finite else np.zeros(0)
    return (float(values.min()), float(values.max())) if values.size else None


def share_levels(shown: Sequence[Landscape]) -> list[Landscape]:
    """``shown`` with their `Landscape.levels` set to their `shared_levels`."""
    levels = shared_levels(shown)
    return [replace(ls, levels=levels) for ls in shown]


def landscapes(lesson: LandscapeLesson, results: Sequence[Any], dataset: Dataset, *,
               progress: Callable[[int, int], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> list[Landscape]:
    """What ``lesson`` shows of its trained ``results`` (`RunResult`s of ``lesson.configs``, in order),
    one `Landscape` per entry of `planes`, coloured and lifted by their `shared_levels`.
    ``progress(done, total)`` counts grid points over all of them."""
    groups = planes(lesson, results)
    per, total = lesson.options.grid ** 2, len(groups) * lesson.options.grid ** 2
    out = []
    for k, (runs, title) in enumerate(groups):
        step = None if progress is None else (lambda done, _n, k=k: progress(k * per + done, total))
        out.append(compute([results[i] for i in runs], dataset, lesson.options, progress=step, cancel=cancel,
                           title=title))
    return share_levels(out)
