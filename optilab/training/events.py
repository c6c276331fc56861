"""What a training job tells its owner: typed events, the same in a process and across one.

`optilab.training.remote.JobProcess` runs a job in a child process and
sends these frozen dataclasses through its pipe as themselves (pickled);
`optilab.lab.training.TrainingSession` receives them, in the app or
headless.  A job trains several runs at once (one child process each): the
events of different runs then come interleaved — several `RunInfo`s before
the first `RunDone`, `StepBatch`es of runs in turn — each naming its run by
its index in the job.  For each run, in the order they come:

    RunInfo      a run starts: its config and sizes (enough to prepare its curves)
    StepBatch    the steps since the previous batch, as numpy arrays (at most
                 `remote.MAX_RATE` batches a second), with ‖dWᵢ‖ of the last one
    Evaluated    an `Evaluation` of run ``run_index``
    RunDone      a run ended: its `Finished` record and its `RunResult` (with the
                 run's weight snapshots for the loss landscape, `RunResult.snapshots`)
    Failed       the job failed: one `Message` (a code and its parameters)
    JobDone      always last (once for the whole job)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from optilab import messages
from optilab.data import DataError
from optilab.messages import Message
from optilab.training.config import RunConfig
from optilab.training.experiments import RunResult
from optilab.training.records import Evaluation, Finished

__all__ = ["CRASHED", "Evaluated", "Event", "Failed", "JobDone", "RunDone", "RunInfo", "StepBatch", "failure"]

#: A fault the code did not expect (not a bad input): its type is named, as a bug report needs.
CRASHED = messages.declare("training.crashed", "{kind}: {text}")


@dataclass(frozen=True)
class RunInfo:
    """A run of the job starts: enough for a view to prepare its curves."""

    index: int                  # position in the job
    count: int                  # runs in the job
    config: RunConfig
    total_iterations: int
    iters_per_epoch: int
    n_train: int
    n_val: int
    data_source: Message        # where the data came from, translated by its code
    is_sample: bool
    layer_names: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class StepBatch:
    """The steps of run ``run_index`` since the previous batch (one array entry per `Step`).

    ``grad_norms``: ‖dWᵢ‖ after the last of them (one sample per batch, keyed "W1"…).
    """

    run_index: int
    iterations: np.ndarray
    loss: np.ndarray
    lr: np.ndarray
    grad_norms: Mapping[str, float] = field(default_factory=dict)

    @property
    def last_iteration(self) -> int:
        return int(self.iterations[-1]) if len(self.iterations) else 0


@dataclass(frozen=True)
class Evaluated:
    """An evaluation of run ``run_index``."""

    run_index: int
    evaluation: Evaluation


@dataclass(frozen=True, eq=False)
class RunDone:
    """Run ``run_index`` ended (finished, stopped or diverged)."""

    run_index: int
    finished: Finished
    result: RunResult


@dataclass(frozen=True)
class Failed:
    """The job failed; ``message`` says why in one line."""

    message: Message   # pickles with its code, parameters and template (`optilab.messages`)


@dataclass(frozen=True)
class JobDone:
    """The job is over (always the last event)."""


Event = RunInfo | StepBatch | Evaluated | RunDone | Failed | JobDone


def failure(exc: BaseException) -> Message:
    """The message of an exception that ended a job: `messages.of` — and, for a fault that is
    no bad input (neither a ValueError nor a data error), its type first ("IndexError: …")."""
    message = messages.of(exc)
    if isinstance(exc, (ValueError, DataError)) or isinstance(getattr(exc, "message", None), Message):
        return message
    return CRASHED(kind=type(exc).__name__, text=message)
