"""CS231n lecture 7's regularisers on MNIST (docs/experiments.md): l1, augmentation, ensemble, transfer."""

from __future__ import annotations

from optilab.training.preset import Preset

__all__ = ["PRESETS"]

PRESETS: tuple[Preset, ...] = ()
