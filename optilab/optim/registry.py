"""The optimizers by name: every `Optimizer` subclass with a ``name`` registers itself.

`Optimizer.__init_subclass__` calls `register`, so a new module in this
package (``optim/lion.py`` defining ``class Lion(Optimizer)``) is listed by
`names` as soon as the package imports it (``optilab.optim`` imports every
module of the package).  The class attribute ``order`` places it in the
teaching order (SGD 10 … AdamW 70; a new one 1000, after them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optilab import messages

if TYPE_CHECKING:
    from optilab.optim.base import Optimizer

__all__ = ["UNKNOWN_OPTIMIZER", "get_class", "names", "register"]

UNKNOWN_OPTIMIZER = messages.declare("optim.unknown", "unknown optimizer {name}; choose one of: {choices}")

_REGISTRY: dict[str, type[Optimizer]] = {}


def register(cls: type[Optimizer]) -> None:
    """List ``cls`` under ``cls.name``; TypeError if another class already took the name."""
    old = _REGISTRY.get(cls.name)
    if old is not None and (old.__module__, old.__qualname__) != (cls.__module__, cls.__qualname__):
        raise TypeError(f"optimizer name {cls.name!r} of {cls.__qualname__} is taken by {old.__qualname__}")
    _REGISTRY[cls.name] = cls


def unregister(name: str) -> None:
    """Forget the optimizer ``name`` (for tests that register a temporary one)."""
    _REGISTRY.pop(name, None)


def names(network: bool = False) -> list[str]:
    """The optimizer names, in teaching order (``order``, then the order they registered);
    ``network``: only those that step from the gradient alone (``needs == ""``), the ones
    that can train a network (Newton and L-BFGS need the 2-D surface itself)."""
    index = {name: i for i, name in enumerate(_REGISTRY)}
    chosen = [name for name in _REGISTRY if not (network and _REGISTRY[name].needs)]
    return sorted(chosen, key=lambda name: (_REGISTRY[name].order, index[name]))


def get_class(name: str) -> type[Optimizer]:
    """The optimizer class for ``name`` (any case); `UNKNOWN_OPTIMIZER` lists the choices."""
    cls = _REGISTRY.get(str(name).strip().lower())
    if cls is None:
        raise UNKNOWN_OPTIMIZER.error(name=repr(name), choices=", ".join(names()))
    return cls
