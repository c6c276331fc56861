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

import contextlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from optilab.training.events import Failed, JobDone, failure
from optilab.training.remote import MAX_RATE, ChildProcess, DataSpec, Sender

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


class _Progress:
    """compute's ``progress`` callback in the child: sends at most ``max_rate`` events a second
    (and always the last point)."""

    def __init__(self, send: Sender, max_rate: float) -> None:
        self.send, self.interval, self.last = send, 1.0 / max_rate, -float("inf")

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done >= total or now - self.last >= self.interval:
            self.last = now
            self.send(LandscapeProgress(int(done), int(total)))


def _child_main(conn: Any, commands: Any, results: list[Any], spec: DataSpec, options: LandscapeOptions,
                title: str | None, max_rate: float) -> None:
    send = Sender(conn)
    cancelled = threading.Event()

    def control() -> None:
        while not cancelled.is_set():
            try:
                cmd = commands.recv()
            except (EOFError, OSError):
                cmd = ("cancel",)         # the parent is gone: stop
            if cmd[0] == "cancel":
                cancelled.set()

    threading.Thread(target=control, name="optilab-landscape-control", daemon=True).start()
    try:
        dataset = spec.load()
        landscape = compute(results, dataset, options, progress=_Progress(send, max_rate),
                            cancel=cancelled.is_set, title=title)
        send(LandscapeDone(landscape))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line (a Cancelled too)
        with contextlib.suppress(OSError):
            send(Failed(failure(exc)))
    finally:
        with contextlib.suppress(OSError):
            send(JobDone())
        conn.close()
