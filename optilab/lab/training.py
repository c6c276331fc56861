"""`TrainingSession`: the Qt-free model of the training lab's job (one press of Start).

A state machine (napari's model style: plain Python, changes announced with
`psygnal.Signal`s, so it runs in a test, a script or the CLI without Qt)::

    idle ──start──▶ running ◀──pause/resume──▶ paused
                       │  (the job's end: JobDone)  │
                       ▼                            ▼
            finished | stopped | diverged | failed ──start──▶ running
                       └────────────reset─────────────▶ idle

An illegal move (pause when not running, start while running, …) raises a
`SessionError` naming the action and the state.  The session receives the
typed events of `optilab.training.events` (from a `JobProcess`, directly
with `poll`, or through the app's Qt worker), keeps what they say — the runs'
`RunInfo`, live `History` per run, `RunResult`s (in run order), the last failure `Message` —
and reports progress, speed and ETA.  Commands go to a `Control` (a
`JobProcess`, or the app's worker).
"""

from __future__ import annotations

import bisect
import math
import time
from collections import deque
from collections.abc import Sequence
from typing import Any, Protocol

from psygnal import Signal

from optilab import messages
from optilab.messages import Message, OptilabError
from optilab.training.claims import ClaimReport, check
from optilab.training.config import RunConfig
from optilab.training.events import Evaluated, Event, Failed, JobDone, RunDone, RunInfo, StepBatch
from optilab.training.experiments import PRESETS, RunResult, expected_divergence
from optilab.training.records import History
from optilab.training.regularisers import TABLES, lesson_table
from optilab.training.seeds import SeedGroup, group

__all__ = ["ENDED", "ILLEGAL", "RATE_WINDOW", "STATES", "Control", "SessionError", "TrainingSession"]

IDLE, RUNNING, PAUSED = "idle", "running", "paused"
FINISHED, STOPPED, DIVERGED, FAILED = "finished", "stopped", "diverged", "failed"
#: Every state of a session.
STATES = (IDLE, RUNNING, PAUSED, FINISHED, STOPPED, DIVERGED, FAILED)
#: The states a job ends in.
ENDED = (FINISHED, STOPPED, DIVERGED, FAILED)
#: Seconds of recent progress the it/s figure is measured over.
RATE_WINDOW = 2.0

ILLEGAL = messages.declare("lab.training.illegal", "cannot {action} a training session that is {state}")

#: Which states each action may be taken in.
_ALLOWED = {
    "start": (IDLE, *ENDED),
    "pause": (RUNNING,),
    "resume": (PAUSED,),
    "stop": (RUNNING, PAUSED),
    "end": (RUNNING, PAUSED),
    "reset": ENDED,
}


class SessionError(OptilabError):
    """An action the session's state does not allow."""


class Control(Protocol):
    """What drives the training job: a `JobProcess`, or the app's worker."""

    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def set_lr(self, lr: float) -> None: ...


