"""A scenario's ``landscape`` section: the loss landscape shown in the surface lab's landscape mode.

Written by `landscape_section` and read by `LandscapeReader.landscape` (a
part of `optilab.scenario`'s strict reader: every field type- and
range-checked, the first problem one `ScenarioError` line naming the field,
``landscape.levels``).  The section holds the slice's axes and losses (to 9
significant digits, which float32 losses round-trip exactly), how it was
sampled, the projected paths, the caption and step shown and, for a
lesson's maps, the loss range they share (``levels``); not the plane's
P-number directions.  The method: Li et al. 2018 (docs/landscape.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from optilab import messages
from optilab.landscape import types as landscapes
from optilab.messages import Message

__all__ = ["LANDSCAPE_FIELDS", "LandscapeReader", "landscape_section"]

_m = messages.declare
LANDSCAPE_INCREASING = _m("scenario.landscape_increasing", "must increase from each value to the next")
LANDSCAPE_GRID = _m("scenario.landscape_grid", "must be {rows} rows (one per α) of {columns} numbers each")
LANDSCAPE_PATHS = _m("scenario.landscape_paths", "must be a list of at most {max} paths, got {kind}")
LANDSCAPE_EXPLAINED = _m("scenario.landscape_explained", "must be null or a pair of shares from 0 to 1")
LANDSCAPE_LEVELS = _m("scenario.landscape_levels",
                      "must be null or two finite numbers, the lower loss first (the maps' shared loss range)")
#: The fields of a landscape section (the first six required) and of its paths; most paths and snapshots.
LANDSCAPE_FIELDS = ("alphas", "betas", "loss", "options", "title", "paths", "caption", "step", "explained",
                    "center_loss", "levels")
PATH_FIELDS, MAX_PATHS, MAX_SNAPSHOTS = ("label", "iterations", "alpha", "beta", "loss", "plane_loss"), 32, 10_000


def floats(values: Any, digits: int | None = None) -> list[float | None]:
    """Numbers for JSON: exact (``digits``: to that many significant digits), null where not finite."""
    return [None if not math.isfinite(v) else float(f"{v:.{digits}g}") if digits else v
            for v in np.asarray(values, dtype=float).ravel().tolist()]


def landscape_section(ls: landscapes.Landscape, caption: str | None, step: int | None) -> dict[str, Any]:
    """The ``landscape`` section of ``ls`` shown with ``caption`` at ``step`` (``levels`` only when set)."""
    paths = [{"label": p.label, "iterations": [int(i) for i in p.iterations], "alpha": floats(p.alpha),
              "beta": floats(p.beta), "loss": floats(p.loss, 9), "plane_loss": floats(p.plane_loss, 9)}
             for p in ls.paths]
    return {"alphas": floats(ls.alphas), "betas": floats(ls.betas), "options": ls.options.to_dict(),
            "loss": [floats(row, 9) for row in np.asarray(ls.loss)], "title": ls.title, "paths": paths,
            "caption": caption, "step": step,
            "explained": None if ls.explained is None else floats(ls.explained),
            "center_loss": floats([ls.center_loss])[0],
            **({} if ls.levels is None else {"levels": [float(v) for v in ls.levels]})}


class LandscapeReader:
    """The landscape part of `optilab.scenario`'s reader (a mixin: it uses the reader's checks)."""

    fail: Callable[[str, Message], Exception]
    obj: Callable[[Any, str], dict]
    number: Callable[[Any, str], float]
    whole: Callable[[Any, str, int, int], int]
    text: Callable[..., str | None]
    kind: Callable[[Any], Message]
    numbers: Callable[..., np.ndarray]
    fields: Callable[..., None]

    def landscape(self, d: dict) -> tuple[landscapes.Landscape, str | None, int | None]:
        """The ``landscape`` section: (the landscape, its caption, the step shown)."""
        self.fields(d, "landscape", LANDSCAPE_FIELDS[:6], LANDSCAPE_FIELDS[6:])
        most = int(getattr(landscapes.SETTINGS["grid"].rule, "high", 201))
        a, b = (self.numbers(d[k], f"landscape.{k}", 2, most) for k in ("alphas", "betas"))
        for key in (k for k, axis in (("alphas", a), ("betas", b)) if not (np.diff(axis) > 0).all()):
            raise self.fail(f"landscape.{key}", LANDSCAPE_INCREASING())
        if not isinstance(d["loss"], list) or len(d["loss"]) != len(a):
            raise self.fail("landscape.loss", LANDSCAPE_GRID(rows=len(a), columns=len(b)))
        loss = np.array([self.numbers(r, f"landscape.loss[{i}]", len(b), len(b), null=True)
                         for i, r in enumerate(d["loss"])])
        try:
            options = landscapes.LandscapeOptions.from_dict(self.obj(d["options"], "landscape.options"))
        except (ValueError, TypeError) as exc:
            raise self.fail("landscape.options", messages.of(exc)) from None
        shares = None if d.get("explained") is None else self.numbers(d["explained"], "landscape.explained", 2, 2)
        if shares is not None and not ((shares >= 0) & (shares <= 1)).all():
            raise self.fail("landscape.explained", LANDSCAPE_EXPLAINED())
        if not isinstance(d["paths"], list) or len(d["paths"]) > MAX_PATHS:
            raise self.fail("landscape.paths", LANDSCAPE_PATHS(max=MAX_PATHS, kind=self.kind(d["paths"])))
        paths = tuple(self.path(self.obj(p, f"landscape.paths[{i}]"), f"landscape.paths[{i}]")
                      for i, p in enumerate(d["paths"]))
        last = max((len(p.iterations) - 1 for p in paths), default=0)
        step = None if d.get("step") is None else self.whole(d["step"], "landscape.step", 0, last)
        center = math.nan if d.get("center_loss") is None else self.number(d["center_loss"], "landscape.center_loss")
        title = self.text(d["title"], "landscape.title", limit=200) or ""
        explained = None if shares is None else (float(shares[0]), float(shares[1]))
        return (landscapes.Landscape(a, b, loss, title, options, paths, explained, center,
                                     levels=self.levels(d.get("levels"))),
                self.text(d.get("caption"), "landscape.caption", optional=True, limit=2000), step)

    def levels(self, v: Any) -> tuple[float, float] | None:
        """``landscape.levels``: null, or [low, high], two finite numbers with low < high."""
        if v is None:
            return None
        ok = isinstance(v, list) and len(v) == 2 and all(
            not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x) for x in v)
        if not ok or not v[0] < v[1]:
            raise self.fail("landscape.levels", LANDSCAPE_LEVELS())
        return float(v[0]), float(v[1])

    def path(self, p: dict, path: str) -> landscapes.Path:
        """One projected path of the landscape section: a label and equally long lists."""
        self.fields(p, path, PATH_FIELDS)
        its = p["iterations"]
        n = len(self.numbers(its, f"{path}.iterations", 1, MAX_SNAPSHOTS))
        values = [np.array([self.whole(v, f"{path}.iterations[{i}]", 0, 10**12) for i, v in enumerate(its)])]
        values += [self.numbers(p[k], f"{path}.{k}", n, n, null=k.endswith("loss")) for k in PATH_FIELDS[2:]]
        return landscapes.Path(self.text(p["label"], f"{path}.label", limit=200) or "", *values)
