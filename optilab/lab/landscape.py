"""`LandscapeSession`: the Qt-free model of the training lab's "Show its loss landscape" job.

A small state machine (the same style as `optilab.lab.training`: plain
Python, changes announced with `psygnal.Signal`s)::

    idle ──start──▶ computing ──(LandscapeDone)──▶ done
                       │ └──────(Failed)─────────▶ failed
                       └────────(cancelled)──────▶ cancelled      (each ──start──▶ computing)

A `LandscapeRequest` says which runs of the last training job (their
indices), sampled how (`LandscapeOptions`), under which title and caption.
Each finished landscape is cached under its request's ``key`` (the runs and
the options), so showing it again is instant (a lesson's maps, once all are
in, share one loss range: `LandscapeSession.share_levels`); a new training job clears the
cache (the session follows the `TrainingSession` it is given).  Events come
from `optilab.landscape.job.LandscapeJob` (directly, or through the app's
Qt worker); commands go to a `LandscapeControl` (the job, or the worker).
`unavailable` is the one rule of when the action is offered, and why not.
The method: Li et al. 2018 (docs/landscape.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from psygnal import Signal

from optilab import messages
from optilab.lab.training import PAUSED, RUNNING, TrainingSession
from optilab.landscape import Landscape, LandscapeOptions, job, lessons
from optilab.landscape.types import CANCELLED
from optilab.messages import Message, OptilabError
from optilab.training.events import Failed, JobDone
from optilab.training.experiments import RunResult

__all__ = ["LandscapeControl", "LandscapeRequest", "LandscapeSession", "unavailable", "usable"]

IDLE, COMPUTING, DONE, CANCELLED_STATE, FAILED = "idle", "computing", "done", "cancelled", "failed"
#: Every state of a landscape session.
STATES = (IDLE, COMPUTING, DONE, CANCELLED_STATE, FAILED)
#: The fewest weight snapshots a run needs for its landscape (a path, and PCA's two directions).
MIN_SNAPSHOTS = 2

ILLEGAL = messages.declare("lab.landscape.illegal", "cannot {action} a loss landscape that is {state}")
TRAINING = messages.declare("lab.landscape.training", "Wait until the training has ended.")
NO_RESULT = messages.declare("lab.landscape.no_result", "Train a run or an experiment first.")
NOT_TRAINED = messages.declare("lab.landscape.not_trained",
                               "This experiment trains no network: its lesson is in its own view.")
NO_SNAPSHOTS = messages.declare(
    "lab.landscape.no_snapshots",
    "{run} kept fewer than 2 weight snapshots: set Weight snapshots to 2 or more and train again.")
ENDED_EARLY = messages.declare(
    "lab.landscape.ended_early",
    "{run} kept only {kept} of the {asked} weight snapshots asked for (the run ended early): train it "
    "longer, or set Weight snapshots higher, and train again.")
BUSY = messages.declare("lab.landscape.busy", "A loss landscape is being computed.")


class LandscapeError(OptilabError):
    """An action the landscape session's state does not allow."""


class LandscapeControl(Protocol):
    """What drives the computation: a `LandscapeJob`, or the app's worker."""

    def cancel(self) -> None: ...


@dataclass(frozen=True)
class LandscapeRequest:
    """One landscape to show: the runs (indices into the training job's results) on one plane,
    sampled with ``options``; ``title`` names it, ``caption`` is a lesson's (None otherwise)."""

    runs: tuple[int, ...]
    options: LandscapeOptions
    title: str = ""
    caption: str | None = None

    @property
    def key(self) -> tuple[tuple[int, ...], LandscapeOptions]:
        """What the cache is keyed by: the same runs sampled the same way give the same landscape."""
        return self.runs, self.options


def usable(result: RunResult) -> bool:
    """True when ``result`` kept at least `MIN_SNAPSHOTS` weight snapshots."""
    snaps = getattr(result, "snapshots", None)
    return snaps is not None and len(snaps.iterations) >= MIN_SNAPSHOTS


def unavailable(training: TrainingSession, *, computing: bool = False, trains: bool = True) -> Message | None:
    """Why the landscape of ``training``'s last job cannot be shown now (None: it can).

    Not while training or computing, not before any result, not for an
    experiment that trains no network (``trains`` False), not for runs
    without snapshots (a stopped run with at least 2 is fine).
    """
    if computing:
        return BUSY()
    if training.state in (RUNNING, PAUSED):
        return TRAINING()
    if not trains:
        return NOT_TRAINED()
    if not training.results:
        return NO_RESULT()
    for result in training.results:
        if not usable(result):
            return _too_few(result)
    return None


def _too_few(result: RunResult) -> Message:
    """Why ``result``'s snapshots are too few: too few asked for, or the run ended before it kept them."""
    asked = result.config.snapshots
    if asked < MIN_SNAPSHOTS:
        return NO_SNAPSHOTS(run=result.config.label)
    snaps = getattr(result, "snapshots", None)
    return ENDED_EARLY(run=result.config.label, kept=0 if snaps is None else len(snaps.iterations), asked=asked)


