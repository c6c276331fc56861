"""The loss landscape's data: options, plane, projected paths, the sampled slice, lessons.

Li, Xu, Taylor, Studer & Goldstein, "Visualizing the Loss Landscape of
Neural Nets", NeurIPS 2018 (docs/references.md#li2018): the loss on a plane
through trained weights θ*,  L(θ* + αδ + βη)  (docs/landscape.md#slice),
with δ, η filter-normalised random directions or the first two principal
components of a recorded trajectory.  Plain data: the numerics are in
`optilab.landscape.directions`, `.evaluate` and `.compute`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from optilab import messages
from optilab.messages import OptilabError
from optilab.rules import Choice, Number, Setting
from optilab.training.config import RunConfig

__all__ = ["SETTINGS", "Cancelled", "Landscape", "LandscapeLesson", "LandscapeOptions", "Path", "Plane"]

CANCELLED = messages.declare("landscape.cancelled", "the loss landscape was cancelled")


class Cancelled(OptilabError):
    """Raised inside a computation whose ``cancel()`` callback said yes."""


def cancelled() -> Cancelled:
    return CANCELLED.error(Cancelled)


#: The landscape's settings, declared once (the CLI, the app's dialog and `LandscapeOptions` read them).
SETTINGS: Mapping[str, Setting] = MappingProxyType({s.key: s for s in (
    Setting("grid", Number(3, 201, integer=True), label="Grid",
            description="Grid points along each axis (N×N losses)"),
    Setting("span", Number(0.0, 100.0, low_open=True), label="Span",
            description="The grid covers −S…S along each direction (pca: in units of the paths' extent)"),
    Setting("directions", Choice(("random", "pca")), label="Directions",
            description="Filter-normalised random directions, or the principal components of the trajectory"),
    Setting("samples", Number(1, 1_000_000, integer=True), label="Images",
            description="Images the loss is evaluated on (a seeded subset)"),
    Setting("subset", Choice(("train", "test")), label="Evaluated on",
            description="Evaluate on training or test images"),
    Setting("seed", Number(0, 2**63 - 1, integer=True), label="Seed",
            description="Seed of the random directions and of the image subset"),
    Setting("bias_bn", Choice(("zero", "keep")), label="Biases and BN",
            description="Random directions: zero the biases' and batch-norm parameters' entries, or keep them"),
    Setting("bn_stats", Choice(("recompute", "keep")), label="BN statistics",
            description="Batch norm at each point: statistics recomputed on the images, or θ*'s running ones"),
)})


@dataclass(frozen=True)
class LandscapeOptions:
    """How to sample one landscape; each field checked by its `SETTINGS` entry."""

    grid: int = 41
    span: float = 1.0
    directions: str = "pca"
    samples: int = 2000
    subset: str = "train"
    seed: int = 0
    bias_bn: str = "zero"
    bn_stats: str = "recompute"

    def __post_init__(self) -> None:
        for key, setting in SETTINGS.items():
            object.__setattr__(self, key, setting.check(getattr(self, key)))

    def to_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in SETTINGS}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LandscapeOptions:
        return cls(**{k: v for k, v in d.items() if k in SETTINGS})


@dataclass(frozen=True, eq=False)
class Plane:
    """θ(α, β) = origin + α·d1 + β·d2 (flat vectors of P entries).

    ``kind`` is "random" or "pca"; ``explained`` the share of the trajectory's
    variance along d1 and d2 (pca), None for random directions.
    """

    origin: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    kind: str
    explained: tuple[float, float] | None = None


@dataclass(frozen=True, eq=False)
class Path:
    """One run's recorded weights projected onto the plane.

    ``alpha``, ``beta``: coordinates of θᵢ's projection; ``loss``: the loss of
    the recorded θᵢ itself on the evaluation images; ``plane_loss``: the loss
    at the projected point (what the map shows under the path).
    """

    label: str
    iterations: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    loss: np.ndarray
    plane_loss: np.ndarray


@dataclass(frozen=True, eq=False)
class Landscape:
    """A sampled slice: ``loss[i, j]`` = L(θ* + alphas[i]·d1 + betas[j]·d2) on the evaluation images.

    ``title`` names what it is of ("Adam", "optimizer-compare"); ``options``
    how it was sampled; ``paths`` the projected runs (empty for random
    directions); ``explained`` as in `Plane`; ``center_loss`` = L(θ*);
    ``plane`` the directions (not saved in scenarios: P numbers each);
    ``levels`` the loss range the views colour and lift by, shared by the
    maps of one lesson (`lessons.share_levels`) so equal colours and heights
    mean equal losses on each; None: the map's own min and max.
    """

    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray
    title: str
    options: LandscapeOptions
    paths: tuple[Path, ...] = ()
    explained: tuple[float, float] | None = None
    center_loss: float = float("nan")
    plane: Plane | None = field(default=None, repr=False)
    levels: tuple[float, float] | None = None


@dataclass(frozen=True)
class LandscapeLesson:
    """A captioned landscape lesson: the runs to train, how to sample, and what it shows.

    ``caption``'s claim is measured by a test in the mode the lesson opens in.
    """

    key: str
    title: str
    caption: str
    configs: tuple[RunConfig, ...]
    options: LandscapeOptions
    extra: Mapping[str, Any] = field(default_factory=dict)
