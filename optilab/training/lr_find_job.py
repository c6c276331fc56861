"""Run the learning-rate range test (`optilab.training.lr_find`) in a child process, so the GUI
stays responsive (issue #15, item 1); the shape of `optilab.landscape.job.LandscapeJob`.

The same `remote.ChildProcess` machinery (spawn, one BLAS thread, a killed child reported as
``training.died``).  Events, in the order they come:

    LRFindProgress  steps done of the planned total (at most `MAX_RATE` a second, and the last)
    LRFindDone      the `LRFindResult`
    Failed          one line; a cancelled test ends with Failed carrying ``training.lr_find.cancelled``
    JobDone         always last

Commands: `cancel` (polled by `lr_find` before each step), `kill`, `close`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from optilab.training import cancellable
from optilab.training.config import RunConfig
from optilab.training.lr_find import LRFindResult, lr_find
from optilab.training.remote import MAX_RATE, ChildProcess, DataSpec

__all__ = ["LRFindDone", "LRFindJob", "LRFindProgress"]


@dataclass(frozen=True)
class LRFindProgress:
    """``done`` of the test's ``total`` steps are run."""

    done: int
    total: int


@dataclass(frozen=True, eq=False)
class LRFindDone:
    """The finished test."""

    result: LRFindResult


class LRFindJob(ChildProcess):
    """The range test of ``config`` on the images of ``data`` from ``start_lr`` to ``end_lr`` over
    ``steps`` minibatches, in a child process.  Use from one thread: `start`, then
    `messages(timeout)` until `JobDone`; `cancel` may be called from any thread."""

    def __init__(self, config: RunConfig, data: DataSpec, start_lr: float, end_lr: float, steps: int,
                 max_rate: float = MAX_RATE) -> None:
        super().__init__(_child_main, (config, data, float(start_lr), float(end_lr), int(steps), max_rate),
                         "optilab-lr-find")

    def cancel(self) -> None:
        """Ask the child to stop before its next step: the job ends with `Failed` and `JobDone`."""
        self._send("cancel")


def _child_main(conn: Any, commands: Any, config: RunConfig, spec: DataSpec, start_lr: float, end_lr: float,
                steps: int, max_rate: float) -> None:
    def work(progress: Any, cancel: Any) -> LRFindResult:
        return lr_find(config, spec.load(), start_lr, end_lr, steps, progress=progress, cancel=cancel)

    cancellable.run(conn, commands, work, LRFindProgress, LRFindDone, max_rate, "optilab-lr-find")
