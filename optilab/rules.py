"""Rules for settings, declared once: what a value may be, how it reads, what it is called.

A `Setting` (a hyperparameter, a training option) names its `Number`, `Flag`
or `Choice` rule, its symbol and English label and description, and the range
a slider offers.  The UI builds its fields from settings, the CLI and the
scenario loader parse text with them, and the core checks values with them:
the bound is written in one place, its message in one place
(`OUT_OF_RANGE`, with `describe()` saying what is allowed).

    >>> LR = Setting("lr", Number(0, 1e6, low_open=True), symbol="η", label="learning rate")
    >>> LR.check(0.1, owner="sgd")
    0.1
    >>> LR.check(-1, owner="sgd")        # OptilabError: "sgd: lr must be a number > 0 and ≤ 1e6, got -1"
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from optilab import messages
from optilab.messages import Message

__all__ = ["OUT_OF_RANGE", "Choice", "Flag", "Number", "Rule", "Setting", "fmt"]

OUT_OF_RANGE = messages.declare("rules.out_of_range", "{owner}: {name} must be {allowed}, got {value}")
OUT_OF_RANGE_BARE = messages.declare("rules.out_of_range_bare", "{name} must be {allowed}, got {value}")
_NUMBER_IN = messages.declare("rules.number_in", "a number in {interval}")
# One code per pair of signs, so a translation words each naturally ("0보다 크고 1e6 이하인 수").
_NUMBER_ABOVE_AT_MOST = messages.declare("rules.number_above_at_most", "a number > {low} and ≤ {high}")
_NUMBER_ABOVE_BELOW = messages.declare("rules.number_above_below", "a number > {low} and < {high}")
_NUMBER_AT_LEAST = messages.declare("rules.number_at_least", "a number ≥ {low}")
_NUMBER_ABOVE = messages.declare("rules.number_above", "a number > {low}")
_NUMBER_AT_MOST = messages.declare("rules.number_at_most", "a number ≤ {high}")
_NUMBER_BELOW = messages.declare("rules.number_below", "a number < {high}")
_NUMBER_ANY = messages.declare("rules.number_any", "a finite number")
_INTEGER_IN = messages.declare("rules.integer_in", "a whole number in {interval}")
_INTEGER_AT_LEAST = messages.declare("rules.integer_at_least", "a whole number ≥ {low}")
_INTEGER_ANY = messages.declare("rules.integer_any", "a whole number")
_FLAG = messages.declare("rules.flag", "true or false")
_CHOICE = messages.declare("rules.choice", "one of: {choices}")

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def fmt(value: float) -> str:
    """A bound or value as people write it: 0.5, 100, 1e-4, 1e6 (not 1e+06)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (math.isfinite(value) and value == int(value) and abs(value) < 1e5):
        return str(int(value))
    text = f"{value:g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}e{int(exp)}"
    return text


@dataclass(frozen=True)
class Number:
    """A finite number between optional bounds; ``*_open`` excludes the bound itself."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def allows(self, value: float) -> bool:
        if not isinstance(value, int) and not math.isfinite(value):   # an int is exact and finite
            return False
        if self.integer and value != int(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (self.high is not None and (value > self.high or (self.high_open and value == self.high)))

    def describe(self) -> Message:
        """What is allowed, as a message ("a number in [0, 1)", "a number > 0 and ≤ 1e6")."""
        lo, hi = self.low, self.high
        if self.integer:
            if lo is not None and hi is not None:
                return _INTEGER_IN(interval=self._interval())
            if lo is not None:
                return _INTEGER_AT_LEAST(low=fmt(lo + (1 if self.low_open else 0)))
            return _INTEGER_ANY()
        if lo is not None and hi is not None:
            if self.low_open:
                return (_NUMBER_ABOVE_BELOW if self.high_open else _NUMBER_ABOVE_AT_MOST)(low=fmt(lo), high=fmt(hi))
            return _NUMBER_IN(interval=self._interval())
        if lo is not None:
            return (_NUMBER_ABOVE if self.low_open else _NUMBER_AT_LEAST)(low=fmt(lo))
        if hi is not None:
            return (_NUMBER_BELOW if self.high_open else _NUMBER_AT_MOST)(high=fmt(hi))
        return _NUMBER_ANY()

    def _interval(self) -> str:
        assert self.low is not None and self.high is not None
        return ("(" if self.low_open else "[") + f"{fmt(self.low)}, {fmt(self.high)}" + (")" if self.high_open else "]")

    def convert(self, value: Any) -> float | int | None:
        """``value`` as a number this rule allows, else None (bools are not numbers)."""
        if isinstance(value, bool) or value is None:
            return None
        if self.integer:  # exact: a seed of 2**63 − 1 must not round through a float
            whole = _exact_int(value)
            if whole is not None:
                return whole if self.allows(whole) else None
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError, OverflowError):
            return None
        if not self.allows(number):
            return None
        return int(number) if self.integer else number


def _exact_int(value: Any) -> int | None:
    """``value`` as an exact int when it is one (an int, a numpy integer, or whole-number text)."""
    if isinstance(value, int):
        return value
    if type(value).__name__.startswith(("int", "uint")) and hasattr(value, "item"):  # numpy integers
        return int(value.item())
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit() and text.isascii():
            return int(text)
    return None


@dataclass(frozen=True)
class Flag:
    """True or false; text reads true/false, yes/no, on/off, 1/0."""

    def describe(self) -> Message:
        return _FLAG()

    def convert(self, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        if type(value).__name__ == "bool_":  # numpy.bool_, without importing numpy here
            return bool(value)
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
        return None


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of names (compared case-insensitively, stored as declared)."""

    choices: tuple[str, ...]

    def describe(self) -> Message:
        return _CHOICE(choices=", ".join(self.choices))

    def convert(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        lowered = value.strip().lower()
        return next((c for c in self.choices if c.lower() == lowered), None)


Rule = Number | Flag | Choice


@dataclass(frozen=True)
class Setting:
    """One setting, declared once.

    Attributes:
        key: the name in code, scenarios and on the command line (``lr``).
        rule: what a value may be.
        symbol: the book's symbol (``η``), or "".
        label: short English label for fields and legends ("learning rate").
        description: one English sentence for tooltips and ``--help``.
        slider: ``(low, high, log)`` a slider offers (inside ``rule``), or None.
    """

    key: str
    rule: Rule
    symbol: str = ""
    label: str = ""
    description: str = ""
    slider: tuple[float, float, bool] | None = field(default=None, compare=False)

    def check(self, value: Any, owner: str | None = None) -> Any:
        """``value`` converted and checked; OptilabError (`OUT_OF_RANGE`) otherwise.

        ``owner`` prefixes the message ("adam: lr must be …").  Text is read as
        the command line and scenario files write it.
        """
        converted = self.rule.convert(value)
        if converted is None:
            shown = value if isinstance(value, str) else repr(value)
            if owner:
                raise OUT_OF_RANGE.error(owner=owner, name=self.key, allowed=self.rule.describe(), value=shown)
            raise OUT_OF_RANGE_BARE.error(name=self.key, allowed=self.rule.describe(), value=shown)
        return converted

    def describe(self) -> Message:
        """What is allowed (a message)."""
        return self.rule.describe()
