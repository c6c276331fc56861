"""Scenario files: the whole state of a lesson as versioned JSON.

A scenario holds the surface (a built-in name or a formula), the optimizers
with their hyperparameters, the start point, the number of steps and the
step shown, and the training settings (a `RunConfig`).  It is language
independent: names and numbers only, never translated labels.

Reading is strict and never executes anything: formulas go through the
whitelist parser of `optilab.surfaces`, every field is type- and
range-checked, and the first problem raises `ScenarioError` naming the file
and the field (``optimizers[1].hparams.lr``).  A file written by a newer
optilab is refused with a plain message rather than half-read.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from optilab import optim, surfaces
from optilab.fileio import file_kind, write_text_atomic
from optilab.training.config import RunConfig

FORMAT = "optilab-scenario"
VERSION = 1
MAX_BYTES = 1_000_000
MAX_OPTIMIZERS = 32
MAX_STEPS = 100_000
#: Longest whole number read (Python refuses > 4300 digits; no setting needs more than a few).
MAX_DIGITS = 100


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message is one human line."""


@dataclass(frozen=True)
class OptimizerEntry:
    name: str
    hparams: Mapping[str, Any] = field(default_factory=dict)
    enabled: bool = True
    label: str | None = None


@dataclass(frozen=True)
class Scenario:
    """Everything a scenario file restores.

    ``surface`` is a built-in surface name, or None when ``formula`` is set;
    ``domain`` applies to formulas only.  ``lesson`` names the surface-lab
    lesson the state came from (for its caption), if any.
    """

    surface: str | None = "bowl"
    formula: str | None = None
    domain: tuple[float, float, float, float] | None = None
    lesson: str | None = None
    start: tuple[float, float] | None = None
    steps: int = 30
    current_step: int = 0
    optimizers: tuple[OptimizerEntry, ...] = ()
    training: RunConfig = field(default_factory=RunConfig)
    data_dir: str | None = None

    def to_dict(self) -> dict[str, Any]:
        surf: dict[str, Any] = {"name": self.surface} if self.formula is None else {"formula": self.formula}
        if self.formula is not None and self.domain is not None:
            surf["domain"] = list(self.domain)
        return {
            "format": FORMAT,
            "version": VERSION,
            "surface": surf,
            "lesson": self.lesson,
            "start": None if self.start is None else list(self.start),
            "steps": self.steps,
            "current_step": self.current_step,
            "optimizers": [
                {"name": o.name, "hparams": dict(o.hparams), "enabled": o.enabled, "label": o.label}
                for o in self.optimizers
            ],
            "training": self.training.to_dict(),
            "data_dir": self.data_dir,
        }

    def build_surface(self) -> surfaces.Surface:
        """The surface this scenario describes (formulas via the safe parser)."""
        if self.formula is not None:
            kwargs = {"domain": self.domain} if self.domain is not None else {}
            return surfaces.parse(self.formula, **kwargs)
        return surfaces.get(self.surface or "bowl")


def dumps(scenario: Scenario) -> str:
    return json.dumps(scenario.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write atomically (temporary file + rename); OSError names the file."""
    write_text_atomic(path, dumps(scenario))


def load(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file; ScenarioError on any problem."""
    p = Path(path)
    raw = _read_bounded(p)
    try:
        text = raw.decode("utf-8-sig")   # a byte-order mark some editors add is fine
    except UnicodeDecodeError:
        raise ScenarioError(f"{p.name}: not a text file (not UTF-8); choose an optilab .json scenario") from None
    return loads(text, p.name)


def _read_bounded(p: Path) -> bytes:
    """The bytes of regular file ``p``, never more than `MAX_BYTES` + 1 read; FIFOs and devices refused.

    The type is checked before opening (after following symlinks), the file
    is opened non-blocking (a FIFO swapped in cannot hang us) and checked
    again on the open descriptor.
    """
    too_large = ScenarioError(f"{p.name}: file is larger than 1 MB; this is not an optilab scenario")
    try:
        st = os.stat(p)
        _check_regular(p, st.st_mode)
        if st.st_size > MAX_BYTES:
            raise too_large
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
        try:
            _check_regular(p, os.fstat(fd).st_mode)
            chunks: list[bytes] = []
            left = MAX_BYTES + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 16))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except (FileNotFoundError, NotADirectoryError):
        raise ScenarioError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{p}: is a folder, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    if left <= 0:   # grew past the limit after the size check
        raise too_large
    return b"".join(chunks)


