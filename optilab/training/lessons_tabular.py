"""Regression on tabular data (docs/experiments.md): the PyTorch chapter's California housing lesson."""

from __future__ import annotations

from optilab.training.preset import Preset

__all__ = ["PRESETS"]

PRESETS: tuple[Preset, ...] = ()
