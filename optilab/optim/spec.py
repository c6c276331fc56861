"""The command-line form of an optimizer: ``"NAME[:key=value,...]"`` (``optilab run --optimizer``).

Each value is read and checked by its hyperparameter's `Setting`
(`optilab.optim.hparams`): numbers, or true/false for ``bias_correction``.
"""

from __future__ import annotations

from typing import Any

from optilab import messages
from optilab.optim.registry import get_class

__all__ = ["BAD_ITEM", "parse_spec"]

BAD_ITEM = messages.declare("optim.bad_spec_item", "bad setting {item} in {spec}; write key=value, e.g. {example}")


def parse_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """Parse ``"NAME[:key=value,...]"`` into ``(name, hparams)``, every value checked once.

    Raises an `OptilabError` (a ValueError) with a one-line reason: unknown
    optimizer or hyperparameter, a malformed item, a value out of its range.
    """
    name, _, rest = str(spec).partition(":")
    cls = get_class(name)
    hparams: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key or not value:
            raise BAD_ITEM.error(item=repr(item), spec=repr(spec), example=f"{cls.name}:lr=0.1")
        hparams[key] = cls.check(key, value)
    return cls.name, hparams
