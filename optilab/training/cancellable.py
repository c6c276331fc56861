"""The child side of a cancellable computation in a `remote.ChildProcess`: one loop, shared.

A landscape (`optilab.landscape.job`) and the LR range test
(`optilab.training.lr_find_job`) each run one function in a child process that
reports progress, can be cancelled between its steps, and ends with its result
or one `Failed` line, then `JobDone`.  `run` is that child: a thread reads the
parent's commands (``cancel``; a parent gone counts as one), ``progress(done,
total)`` sends the job's progress event at most ``max_rate`` times a second
(the last point always), and ``work(progress, cancel)`` computes the result.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from optilab.training.events import Failed, JobDone, failure
from optilab.training.remote import Sender

__all__ = ["Throttle", "run"]

Progress = Callable[[int, int], None]
Work = Callable[[Progress, Callable[[], bool]], Any]


class Throttle:
    """``progress(done, total)`` that sends ``event(done, total)`` at most ``max_rate`` times a
    second, and always the last point (done ≥ total)."""

    def __init__(self, send: Callable[[Any], None], event: Callable[[int, int], Any], max_rate: float) -> None:
        self.send, self.event, self.interval, self.last = send, event, 1.0 / max_rate, -float("inf")

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done >= total or now - self.last >= self.interval:
            self.last = now
            self.send(self.event(int(done), int(total)))


def run(conn: Any, commands: Any, work: Work, progress_event: Callable[[int, int], Any],
        done_event: Callable[[Any], Any], max_rate: float, name: str) -> None:
    """Run ``work`` in this child: ``done_event(result)`` or `Failed`, then `JobDone` (see the module)."""
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

    threading.Thread(target=control, name=f"{name}-control", daemon=True).start()
    try:
        send(done_event(work(Throttle(send, progress_event, max_rate), cancelled.is_set)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line (a Cancelled too)
        with contextlib.suppress(OSError):
            send(Failed(failure(exc)))
    finally:
        with contextlib.suppress(OSError):
            send(JobDone())
        conn.close()