class LandscapeSession:
    """The landscape job of one training lab (see the module docstring).

    Signals: ``state_changed(new, old)``, ``progressed(done, total)``,
    ``done(Landscape, LandscapeRequest)`` (also for a cache hit), ``failed(Message)``,
    ``cleared()`` (the cache was emptied: what it offered is gone).
    """

    state_changed = Signal(str, str)
    cleared = Signal()
    progressed = Signal(int, int)
    done = Signal(object, object)
    failed = Signal(object)

    def __init__(self, training: TrainingSession | None = None) -> None:
        self.state = IDLE
        self.request: LandscapeRequest | None = None
        self.control: LandscapeControl | None = None
        self.landscape: Landscape | None = None
        self.failure: Message | None = None
        self.points = (0, 0)                     # grid points done, total
        self.cancel_requested = False
        self.cache: dict[Any, Landscape] = {}
        self.training = training
        if training is not None:
            training.state_changed.connect(self._training_changed)

    def _training_changed(self, new: str, old: str) -> None:
        if new == RUNNING and old != PAUSED:     # a new training job: its runs are new
            self.clear()

    # -- state -------------------------------------------------------------------
    @property
    def is_computing(self) -> bool:
        return self.state == COMPUTING

    def _become(self, state: str) -> None:
        old, self.state = self.state, state
        if old != state:
            self.state_changed.emit(state, old)

    def _check(self, action: str, *allowed: str) -> None:
        if self.state not in allowed:
            raise ILLEGAL.error(LandscapeError, action=action, state=self.state)

    def cached(self, request: LandscapeRequest) -> Landscape | None:
        """The landscape already computed for ``request`` (None if none)."""
        return self.cache.get(request.key)

    def share_levels(self, requests: Sequence[LandscapeRequest]) -> bool:
        """Give the cached landscapes of ``requests`` (one lesson's maps) one loss range,
        `optilab.landscape.lessons.share_levels`, so equal colours mean equal losses on each map.
        False (nothing changed) until every one of them is cached."""
        shown = [self.cached(r) for r in requests]
        if not shown or any(ls is None for ls in shown):
            return False
        for request, landscape in zip(requests, lessons.share_levels([ls for ls in shown if ls is not None]),
                                      strict=True):
            self.cache[request.key] = landscape
        return True

    def clear(self) -> None:
        """Forget the cached landscapes (a new training job); a computation under way goes on."""
        self.cache.clear()
        if not self.is_computing:
            self.landscape, self.request = None, None
        self.cleared.emit()

    # -- actions -----------------------------------------------------------------
    def show(self, request: LandscapeRequest) -> bool:
        """Announce the cached landscape of ``request`` (``done``); False when it is not cached."""
        landscape = self.cached(request)
        if landscape is None:
            return False
        self._check("show", IDLE, DONE, CANCELLED_STATE, FAILED)
        self.request, self.landscape, self.failure = request, landscape, None
        self._become(DONE)
        self.done.emit(landscape, request)
        return True

    def start(self, request: LandscapeRequest, control: LandscapeControl | None = None) -> None:
        """Start computing ``request``, driven by ``control``."""
        self._check("start", IDLE, DONE, CANCELLED_STATE, FAILED)
        self.request, self.control = request, control
        self.landscape, self.failure, self.points = None, None, (0, 0)
        self.cancel_requested = False
        self._become(COMPUTING)

    def attach(self, control: LandscapeControl) -> None:
        self.control = control

    def cancel(self) -> None:
        """Ask the computation to stop; it ends ``cancelled`` when its end arrives (also when the
        child had to be killed for it: that death is no failure)."""
        if self.is_computing:
            self.cancel_requested = True
            if self.control is not None:
                self.control.cancel()

    # -- events ------------------------------------------------------------------
    def progress(self, done: int, total: int) -> None:
        self.points = (int(done), int(total))
        self.progressed.emit(int(done), int(total))

    def finish(self, landscape: Landscape) -> None:
        """The landscape arrived: cache it under the request and announce it."""
        self.landscape = landscape
        if self.request is not None:
            self.cache[self.request.key] = landscape

    def fail(self, message: Message) -> None:
        """The computation failed with ``message`` (after a cancel, or with the cancel message: no failure)."""
        if message.code != CANCELLED.code and not self.cancel_requested:
            self.failure = message

    def end(self) -> None:
        """The job is over (its `JobDone`): done, failed or cancelled."""
        if not self.is_computing:
            return
        self.control = None
        if self.landscape is not None and self.failure is None:
            self._become(DONE)
            self.done.emit(self.landscape, self.request)
        elif self.failure is not None:
            self._become(FAILED)
            self.failed.emit(self.failure)
        else:
            self._become(CANCELLED_STATE)

    def receive(self, event: Any) -> None:
        """Take in one event of a `LandscapeJob`, in the order it sent them."""
        if isinstance(event, job.LandscapeProgress):
            self.progress(event.done, event.total)
        elif isinstance(event, job.LandscapeDone):
            self.finish(event.landscape)
        elif isinstance(event, Failed):
            self.fail(event.message)
        elif isinstance(event, JobDone):
            self.end()