class TrainingSession:
    """One training job's state and results (see the module docstring).

    Signals: ``state_changed(new, old)``, ``run_started(RunInfo)``,
    ``steps(StepBatch)``, ``evaluated(Evaluated)``, ``run_done(RunDone)``,
    ``failed(Message)``, ``ended(state)`` (once per job, last).
    """

    state_changed = Signal(str, str)
    run_started = Signal(object)
    steps = Signal(object)
    evaluated = Signal(object)
    run_done = Signal(object)
    failed = Signal(object)
    ended = Signal(str)

    def __init__(self) -> None:
        self.state = IDLE
        self.configs: tuple[RunConfig, ...] = ()
        self.kind = "runs"
        self.preset: str | None = None
        self.control: Control | None = None
        self._clear()

    def _clear(self) -> None:
        self.infos: list[RunInfo] = []
        self.histories: dict[int, History] = {}
        self.results: list[RunResult] = []
        self.failure: Message | None = None
        self.stop_requested = False
        self.run_iterations = 0            # done in the run started last (`current`)
        self.done_iterations = 0           # done in the job's other runs
        self.iterations: dict[int, int] = {}   # run index → iterations done (runs started)
        self.ended_runs: set[int] = set()      # run indices whose `RunDone` came
        self._result_runs: list[int] = []      # the run index of each of `results`
        self._samples: deque[tuple[float, int]] = deque()
        self.rate = float("nan")           # iterations per second, over RATE_WINDOW

    # -- state -------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        """True while the job runs or is paused."""
        return self.state in (RUNNING, PAUSED)

    @property
    def current(self) -> RunInfo | None:
        """The run started last (None before the first)."""
        return self.infos[-1] if self.infos else None

    @property
    def running(self) -> list[RunInfo]:
        """The runs started and not yet ended (several when the job trains runs in parallel)."""
        return [info for info in self.infos if info.index not in self.ended_runs]

    def _check(self, action: str) -> None:
        if self.state not in _ALLOWED[action]:
            raise ILLEGAL.error(SessionError, action=action, state=self.state)

    def _become(self, state: str) -> None:
        old, self.state = self.state, state
        if old != state:
            self.state_changed.emit(state, old)

    # -- actions -----------------------------------------------------------------------
    def start(self, configs: Sequence[RunConfig], control: Control | None = None, *, kind: str = "runs",
              preset: str | None = None) -> None:
        """A new job of ``configs`` (its results replace the last job's), driven by ``control``."""
        self._check("start")
        self.configs, self.control, self.kind, self.preset = tuple(configs), control, kind, preset
        self._clear()
        self._become(RUNNING)

    def attach(self, control: Control) -> None:
        """Drive the running job through ``control`` (e.g. once its process exists)."""
        self.control = control

    def pause(self) -> None:
        self._check("pause")
        if self.control is not None:
            self.control.pause()
        self._become(PAUSED)

    def resume(self) -> None:
        self._check("resume")
        if self.control is not None:
            self.control.resume()
        self._become(RUNNING)

    def stop(self) -> None:
        """Ask the job to stop (also while paused); it ends ``stopped`` when its end arrives."""
        self._check("stop")
        self.stop_requested = True
        if self.control is not None:
            self.control.stop()

    def set_lr(self, lr: float) -> None:
        """Change η of the current run live (checked by the trainer)."""
        if self.is_active and self.control is not None:
            self.control.set_lr(lr)

    def reset(self) -> None:
        """Back to idle after a job ended; its results are dropped."""
        self._check("reset")
        self.configs, self.control = (), None
        self._clear()
        self._become(IDLE)

    def fail(self, message: Message) -> None:
        """The job failed with ``message`` (it ends ``failed`` when its end arrives)."""
        self.failure = message
        self.failed.emit(message)

    # -- events --------------------------------------------------------------------------
    def receive(self, event: Event) -> None:
        """Take in one event of the job (in the order the job sent them)."""
        if isinstance(event, StepBatch):
            self._steps(event)
        elif isinstance(event, Evaluated):
            self._history(event.run_index).add_evaluation(event.evaluation)
            self.evaluated.emit(event)
        elif isinstance(event, RunInfo):
            self.iterations[event.index] = 0
            self.infos.append(event)
            self._count()
            self.run_started.emit(event)
        elif isinstance(event, RunDone):
            self.ended_runs.add(event.run_index)
            at = bisect.bisect(self._result_runs, event.run_index)   # in run order, whichever ends first
            self._result_runs.insert(at, event.run_index)
            self.results.insert(at, event.result)
            self.histories[event.run_index] = event.result.history
            self.run_done.emit(event)
        elif isinstance(event, Failed):
            self.fail(event.message)
        elif isinstance(event, JobDone):
            self.end()

    def _history(self, index: int) -> History:
        return self.histories.setdefault(index, History(capacity=64))

    def _steps(self, batch: StepBatch) -> None:
        self._history(batch.run_index).add_steps(batch.iterations, batch.loss, batch.lr)
        if len(batch.iterations):
            self.iterations[batch.run_index] = batch.last_iteration
            self._count()
            self._measure(time.perf_counter())
        self.steps.emit(batch)

    def _count(self) -> None:
        """`run_iterations` (of `current`) and `done_iterations` (of the others) from `iterations`."""
        current = self.current
        self.run_iterations = self.iterations.get(current.index, 0) if current is not None else 0
        self.done_iterations = sum(self.iterations.values()) - self.run_iterations

    def _measure(self, now: float) -> None:
        total = self.done_iterations + self.run_iterations
        samples = self._samples
        samples.append((now, total))
        while len(samples) > 2 and now - samples[0][0] > RATE_WINDOW:
            samples.popleft()
        t0, n0 = samples[0]
        if now - t0 > 0.2:
            self.rate = (total - n0) / (now - t0)

    def end(self) -> None:
        """The job is over: decide how it ended and say so (``ended``)."""
        self._check("end")
        self.control = None
        if self.failure is not None:
            state = FAILED
        elif self.unexpected_divergences():
            state = DIVERGED
        elif self.stop_requested or any(r.status == STOPPED for r in self.results):
            state = STOPPED
        else:
            state = FINISHED
        self._become(state)
        self.ended.emit(state)

    def poll(self, timeout: float = 0.05) -> bool:
        """Receive what the `JobProcess` driving the session sent within ``timeout`` seconds;
        False once the job has ended."""
        proc = self.control
        if not self.is_active or proc is None or not hasattr(proc, "messages"):
            return self.is_active
        for event in proc.messages(timeout):
            self.receive(event)
        return self.is_active

    # -- what it shows ------------------------------------------------------------------
    def unexpected_divergences(self) -> list[RunResult]:
        """The diverged runs that are a failure, not the lesson's result (`experiments.expected_divergence`,
        or the experiment's own `Preset.diverges_when`)."""
        return [r for r in self.results if r.status == DIVERGED and not self._expected(r.config)]

    def expected_divergences(self) -> list[RunResult]:
        """The diverged runs whose divergence is the lesson's result."""
        return [r for r in self.results if r.status == DIVERGED and self._expected(r.config)]

    def _expected(self, config: RunConfig) -> bool:
        if expected_divergence(config, self.configs):
            return True
        preset = PRESETS.get(self.preset or "")
        return preset is not None and preset.divergence_expected(config)

    def progress(self) -> float:
        """The share of the job's iterations done, 0…1 (1 once it finished): each run counts its
        share of its own iterations (an ended run all of them), runs not started yet none."""
        if self.state == FINISHED:
            return 1.0
        info = self.current
        if info is None:
            return 0.0
        done = sum(1.0 if i.index in self.ended_runs
                   else min(self.iterations.get(i.index, 0) / max(i.total_iterations, 1), 1.0) for i in self.infos)
        return done / info.count

    def eta(self) -> float:
        """Seconds left at the current speed (nan when unknown or not running): the iterations left
        in the runs started, and a run's length (the mean of those started) for each run not started,
        over the job's rate (every run in flight counted)."""
        info = self.current
        if info is None or not self.is_active or not (self.rate > 0):
            return math.nan
        left = sum(max(i.total_iterations - self.iterations.get(i.index, 0), 0)
                   for i in self.infos if i.index not in self.ended_runs)
        per_run = sum(i.total_iterations for i in self.infos) / len(self.infos)
        return (left + per_run * max(info.count - len(self.infos), 0)) / self.rate

    def groups(self) -> list[SeedGroup]:
        """The ended runs by label, each in seed order (`seeds.group`): a job repeated over seeds."""
        return group(self.results)

    def has_table(self) -> bool:
        """True when the job is a lesson with a table of its results (`regularisers.TABLES`)."""
        return self.preset in TABLES

    def table(self) -> list[dict[str, Any]]:
        """The lesson's table of the runs ended so far (`regularisers.lesson_table`: the ensemble's
        members against it, transfer against random features and scratch, L1's sparsity); [] for
        other jobs, and while an ensemble lacks members."""
        if self.preset is None:
            return []
        try:
            return lesson_table(self.preset, self.results)
        except (ValueError, IndexError):        # a run that kept no weights or probabilities
            return []

    def claim(self) -> ClaimReport | None:
        """For how many seeds the experiment's claim held (`claims.check`; None without a preset,
        a claim, or runs that can show it).  Its ``message`` is the caption's line."""
        return check(self.preset, self.results) if self.preset is not None else None