def _check_regular(p: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ScenarioError(f"{p}: is a folder, not a scenario file")
    if not stat.S_ISREG(mode):
        raise ScenarioError(f"{p}: not a regular file ({file_kind(mode)}); choose an optilab .json scenario")


def loads(text: str, name: str = "scenario") -> Scenario:
    """Parse and validate scenario JSON text; ``name`` appears in errors."""
    try:
        doc = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except RecursionError:
        raise ScenarioError(f"{name}: JSON nested too deeply") from None
    except _BadNumber as exc:
        line, column = _locate(text, exc.token)
        raise ScenarioError(f"{name}: {exc.what} at line {line}, column {column}; {exc.advice}") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line}, column {exc.colno})" if line is not None else ""
        raise ScenarioError(f"{name}: not valid JSON{where}: {getattr(exc, 'msg', exc)}; was the file cut short?") from None
    return _Reader(name).scenario(doc)


class _BadNumber(ValueError):
    """A JSON number a scenario cannot hold: ``token`` as written, ``what`` is wrong, ``advice``."""

    def __init__(self, token: str, what: str, advice: str) -> None:
        super().__init__(what)
        self.token, self.what, self.advice = token, what, advice


def _reject_constant(token: str) -> Any:
    raise _BadNumber(token, f"not a finite number ({token})", "scenario files hold finite numbers only")


