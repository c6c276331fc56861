"""Scenario files: the whole state of a lesson as versioned JSON.

A scenario holds the surface (a built-in name or a formula), the optimizers
with their hyperparameters, the start point, the number of steps and the
step shown, and the training settings (a `RunConfig`).  It is language
independent: names and numbers only, never translated labels.  In landscape mode it also holds the
loss landscape (`optilab.scenario_landscape`; not the plane's P-number directions), its losses to 9 significant
digits, which float32 losses round-trip exactly.

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
from typing import Any

import numpy as np

from optilab import messages, optim, rules, surfaces
from optilab.fileio import file_kind, write_text_atomic
from optilab.landscape import types as landscapes
from optilab.messages import Message, OptilabError
from optilab.scenario_landscape import LandscapeReader, landscape_section
from optilab.training.config import RunConfig
from optilab.trajectory import Run

FORMAT = "optilab-scenario"
VERSION = 1
MAX_BYTES = 1_000_000
MAX_OPTIMIZERS = 32
MAX_STEPS = 100_000
#: Longest whole number read (Python refuses > 4300 digits; no setting needs more than a few).
MAX_DIGITS = 100


class ScenarioError(OptilabError):
    """A scenario file that cannot be used; the message is one human line (a `Message`)."""


_m = messages.declare
NOT_UTF8 = _m("scenario.not_utf8", "{name}: not a text file (not UTF-8); choose an optilab .json scenario")
TOO_LARGE = _m("scenario.too_large", "{name}: file is larger than 1 MB; this is not an optilab scenario")
NO_SUCH_FILE = _m("scenario.no_such_file", "{path}: no such file")
IS_FOLDER = _m("scenario.is_folder", "{path}: is a folder, not a scenario file")
CANNOT_READ = _m("scenario.cannot_read", "{path}: cannot read it ({reason})")
NOT_REGULAR = _m("scenario.not_regular", "{path}: not a regular file ({kind}); choose an optilab .json scenario")
TOO_DEEP = _m("scenario.too_deep", "{name}: JSON nested too deeply")
BAD_NUMBER = _m("scenario.bad_number", "{name}: {what} at line {line}, column {column}; {advice}")
NOT_FINITE_TOKEN = _m("scenario.not_finite_token", "not a finite number ({token})")
FINITE_ONLY = _m("scenario.finite_only", "scenario files hold finite numbers only")
TOO_MANY_DIGITS = _m("scenario.too_many_digits", "a number with too many digits ({digits})")
MAX_DIGITS_ADVICE = _m("scenario.max_digits", "scenario numbers have at most {max} digits")
BAD_JSON_AT = _m("scenario.bad_json_at",
                 "{name}: not valid JSON (line {line}, column {column}): {reason}; was the file cut short?")
BAD_JSON = _m("scenario.bad_json", "{name}: not valid JSON: {reason}; was the file cut short?")
NOT_SCENARIO = _m("scenario.not_scenario", "{name}: not an optilab scenario (field 'format' is {value})")
NEWER = _m("scenario.newer", "{name}: written by a newer optilab (scenario version {version}); this one reads up "
           "to version {supported} — update optilab to open it")
FIELD = _m("scenario.field", "{name}: field '{path}': {what}")
MUST_BE_OBJECT = _m("scenario.must_be_object", "must be an object, got {kind}")
MUST_BE_FINITE = _m("scenario.must_be_finite", "must be a finite number, got {value}")
MUST_BE_WHOLE = _m("scenario.must_be_whole", "must be a whole number from {low} to {high}, got {value}")
MUST_BE_VERSION = _m("scenario.must_be_version", "must be a whole number ≥ 1, got {value}")
MUST_BE_TEXT = _m("scenario.must_be_text", "must be text (at most {limit} characters), got {value}")
MUST_BE_PAIR = _m("scenario.must_be_pair", "must be a pair [x, y], got {value}")
MUST_BE_FLAG = _m("scenario.must_be_flag", "must be true or false, got {value}")
UNKNOWN_FIELD = _m("scenario.unknown_field", "unknown field; valid ones are: {valid}")
UNKNOWN_SURFACE_FIELD = _m("scenario.unknown_surface_field",
                           "unknown field; use 'name', or 'formula' with optional 'domain'")
NAME_OR_FORMULA = _m("scenario.name_or_formula", "give exactly one of 'name' or 'formula'")
UNKNOWN_SURFACE = _m("scenario.unknown_surface", "unknown surface {surface}; choose one of: {choices}")
DOMAIN_SHAPE = _m("scenario.domain_shape", "must be [xmin, xmax, ymin, ymax], got {value}")
DOMAIN_ORDER = _m("scenario.domain_order", "needs xmin < xmax and ymin < ymax")
TOO_MANY_OPTIMIZERS = _m("scenario.too_many_optimizers", "must be a list of at most {max} optimizers, got {kind}")
NO_SUCH_SETTING = _m("scenario.no_such_setting", "{optimizer} has no such setting; valid ones are: {valid}")
#: What a JSON value is, in messages ("got a list").
KINDS = {dict: _m("scenario.kind.object", "an object"), list: _m("scenario.kind.list", "a list"),
         str: _m("scenario.kind.text", "text"), bool: _m("scenario.kind.flag", "true/false"),
         type(None): _m("scenario.kind.null", "null")}
KIND_NUMBER = _m("scenario.kind.number", "a number")
LANDSCAPE_MISSING = _m("scenario.landscape_missing", "missing; a landscape needs: {needed}")
LANDSCAPE_NUMBERS = _m("scenario.landscape_numbers", "must be a list of {count} finite numbers, got {value}")


@dataclass(frozen=True)
class Scenario:
    """Everything a scenario file restores.

    ``surface``: a built-in surface name, or None when ``formula`` is set; ``domain``: for formulas
    only.  ``lesson``: the surface-lab lesson the state came from (for its caption).  ``parsed``: the
    formula's surface as the loader parsed it (parsed once).  ``landscape``: the loss landscape shown
    over the rest (the surface lab's landscape mode), with its caption and step.
    """

    surface: str | None = "bowl"
    formula: str | None = None
    domain: tuple[float, float, float, float] | None = None
    lesson: str | None = None
    start: tuple[float, float] | None = None
    steps: int = 30
    current_step: int = 0
    optimizers: tuple[Run, ...] = ()
    training: RunConfig = field(default_factory=RunConfig)
    data_dir: str | None = None
    parsed: surfaces.Surface | None = field(default=None, compare=False, repr=False)
    landscape: landscapes.Landscape | None = field(default=None, compare=False, repr=False)
    landscape_caption: str | None = None
    landscape_step: int | None = None

    def to_dict(self) -> dict[str, Any]:
        surf: dict[str, Any] = {"name": self.surface} if self.formula is None else {"formula": self.formula}
        if self.formula is not None and self.domain is not None:
            surf["domain"] = list(self.domain)
        return {
            "format": FORMAT, "version": VERSION, "surface": surf, "lesson": self.lesson,
            "start": None if self.start is None else list(self.start),
            "steps": self.steps, "current_step": self.current_step,
            "optimizers": [{"name": o.optimizer, "hparams": dict(o.hparams), "enabled": o.enabled, "label": o.label}
                           for o in self.optimizers],
            "training": self.training.to_dict(), "data_dir": self.data_dir,
            **({} if self.landscape is None else
               {"landscape": landscape_section(self.landscape, self.landscape_caption, self.landscape_step)}),
        }

    def build_surface(self) -> surfaces.Surface:
        """The surface this scenario describes (formulas via the safe parser, once)."""
        if self.parsed is not None:
            return self.parsed
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
        raise NOT_UTF8.error(ScenarioError, name=p.name) from None
    return loads(text, p.name)


def _read_bounded(p: Path) -> bytes:
    """The bytes of regular file ``p``, never more than `MAX_BYTES` + 1 read; FIFOs and devices refused.

    The type is checked before opening (after following symlinks), the file
    is opened non-blocking (a FIFO swapped in cannot hang us) and checked
    again on the open descriptor.
    """
    too_large = TOO_LARGE.error(ScenarioError, name=p.name)
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
        raise NO_SUCH_FILE.error(ScenarioError, path=str(p)) from None
    except IsADirectoryError:
        raise IS_FOLDER.error(ScenarioError, path=str(p)) from None
    except OSError as exc:
        raise CANNOT_READ.error(ScenarioError, path=str(p), reason=exc.strerror or str(exc)) from None
    if left <= 0:   # grew past the limit after the size check
        raise too_large
    return b"".join(chunks)


def _check_regular(p: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IS_FOLDER.error(ScenarioError, path=str(p))
    if not stat.S_ISREG(mode):
        raise NOT_REGULAR.error(ScenarioError, path=str(p), kind=file_kind(mode))


def loads(text: str, name: str = "scenario") -> Scenario:
    """Parse and validate scenario JSON text; ``name`` appears in errors."""
    try:
        doc = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except RecursionError:
        raise TOO_DEEP.error(ScenarioError, name=name) from None
    except _BadNumber as exc:
        line, column = _locate(text, exc.token)
        raise BAD_NUMBER.error(ScenarioError, name=name, what=exc.what, line=line, column=column,
                               advice=exc.advice) from None
    except ValueError as exc:
        line, reason = getattr(exc, "lineno", None), getattr(exc, "msg", str(exc))
        if line is not None:
            raise BAD_JSON_AT.error(ScenarioError, name=name, line=line, column=exc.colno, reason=reason) from None
        raise BAD_JSON.error(ScenarioError, name=name, reason=reason) from None
    return _Reader(name).scenario(doc)


class _BadNumber(ValueError):
    """A JSON number a scenario cannot hold: ``token`` as written, ``what`` is wrong, ``advice``."""

    def __init__(self, token: str, what: Message, advice: Message) -> None:
        super().__init__(str(what))
        self.token, self.what, self.advice = token, what, advice


def _reject_constant(token: str) -> Any:
    raise _BadNumber(token, NOT_FINITE_TOKEN(token=token), FINITE_ONLY())


def _parse_int(token: str) -> int:
    digits = len(token.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _BadNumber(token, TOO_MANY_DIGITS(digits=f"{digits:,}"), MAX_DIGITS_ADVICE(max=MAX_DIGITS))
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


class _Reader(LandscapeReader):
    def __init__(self, name: str) -> None:
        self.name = name

    def kind(self, v: Any) -> Message:
        return _kind(v)

    def fail(self, path: str, what: Message) -> ScenarioError:
        return FIELD.error(ScenarioError, name=self.name, path=path, what=what)

    def obj(self, v: Any, path: str) -> dict:
        if not isinstance(v, dict):
            raise self.fail(path, MUST_BE_OBJECT(kind=_kind(v)))
        return v

    def number(self, v: Any, path: str) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise self.fail(path, MUST_BE_FINITE(value=_show(v)))
        return float(v)

    def whole(self, v: Any, path: str, low: int, high: int) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
            raise self.fail(path, MUST_BE_WHOLE(low=low, high=f"{high:,}", value=_show(v)))
        return v

    def text(self, v: Any, path: str, optional: bool = False, limit: int = 1000) -> str | None:
        if v is None and optional:
            return None
        if not isinstance(v, str) or len(v) > limit:
            raise self.fail(path, MUST_BE_TEXT(limit=limit, value=_show(v)))
        return v

    def flag(self, v: Any, path: str) -> bool:
        if not isinstance(v, bool):
            raise self.fail(path, MUST_BE_FLAG(value=_show(v)))
        return v

    def point(self, v: Any, path: str) -> tuple[float, float]:
        if not isinstance(v, list) or len(v) != 2:
            raise self.fail(path, MUST_BE_PAIR(value=_show(v)))
        return self.number(v[0], f"{path}[0]"), self.number(v[1], f"{path}[1]")

    def scenario(self, doc: Any) -> Scenario:
        doc = self.obj(doc, "(top level)")
        if doc.get("format") != FORMAT:
            raise NOT_SCENARIO.error(ScenarioError, name=self.name, value=_show(doc.get("format")))
        version = doc.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise self.fail("version", MUST_BE_VERSION(value=_show(version)))
        if version > VERSION:
            raise NEWER.error(ScenarioError, name=self.name, version=version, supported=VERSION)
        known = {"format", "version", "surface", "lesson", "start", "steps", "current_step", "optimizers",
                 "training", "data_dir", "landscape"}
        unknown = sorted(set(doc) - known)
        if unknown:
            raise self.fail(unknown[0], UNKNOWN_FIELD(valid=", ".join(sorted(known))))
        name, formula, domain, parsed = self.surface(self.obj(doc.get("surface", {"name": "bowl"}), "surface"))

        lesson = self.text(doc.get("lesson"), "lesson", optional=True, limit=64)
        if lesson is not None:
            from optilab import lessons

            try:
                lessons.get(lesson)
            except OptilabError as exc:
                raise self.fail("lesson", exc.message) from None
        start = None if doc.get("start") is None else self.point(doc["start"], "start")
        steps = self.whole(doc.get("steps", 30), "steps", 1, MAX_STEPS)
        current = self.whole(doc.get("current_step", 0), "current_step", 0, steps)

        opts_raw = doc.get("optimizers", [])
        if not isinstance(opts_raw, list) or len(opts_raw) > MAX_OPTIMIZERS:
            raise self.fail("optimizers", TOO_MANY_OPTIMIZERS(max=MAX_OPTIMIZERS, kind=_kind(opts_raw)))
        runs = tuple(self.run(o, f"optimizers[{i}]") for i, o in enumerate(opts_raw))

        training = RunConfig()
        if doc.get("training") is not None:
            t = self.obj(doc["training"], "training")
            try:
                training = RunConfig.from_dict(t)
            except (ValueError, TypeError) as exc:
                raise self.fail("training", messages.of(exc)) from None
        data_dir = self.text(doc.get("data_dir"), "data_dir", optional=True, limit=4096)
        landscape, caption, step = None, None, None
        if doc.get("landscape") is not None:
            landscape, caption, step = self.landscape(self.obj(doc["landscape"], "landscape"))
        return Scenario(surface=name, formula=formula, domain=domain, lesson=lesson, start=start, steps=steps,
                        current_step=current, optimizers=runs, training=training, data_dir=data_dir,
                        parsed=parsed, landscape=landscape, landscape_caption=caption, landscape_step=step)

    def numbers(self, v: Any, path: str, low: int, high: int, null: bool = False) -> np.ndarray:
        """A list of ``low``…``high`` finite numbers (``null``: null reads as nan)."""
        if not isinstance(v, list) or not low <= len(v) <= high:
            raise self.fail(path, LANDSCAPE_NUMBERS(count=f"{low}" + ("" if low == high else f" to {high:,}"),
                                                    value=_show(v)))
        return np.array([math.nan if x is None and null else self.number(x, f"{path}[{i}]")
                         for i, x in enumerate(v)], dtype=float)

    def fields(self, d: dict, path: str, needed: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        for key in sorted(set(d) - set(needed) - set(optional)):
            raise self.fail(f"{path}.{key}", UNKNOWN_FIELD(valid=", ".join(needed + optional)))
        for key in (k for k in needed if k not in d):   # the fields needed, and no others than optional
            raise self.fail(f"{path}.{key}", LANDSCAPE_MISSING(needed=", ".join(needed)))

    def surface(self, surf: dict) -> tuple[str | None, str | None, tuple | None, surfaces.Surface | None]:
        """(name, formula, domain, the formula's parsed surface) of the ``surface`` field."""
        extra = sorted(set(surf) - {"name", "formula", "domain"})
        if extra:
            raise self.fail(f"surface.{extra[0]}", UNKNOWN_SURFACE_FIELD())
        if ("name" in surf) == ("formula" in surf):
            raise self.fail("surface", NAME_OR_FORMULA())
        if "name" in surf:
            name = self.text(surf["name"], "surface.name", limit=64)
            if name not in surfaces.names():
                raise self.fail("surface.name",
                                UNKNOWN_SURFACE(surface=repr(name), choices=", ".join(surfaces.names())))
            return name, None, None, None
        formula = self.text(surf["formula"], "surface.formula")
        domain = None
        if "domain" in surf:
            d = surf["domain"]
            if not isinstance(d, list) or len(d) != 4:
                raise self.fail("surface.domain", DOMAIN_SHAPE(value=_show(d)))
            domain = tuple(self.number(v, f"surface.domain[{i}]") for i, v in enumerate(d))
            if not (domain[0] < domain[1] and domain[2] < domain[3]):
                raise self.fail("surface.domain", DOMAIN_ORDER())
        try:
            parsed = surfaces.parse(formula, **({"domain": domain} if domain else {}))
        except surfaces.FormulaError as exc:
            raise self.fail("surface.formula", messages.of(exc)) from None
        except ValueError as exc:
            raise self.fail("surface", messages.of(exc)) from None
        return None, formula, domain, parsed

    def run(self, o: Any, path: str) -> Run:
        """One entry of ``optimizers``: JSON types here, the bounds once, by `Run` itself."""
        o = self.obj(o, path)
        extra = sorted(set(o) - {"name", "hparams", "enabled", "label"})
        if extra:
            raise self.fail(f"{path}.{extra[0]}", UNKNOWN_FIELD(valid="enabled, hparams, label, name"))
        oname = self.text(o.get("name"), f"{path}.name", limit=32)
        try:
            cls = optim.get_class(oname)
        except ValueError as exc:
            raise self.fail(f"{path}.name", messages.of(exc)) from None
        hp = self.obj(o.get("hparams", {}), f"{path}.hparams")
        for key, value in hp.items():
            if key not in cls.defaults:
                raise self.fail(f"{path}.hparams.{key}",
                                NO_SUCH_SETTING(optimizer=cls.name, valid=", ".join(cls.defaults)))
            if isinstance(cls.defaults[key], bool):
                self.flag(value, f"{path}.hparams.{key}")
            else:
                self.number(value, f"{path}.hparams.{key}")
        enabled = self.flag(o.get("enabled", True), f"{path}.enabled")
        label = self.text(o.get("label"), f"{path}.label", optional=True, limit=80)
        try:
            return Run(cls.name, hp, label, enabled=enabled)
        except OptilabError as exc:   # a bound: the setting it names, said without the optimizer's name
            key = exc.params.get("name")
            what = exc.message
            if key in hp and {"allowed", "value"} <= set(exc.params):
                what = rules.OUT_OF_RANGE_BARE(name=key, allowed=exc.params["allowed"], value=exc.params["value"])
            raise self.fail(f"{path}.hparams.{key}" if key in hp else path, what) from None
        except ValueError as exc:   # an optimizer whose checks still speak text
            text = str(exc)
            key = next((k for k in hp if text.startswith(f"{cls.name}: {k} ")), None)
            raise self.fail(f"{path}.hparams.{key}" if key else path,
                            messages.of(ValueError(text.split(": ", 1)[-1] if key else text))) from None


def _kind(v: Any) -> Message:
    spec = KINDS.get(type(v))
    return spec() if spec is not None else KIND_NUMBER() if isinstance(v, (int, float)) else \
        messages.TEXT(text=type(v).__name__)


def _show(v: Any) -> str | Message:
    if not isinstance(v, (str, int, float, bool, type(None))):
        return _kind(v)
    text = json.dumps(v, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"
