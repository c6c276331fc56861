"""Optimizers (docs/equations.md#optimizers) and learning-rate schedules (docs/equations.md#schedules).

    >>> from optilab import optim
    >>> opt = optim.create("adam", lr=0.1)
    >>> opt.step(params, grads)          # dicts of numpy arrays, updated in place

`names()` lists the optimizers; `parse_spec("momentum:lr=0.1,momentum=0.8")`
turns the command-line form into ``(name, hparams)``; `HPARAMS` declares every
hyperparameter once (bound, symbol, label, slider range) and
``get_class(name).settings()`` lists an optimizer's own.

Adding an optimizer
-------------------
1. Write one module in this package, e.g. ``optilab/optim/lion.py``, with one
   class ``Lion(Optimizer)``: ``name = "lion"``, ``title``, ``defaults`` (its
   hyperparameters and their default values), ``state_names``, ``equation``,
   ``order`` (its place in the teaching order: SGD is 10, AdamW 70).
2. Put the equation in the class docstring and write ``_update(x, g, st, tmp, hp)``,
   updating ``x`` in place, one commented line per equation.
3. Write ``update_lines(cls, n: StepNumbers)``: the same equations with step
   n.k's numbers (``num``, ``vec``); without it the panel shows ``equation``.
4. A hyperparameter not in `HPARAMS`: declare its `Setting` in ``own_settings``.
5. Test it in ``tests/optim/test_lion.py`` against a hand derivation, and add
   its equation to docs/equations.md#optimizers.
Nothing else changes: naming the class registers it, and this package imports
every module in it, so the CLI, scenarios and both labs list it.

A method that reads the loss itself — Newton (the Hessian) and L-BFGS (f and
∇f at its line search's trial points) — subclasses `ObjectiveOptimizer` and
sets ``needs``; the trajectory engine binds it to the surface's `Objective`,
and ``names(network=True)`` (the training lab's list) leaves it out.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from optilab.optim.adaptive import AdaGrad, Adam, AdamW, RMSprop
from optilab.optim.base import MAX_LR, NO_HPARAM, Optimizer
from optilab.optim.hparams import HPARAMS, Hyperparameter, field_label, symbol
from optilab.optim.lbfgs import LBFGS
from optilab.optim.newton import Newton
from optilab.optim.objective import NEEDS_OBJECTIVE, Objective, ObjectiveOptimizer, check_network
from optilab.optim.registry import UNKNOWN_OPTIMIZER, get_class, names
from optilab.optim.schedules import (
    Constant,
    Cosine,
    ExponentialDecay,
    InverseTime,
    ReduceOnPlateau,
    Schedule,
    StepDecay,
    Warmup,
    create_schedule,
    schedule_class,
    schedule_defaults,
    schedule_names,
    schedule_settings,
)
from optilab.optim.sgd import SGD, Momentum, Nesterov
from optilab.optim.spec import BAD_ITEM, parse_spec
from optilab.optim.step_numbers import StepNumbers

__all__ = [
    "BAD_ITEM",
    "HPARAMS",
    "LBFGS",
    "MAX_LR",
    "NEEDS_OBJECTIVE",
    "NO_HPARAM",
    "SGD",
    "UNKNOWN_OPTIMIZER",
    "AdaGrad",
    "Adam",
    "AdamW",
    "Constant",
    "Cosine",
    "ExponentialDecay",
    "Hyperparameter",
    "InverseTime",
    "Momentum",
    "Nesterov",
    "Newton",
    "Objective",
    "ObjectiveOptimizer",
    "Optimizer",
    "RMSprop",
    "ReduceOnPlateau",
    "Schedule",
    "StepDecay",
    "StepNumbers",
    "Warmup",
    "check_network",
    "create",
    "create_schedule",
    "field_label",
    "get_class",
    "names",
    "parse_spec",
    "schedule_class",
    "schedule_defaults",
    "schedule_names",
    "schedule_settings",
    "symbol",
]


def discover() -> None:
    """Import every module of this package, so each optimizer class in it registers itself."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


discover()


def create(name: str, **hparams: Any) -> Optimizer:
    """Make the optimizer ``name`` with its defaults overridden by ``hparams`` (each checked by its Setting)."""
    return get_class(name)(**hparams)