def _parse_int(token: str) -> int:
    digits = len(token.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _BadNumber(token, f"a number with too many digits ({digits:,})",
                         f"scenario numbers have at most {MAX_DIGITS} digits")
    return int(token)


#: JSON strings (skipped) and number-like tokens, to find where a bad number stands.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|-?(?:Infinity|NaN|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')


def _locate(text: str, token: str) -> tuple[int, int]:
    """Line and column (from 1) of the first ``token`` outside strings (1, 1 if not found)."""
    for match in _TOKENS.finditer(text):
        if match[0] == token:
            pos = match.start()
            return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)
    return 1, 1


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, path: str, what: str) -> ScenarioError:
        return ScenarioError(f"{self.name}: field '{path}': {what}")

    def obj(self, v: Any, path: str) -> dict:
        if not isinstance(v, dict):
            raise self.fail(path, f"must be an object, got {_kind(v)}")
        return v

    def number(self, v: Any, path: str) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise self.fail(path, f"must be a finite number, got {_show(v)}")
        return float(v)

    def whole(self, v: Any, path: str, low: int, high: int) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
            raise self.fail(path, f"must be a whole number from {low} to {high:,}, got {_show(v)}")
        return v

    def text(self, v: Any, path: str, optional: bool = False, limit: int = 1000) -> str | None:
        if v is None and optional:
            return None
        if not isinstance(v, str) or len(v) > limit:
            raise self.fail(path, f"must be text (at most {limit} characters), got {_show(v)}")
        return v

    def point(self, v: Any, path: str) -> tuple[float, float]:
        if not isinstance(v, list) or len(v) != 2:
            raise self.fail(path, f"must be a pair [x, y], got {_show(v)}")
        return self.number(v[0], f"{path}[0]"), self.number(v[1], f"{path}[1]")

    def scenario(self, doc: Any) -> Scenario:
        doc = self.obj(doc, "(top level)")
        if doc.get("format") != FORMAT:
            raise ScenarioError(f"{self.name}: not an optilab scenario (field 'format' is {_show(doc.get('format'))})")
        version = doc.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise self.fail("version", f"must be a whole number ≥ 1, got {_show(version)}")
        if version > VERSION:
            raise ScenarioError(
                f"{self.name}: written by a newer optilab (scenario version {version}); this one reads up to "
                f"version {VERSION} — update optilab to open it")
        known = {"format", "version", "surface", "lesson", "start", "steps", "current_step", "optimizers",
                 "training", "data_dir"}
        unknown = sorted(set(doc) - known)
        if unknown:
            raise self.fail(unknown[0], f"unknown field; valid ones are: {', '.join(sorted(known))}")

        surf = self.obj(doc.get("surface", {"name": "bowl"}), "surface")
        name = formula = None
        domain = None
        extra = sorted(set(surf) - {"name", "formula", "domain"})
        if extra:
            raise self.fail(f"surface.{extra[0]}", "unknown field; use 'name', or 'formula' with optional 'domain'")
        if ("name" in surf) == ("formula" in surf):
            raise self.fail("surface", "give exactly one of 'name' or 'formula'")
        if "name" in surf:
            name = self.text(surf["name"], "surface.name", limit=64)
            if name not in surfaces.names():
                raise self.fail("surface.name", f"unknown surface {name!r}; choose one of: {', '.join(surfaces.names())}")
        else:
            formula = self.text(surf["formula"], "surface.formula")
            if "domain" in surf:
                d = surf["domain"]
                if not isinstance(d, list) or len(d) != 4:
                    raise self.fail("surface.domain", f"must be [xmin, xmax, ymin, ymax], got {_show(d)}")
                domain = tuple(self.number(v, f"surface.domain[{i}]") for i, v in enumerate(d))
                if not (domain[0] < domain[1] and domain[2] < domain[3]):
                    raise self.fail("surface.domain", "needs xmin < xmax and ymin < ymax")
            try:
                surfaces.parse(formula, **({"domain": domain} if domain else {}))
            except surfaces.FormulaError as exc:
                raise self.fail("surface.formula", str(exc)) from None
            except ValueError as exc:
                raise self.fail("surface", str(exc)) from None

        lesson = self.text(doc.get("lesson"), "lesson", optional=True, limit=64)
        if lesson is not None:
            from optilab import lessons

            if lesson not in lessons.keys():
                raise self.fail("lesson", f"unknown lesson {lesson!r}; choose one of: {', '.join(lessons.keys())}")
        start = None if doc.get("start") is None else self.point(doc["start"], "start")
        steps = self.whole(doc.get("steps", 30), "steps", 1, MAX_STEPS)
        current = self.whole(doc.get("current_step", 0), "current_step", 0, steps)

        opts_raw = doc.get("optimizers", [])
        if not isinstance(opts_raw, list) or len(opts_raw) > MAX_OPTIMIZERS:
            raise self.fail("optimizers", f"must be a list of at most {MAX_OPTIMIZERS} optimizers, got {_kind(opts_raw)}")
        entries = []
        for i, o in enumerate(opts_raw):
            path = f"optimizers[{i}]"
            o = self.obj(o, path)
            extra = sorted(set(o) - {"name", "hparams", "enabled", "label"})
            if extra:
                raise self.fail(f"{path}.{extra[0]}", "unknown field; valid ones are: enabled, hparams, label, name")
            oname = self.text(o.get("name"), f"{path}.name", limit=32)
            try:
                cls = optim.get_class(oname)
            except ValueError as exc:
                raise self.fail(f"{path}.name", str(exc)) from None
            hp = self.obj(o.get("hparams", {}), f"{path}.hparams")
            for key, value in hp.items():
                if key not in cls.defaults:
                    raise self.fail(f"{path}.hparams.{key}",
                                    f"{cls.name} has no such setting; valid ones are: {', '.join(cls.defaults)}")
                if key == "bias_correction":
                    if not isinstance(value, bool):
                        raise self.fail(f"{path}.hparams.{key}", f"must be true or false, got {_show(value)}")
                else:
                    self.number(value, f"{path}.hparams.{key}")
                try:
                    cls(**{key: value})
                except ValueError as exc:
                    raise self.fail(f"{path}.hparams.{key}", str(exc).split(": ", 1)[-1]) from None
            enabled = o.get("enabled", True)
            if not isinstance(enabled, bool):
                raise self.fail(f"{path}.enabled", f"must be true or false, got {_show(enabled)}")
            label = self.text(o.get("label"), f"{path}.label", optional=True, limit=80)
            entries.append(OptimizerEntry(cls.name, dict(hp), enabled, label))

        training = RunConfig()
        if doc.get("training") is not None:
            t = self.obj(doc["training"], "training")
            try:
                training = RunConfig.from_dict(t)
            except (ValueError, TypeError) as exc:
                raise self.fail("training", str(exc)) from None
        data_dir = self.text(doc.get("data_dir"), "data_dir", optional=True, limit=4096)
        return Scenario(surface=name, formula=formula, domain=domain, lesson=lesson, start=start, steps=steps,
                        current_step=current, optimizers=tuple(entries), training=training, data_dir=data_dir)


def _kind(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(v), "a number" if isinstance(v, (int, float)) else type(v).__name__)


def _show(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False) if isinstance(v, (str, int, float, bool, type(None))) else _kind(v)
    return text if len(text) <= 40 else text[:37] + "…"
