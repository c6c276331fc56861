"""The real loss landscape: the MNIST network's own loss on a plane through its weights.

After Li et al., "Visualizing the Loss Landscape of Neural Nets" (NeurIPS
2018; docs/references.md#li2018, docs/landscape.md): filter-normalised random
directions or the principal components of a recorded trajectory, a shared
plane for several runs, 1-D interpolation between two weight vectors, and
the runs' paths projected onto the plane.  Pure numpy.
"""

from __future__ import annotations

from .compute import compute, evaluation_images, interpolate
from .directions import filter_normalize, pca_plane, project, random_plane
from .evaluate import LossEvaluator, plane_points, slice_of
from .types import SETTINGS, Cancelled, Landscape, LandscapeLesson, LandscapeOptions, Path, Plane

__all__ = [
    "SETTINGS",
    "Cancelled",
    "Landscape",
    "LandscapeLesson",
    "LandscapeOptions",
    "LossEvaluator",
    "Path",
    "Plane",
    "compute",
    "evaluation_images",
    "filter_normalize",
    "interpolate",
    "pca_plane",
    "plane_points",
    "project",
    "random_plane",
    "slice_of",
]
