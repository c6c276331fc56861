"""Compute a loss landscape in a child process, so the GUI stays responsive (issue #14, item 3).

`LandscapeJob` runs `optilab.landscape.compute` (docs/landscape.md#slice)
in a spawned child exactly as `optilab.training.remote.JobProcess` trains:
the same `remote.ChildProcess` machinery (spawn, one BLAS thread, the
parent's ``__main__`` not re-run, a killed child reported as
``training.died``).  Events, in the order they come:

    LandscapeProgress   grid points done of the total (at most `MAX_RATE` a second, and the last one)
    LandscapeDone       the `Landscape`
    Failed              one line (`training.events.Failed`); a cancelled computation ends with
                        Failed carrying ``landscape.cancelled`` (`types.CANCELLED`), so a
                        receiver tells a cancel from a fault by that code alone
    JobDone             always last

Commands: `cancel` (the child's ``cancel()`` callback, polled by `compute`
between chunks of grid points, says yes from then on), `kill`, `close`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from optilab.training import cancellable
from optilab.training.remote import MAX_RATE, ChildProcess, DataSpec

from .compute import compute
from .types import Landscape, LandscapeOptions

__all__ = ["LandscapeDone", "LandscapeJob", "LandscapeProgress"]


@dataclass(frozen=True)
class LandscapeProgress:
    """``done`` of the slice's ``total`` grid points are computed."""

    done: int
    total: int


@dataclass(frozen=True, eq=False)
class LandscapeDone:
    """The computed slice."""

    landscape: Landscape


class LandscapeJob(ChildProcess):
    """One landscape of ``results`` (`RunResult`s with snapshots) on the images of ``data``,
    computed in a child process.

    Use from one thread: `start`, then `messages(timeout)` until `JobDone`;
    `cancel` may be called from any thread.
    """

    def __init__(self, results: Sequence[Any], data: DataSpec, options: LandscapeOptions,
                 title: str | None = None, max_rate: float = MAX_RATE) -> None:
        super().__init__(_child_main, (list(results), data, options, title, max_rate), "optilab-landscape")

    def messages(self, timeout: float) -> list[Any]:
        """The events that arrived within ``timeout`` seconds: `LandscapeProgress`, `LandscapeDone`,
        `Failed`, `JobDone` (made up, after a `Failed` naming the signal, if the child died)."""
        return super().messages(timeout)

    def cancel(self) -> None:
        """Ask the child to stop at the next chunk: the job ends with `Failed` (``landscape.cancelled``)
        and `JobDone`."""
        self._send("cancel")


def _child_main(conn: Any, commands: Any, results: list[Any], spec: DataSpec, options: LandscapeOptions,
                title: str | None, max_rate: float) -> None:
    def work(progress: Any, cancel: Any) -> Landscape:
        return compute(results, spec.load(), options, progress=progress, cancel=cancel, title=title)

    cancellable.run(conn, commands, work, LandscapeProgress, LandscapeDone, max_rate, "optilab-landscape")
