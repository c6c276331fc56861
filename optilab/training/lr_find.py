"""The learning-rate range test (Smith 2015, "Cyclical Learning Rates for Training Neural Networks",
§3.3; fast.ai's ``lr_find``): docs/experiments.md#lr-find.

η grows exponentially over a stream of minibatches drawn as the `Trainer` draws them,

    η_i = η_start · (η_end / η_start)^(i / (N − 1)),   i = 0 … N − 1        (`schedule`)

one optimizer step at each; the loss is recorded raw and smoothed by fast.ai's bias-corrected
exponential moving average (`smooth`).  The test stops early once the smoothed loss exceeds
``stop_factor`` × its best so far, or a loss is not finite (`should_stop`).  Afterwards the
network's weights, batch-norm statistics, the optimizer's state and the minibatch and dropout
random streams are put back as they were (`Restore`): a training after the test gives exactly
the losses it would have given without it.

Two suggestions (`suggest`): the η of the steepest descent of the smoothed loss, and the η of its
minimum ÷ 10.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from optilab import messages
from optilab.messages import Message, OptilabError
from optilab.optim.hparams import MAX_LR
from optilab.rules import Number, Setting
from optilab.training.config import RunConfig
from optilab.training.trainer import Trainer

__all__ = ["END_LR", "SETTINGS", "SKIP_START", "START_LR", "STEPS", "Cancelled", "LRFindResult", "Restore",
           "Suggestion", "check_range", "lr_find", "range_test", "schedule", "should_stop", "smooth", "suggest"]

START_LR = Setting("start_lr", Number(0, MAX_LR, low_open=True), symbol="η₀", label="start η",
                   description="the learning rate of the range test's first step")
END_LR = Setting("end_lr", Number(0, MAX_LR, low_open=True), symbol="η₁", label="end η",
                 description="the learning rate of the range test's last step")
STEPS = Setting("steps", Number(10, 10_000, integer=True), symbol="N", label="range-test steps",
                description="minibatches of the range test (η grows exponentially over them)")
#: The range test's bounds, declared once (the CLI and the dialog read them).
SETTINGS = {s.key: s for s in (START_LR, END_LR, STEPS)}
#: Default range and length (as fast.ai's ``lr_find``: 1e-7 to 10 over 100 minibatches).
DEFAULTS = {"start_lr": 1e-7, "end_lr": 10.0, "steps": 100}
#: Points left out at the start when looking for the steepest descent (the EMA is still warming up).
SKIP_START = 5
#: Smoothing factor β of the loss average (fast.ai's 0.98).
BETA = 0.98

ORDER = messages.declare(
    "training.lr_find.order",
    "the start η ({start}) must be smaller than the end η ({end}); swap them or widen the range")
CANCELLED = messages.declare("training.lr_find.cancelled", "the learning-rate range test was cancelled")
STOP_FACTOR = messages.declare(
    "training.lr_find.stop_factor", "the stop factor must be a number > 1, got {value}")
STOPPED_ABOVE = messages.declare(
    "training.lr_find.stopped_above",
    "stopped at η = {lr}: the smoothed loss {loss} exceeded {factor} × its best ({best})")
STOPPED_NOT_FINITE = messages.declare(
    "training.lr_find.stopped_not_finite", "stopped at η = {lr}: the loss became NaN or infinite")
WHY_STEEPEST = messages.declare("training.lr_find.why_steepest", "steepest descent of the smoothed loss")
WHY_MIN = messages.declare("training.lr_find.why_min_over_10", "minimum of the smoothed loss ÷ 10")
SUGGESTED = messages.declare("training.lr_find.suggested", "suggested η = {lr} ({why})")
TOO_SHORT = messages.declare(
    "training.lr_find.too_short",
    "the test stopped after {steps} steps, too few to suggest an η; start from a smaller η")


class Cancelled(OptilabError):
    """Raised inside `lr_find` when its ``cancel()`` callback said yes."""


@dataclass(frozen=True)
class Suggestion:
    """A suggested η and the one-line reason (``why``, a `Message`)."""

    key: str        # "steepest" or "min_over_10"
    lr: float
    index: int      # the point of the curve it comes from
    why: Message

    def line(self) -> Message:
        """"suggested η = 0.0021 (steepest descent of the smoothed loss)"."""
        return SUGGESTED(lr=f"{self.lr:.2g}", why=self.why)


@dataclass(frozen=True, eq=False)
class LRFindResult:
    """The range test: η, raw and smoothed loss per step run, the suggestions, and how it ended."""

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    planned: int
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    stop_reason: Message | None = None   # None: ran all planned steps

    @property
    def steps(self) -> int:
        return len(self.lrs)

    @property
    def stopped_early(self) -> bool:
        return self.stop_reason is not None


def check_range(start_lr: Any, end_lr: Any, steps: Any) -> tuple[float, float, int]:
    """The range read by its declared settings, start < end; OptilabError (one line) otherwise."""
    start, end, n = START_LR.check(start_lr), END_LR.check(end_lr), STEPS.check(steps)
    if not start < end:
        raise ORDER.error(start=f"{start:g}", end=f"{end:g}")
    return start, end, n


def schedule(start_lr: float, end_lr: float, steps: int) -> np.ndarray:
    """η_i = η_start · (η_end/η_start)^(i/(N−1)), i = 0 … N−1 (Smith 2015 §3.3, exponential)."""
    i = np.arange(steps, dtype=np.float64)
    return start_lr * (end_lr / start_lr) ** (i / (steps - 1))


def smooth(losses: np.ndarray, beta: float = BETA) -> np.ndarray:
    """fast.ai's smoothed loss: avg_i = β·avg_{i−1} + (1−β)·loss_i (avg_{−1} = 0), then the bias
    correction avg_i / (1 − β^(i+1))."""
    out = np.empty(len(losses))
    avg = 0.0
    for i, loss in enumerate(losses):
        avg = beta * avg + (1 - beta) * float(loss)
        out[i] = avg / (1 - beta ** (i + 1))
    return out


def should_stop(smoothed: float, best: float, stop_factor: float) -> bool:
    """Stop when the smoothed loss is not finite or exceeds ``stop_factor`` × its best so far."""
    return not math.isfinite(smoothed) or smoothed > stop_factor * best


def suggest(lrs: np.ndarray, smoothed: np.ndarray) -> dict[str, Suggestion]:
    """The two suggestions on a smoothed curve (empty when it has fewer than `SKIP_START` + 3 points).

    "steepest": the η where d(smoothed)/d(log η) (`np.gradient` over log η) is most negative,
    among the points from `SKIP_START` up to the smoothed minimum — the first points are left out
    (the average is still warming up, as fast.ai's ``skip_start``) and so is everything after the
    minimum (where the loss climbs, as fast.ai's ``valley`` rule).  "min_over_10": the η of the
    smoothed minimum ÷ 10.
    """
    lrs, smoothed = np.asarray(lrs, float), np.asarray(smoothed, float)
    if len(lrs) < SKIP_START + 3:
        return {}
    low = int(np.argmin(smoothed))
    slope = np.gradient(smoothed, np.log(lrs))
    first = SKIP_START if low - SKIP_START >= 2 else 0
    steep = first + int(np.argmin(slope[first:max(low, first + 1) + 1]))
    return {"steepest": Suggestion("steepest", float(lrs[steep]), steep, WHY_STEEPEST()),
            "min_over_10": Suggestion("min_over_10", float(lrs[low]) / 10, low, WHY_MIN())}


class Restore:
    """What the range test changes in a `Trainer`, copied on entry and put back on exit: the
    parameters (in place: the layers hold those arrays), batch-norm running statistics, the
    optimizer's state and hyperparameters, and the minibatch and dropout random streams."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer

    def __enter__(self) -> Restore:
        t = self.trainer
        self.params = {k: v.copy() for k, v in t.net.params.items()}
        self.running = [(bn.running_mean.copy(), bn.running_var.copy()) for bn in t.net.bn_layers]
        self.state = copy.deepcopy(t.optimizer.state)
        self.hparams = dict(t.optimizer.hparams)
        self.rngs = [g.bit_generator.state for g in self._generators()]
        return self

    def _generators(self) -> list[np.random.Generator]:
        t = self.trainer
        return [t._rng, *(d.rng for d in t.net.dropout_layers)]

    def __exit__(self, *exc: object) -> None:
        t = self.trainer
        for key, value in self.params.items():
            np.copyto(t.net.params[key], value)
        for bn, (mean, var) in zip(t.net.bn_layers, self.running, strict=True):
            np.copyto(bn.running_mean, mean)
            np.copyto(bn.running_var, var)
        t.optimizer.state.clear()
        t.optimizer.state.update(self.state)
        t.optimizer.hparams.clear()
        t.optimizer.hparams.update(self.hparams)
        for g, state in zip(self._generators(), self.rngs, strict=True):
            g.bit_generator.state = state


def range_test(trainer: Trainer, lrs: np.ndarray, *, smoothing: float = BETA, stop_factor: float = 4.0,
               progress: Callable[[int, int], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> LRFindResult:
    """Run the range test on ``trainer``'s network and optimizer, one minibatch per η of ``lrs``,
    everything restored afterwards (`Restore`)."""
    if not (isinstance(stop_factor, (int, float)) and math.isfinite(stop_factor) and stop_factor > 1):
        raise STOP_FACTOR.error(value=repr(stop_factor))
    s, bs, n = trainer.split, trainer.config.batch_size, len(lrs)
    losses: list[float] = []
    smoothed: list[float] = []
    avg, best, reason = 0.0, math.inf, None
    with Restore(trainer):
        rng, net, opt = trainer._rng, trainer.net, trainer.optimizer
        for i, lr in enumerate(lrs):
            if cancel is not None and cancel():
                raise CANCELLED.error(Cancelled)
            idx = rng.integers(0, trainer.n_train, bs)   # as `Trainer.step` draws
            with np.errstate(all="ignore"):
                loss, grads = net.loss_and_gradient(s.x_train[idx], s.t_train[idx])
                loss = float(loss)
                if not math.isfinite(loss):
                    reason = STOPPED_NOT_FINITE(lr=f"{lr:.3g}")
                    break
                avg = smoothing * avg + (1 - smoothing) * loss
                value = avg / (1 - smoothing ** (i + 1))
                losses.append(loss)
                smoothed.append(value)
                if should_stop(value, best, stop_factor):
                    reason = STOPPED_ABOVE(lr=f"{lr:.3g}", loss=f"{value:.4g}", factor=f"{stop_factor:g}",
                                           best=f"{best:.4g}")
                    break
                best = min(best, value)
                opt.lr = float(lr)
                opt.step(net.params, grads)
            if progress is not None:
                progress(i + 1, n)
    done = len(losses)
    lr_arr = np.asarray(lrs[:done], dtype=np.float64)
    sm = np.asarray(smoothed)
    return LRFindResult(lr_arr, np.asarray(losses), sm, n, suggest(lr_arr, sm), reason)


def lr_find(config: RunConfig, dataset: Any, start_lr: float, end_lr: float, steps: int, *,
            smoothing: float = BETA, stop_factor: float = 4.0,
            progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None) -> LRFindResult:
    """The range test of ``config``'s network and optimizer (its η and schedule set aside) on
    ``dataset``: a `Trainer` builds them, `range_test` runs from ``start_lr`` to ``end_lr`` over
    ``steps`` minibatches (each bound checked by its setting, `check_range`)."""
    start, end, n = check_range(start_lr, end_lr, steps)
    trainer = Trainer(config.replace(snapshots=0), dataset)
    return range_test(trainer, schedule(start, end, n), smoothing=smoothing, stop_factor=stop_factor,
                      progress=progress, cancel=cancel)
