"""Train in child processes, so a GUI never competes with training for the GIL.

A GUI thread and a training thread in one process take turns on the interpreter
lock (measured here: the app trained at half the headless speed, its 5 ms timer
up to 100 ms late).  `JobProcess` runs the `Trainer` loop in ``jobs`` children at
once (one per core by default, `default_jobs`; one BLAS thread each), handing
each the next config when its run ends, and streams their records back as the
typed events of `optilab.training.events` (`RunInfo`, `StepBatch` — at most
`MAX_RATE` a second —, `Evaluated`, `RunDone`, `Failed`, `JobDone` last), each
with its run's index, announced in the job's order.  Commands go to every child:
``stop``, ``pause``, ``resume``, ``lr``.  Pure Python and numpy: the Qt worker in
``optilab.ui`` wraps this; `ChildProcess` (process and pipes alone) is shared
with `optilab.landscape.job`.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optilab import data as datamod
from optilab import messages
from optilab.messages import Message
from optilab.rules import Number, Setting
from optilab.threads import BLAS_THREAD_VARS, default_one_blas_thread
from optilab.training.config import RunConfig
from optilab.training.events import Evaluated, Event, Failed, JobDone, RunDone, RunInfo, StepBatch, failure
from optilab.training.experiments import RunResult
from optilab.training.records import Evaluation, Finished, Step
from optilab.training.snapshots import JOB_SNAPSHOT_BYTES, SNAPSHOT_BYTES, job_share
from optilab.training.trainer import Trainer, check_memory

#: Record batches per second sent to the parent, at most.
MAX_RATE = 30.0
#: Seconds to wait for a child whose pipe has ended to exit, before killing it.
REAP_TIMEOUT = 1.0


DIED = messages.declare(
    "training.died", "the training process ended unexpectedly ({how}); if it ran out of memory, "
    "try a smaller network or batch size, then start again")
KILLED_BY = messages.declare("training.died.signal", "killed by signal {number} ({name})")
KILLED_BY_NUMBER = messages.declare("training.died.signal_number", "killed by signal {number}")
EXIT_CODE = messages.declare("training.died.exit_code", "exit code {code}")


def died(exitcode: int | None) -> Message:
    """The one line saying the training process ended without finishing its job (`DIED`)."""
    if exitcode is not None and exitcode < 0:
        try:
            how = KILLED_BY(number=-exitcode, name=signal.Signals(-exitcode).name)
        except ValueError:
            how = KILLED_BY_NUMBER(number=-exitcode)
    else:
        how = EXIT_CODE(code=exitcode)
    return DIED(how=how)


@dataclass(frozen=True)
class DataSpec:
    """Where the child gets its images: the bundled sample, a folder, or a given dataset.

    A folder is loaded in the child (from the .npy cache: well under a second);
    a `Dataset` object is pickled to it (fine for small synthetic sets).
    """

    kind: str = "sample"                  # "sample", "folder" or "dataset"
    folder: str = ""
    dataset: datamod.Dataset | None = None

    def load(self) -> datamod.Dataset:
        if self.kind == "dataset" and self.dataset is not None:
            return self.dataset
        if self.kind == "folder":
            return datamod.load(self.folder)
        return datamod.load(sample=True)


def _context() -> mp.context.BaseContext:
    # "spawn" everywhere: forking a process that runs Qt threads is unsafe.
    return mp.get_context("spawn")


class ChildProcess:
    """A spawned child process that streams events back through a pipe, `JobDone` last.

    The machinery `JobProcess` and `optilab.landscape.job.LandscapeJob` share:
    "spawn" (`_context`), one BLAS thread in the child, the parent's
    ``__main__`` not re-run (`_main_module_hidden`); `messages` reads what
    arrived and, if the child died without saying `JobDone`, makes up a
    `Failed` (`died`) and a `JobDone`.  ``target(conn, commands, *args)``
    runs in the child: it sends events on ``conn`` and reads commands (tuples)
    from ``commands``.  Use from one thread; `_send` (the commands) from any.
    """

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
        ctx = _context()
        self._data_recv, data_send = ctx.Pipe(duplex=False)
        cmd_recv, self._cmd_send = ctx.Pipe(duplex=False)
        self._cmd_lock = threading.Lock()
        self._proc = ctx.Process(target=target, args=(data_send, cmd_recv, *args), name=name, daemon=True)
        self._child_ends = (data_send, cmd_recv)
        self._started = False
        self.done = False

    def start(self) -> None:
        # One BLAS thread in the child (see optilab.threads): the GUI needs
        # the other core.  Set for the child's start only, then restored.
        saved = {k: os.environ.get(k) for k in BLAS_THREAD_VARS}
        default_one_blas_thread()
        try:
            with _main_module_hidden():
                self._proc.start()
            self._started = True
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        for end in self._child_ends:
            end.close()

    @property
    def pid(self) -> int | None:
        """The child's process id once started (None before)."""
        return self._proc.pid if self._started else None

    def messages(self, timeout: float) -> list[Any]:
        """The events that arrived within ``timeout`` seconds (empty if none).

        If the child died without saying `JobDone` (killed, e.g. by the
        out-of-memory killer), a `Failed` naming the signal or exit code
        (`died`) and a `JobDone` are made up, so the caller always sees the end.
        """
        out: list[Any] = []
        if self.done:
            return out
        ended = False                     # the pipe is at its end: no child will write again
        try:
            ready = self._data_recv.poll(timeout)
            while ready:
                msg = self._data_recv.recv()
                out.append(msg)
                if isinstance(msg, JobDone):
                    self.done = True
                    return out
                ready = self._data_recv.poll(0)
        except (EOFError, OSError):
            ended = True
        if not ended and not self._proc.is_alive():
            try:                          # what it wrote before exiting (or the EOF) is read next call
                ended = not self._data_recv.poll(0)
            except (EOFError, OSError):
                ended = True
        if ended:
            out.append(Failed(died(self._reap())))
            out.append(JobDone())
            self.done = True
        return out

    def _reap(self) -> int | None:
        """The exit code of a child whose pipe ended (killed if it lingers): negative for a signal."""
        self._proc.join(REAP_TIMEOUT)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(REAP_TIMEOUT)
        return self._proc.exitcode

    def _send(self, *command: Any) -> None:
        with self._cmd_lock, contextlib.suppress(OSError, ValueError, BrokenPipeError):  # child gone already
            self._cmd_send.send(command)

    def kill(self) -> None:
        """End the child at once (SIGKILL: also a frozen or stopped one); `messages` then reports the end."""
        if self._started and self._proc.exitcode is None:
            self._proc.kill()

    def close(self, timeout: float = 1.0) -> None:
        """Wait for the child to exit (kill it after ``timeout``) and free the pipes."""
        if self._started:
            self._proc.join(timeout)
            if self._proc.is_alive():
                self._proc.kill()         # not terminate(): a stopped child would keep it pending
                self._proc.join(1.0)
            if not self._proc.is_alive():
                self._proc.close()
        for conn in (self._data_recv, self._cmd_send, *self._child_ends):
            conn.close()


def default_jobs() -> int:
    """Runs trained at once by default: one per core this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


#: Runs of a job trained at once, each in its own process with one BLAS thread (the CLI's
#: ``--jobs``, the app's field); `default_jobs` when not given.
JOBS = Setting("jobs", Number(1, 64, integer=True), label="Parallel runs",
               description="Runs trained at once, each in its own process (default: one per core)")


class JobProcess:
    """One job (several configs) in ``jobs`` child processes at once (`default_jobs` by default).

    Each child (a `ChildProcess` with one BLAS thread) trains one run at a time and gets
    the next config when its run ends (so a short run does not leave a core idle); the
    events of all children come interleaved, each keeping its run's index in the job
    (several `RunInfo`s before the first `RunDone`), then one `JobDone` when every child
    has ended.  ``stop``, ``pause``, ``resume``, ``set_lr`` go to every child (η: of the
    runs in flight); a child that fails or dies fails the job (its `Failed`, once) and
    stops the others.  A run's numbers depend on its config alone, so any ``jobs`` gives
    the same histories.  Each child checks that ``jobs`` runs of its config fit in memory
    at once (`trainer.check_memory`, `memory.PARALLEL`).  Each of the n runs keeps at most
    min(`SNAPSHOT_BYTES`, ``snapshot_bytes`` / n) of weight snapshots (`snapshots.job_share`).

    Use from one thread: `start`, then `messages` until `JobDone`; the commands from any.
    """

    def __init__(self, configs: Sequence[RunConfig], data: DataSpec, max_rate: float = MAX_RATE,
                 snapshot_bytes: int = JOB_SNAPSHOT_BYTES, jobs: int | None = None) -> None:
        self.configs = list(configs)
        self.jobs = max(1, min(int(JOBS.check(jobs)) if jobs is not None else default_jobs(), len(self.configs)))
        share = job_share(len(self.configs), snapshot_bytes)
        # Several children share the rate: the parent still gets about `max_rate` batches a second.
        rate = max_rate / self.jobs
        self._children = [ChildProcess(_child_main, (self.configs, data, rate, share, self.jobs), "optilab-training")
                          for _ in range(self.jobs)]
        self._next = 0                     # the next config to hand out
        self._announced = 0                # runs whose RunInfo has gone out (in index order)
        self._held: dict[int, list[Event]] = {}   # events of later runs, waiting for that order
        self._lock = threading.Lock()      # the commands (any thread) against handing out runs
        self._stopped = False
        self._failed = False
        self.done = False

    @property
    def pid(self) -> int | None:
        """The first child's process id once started (None before)."""
        return self._children[0].pid if self._children else None

    @property
    def pids(self) -> list[int]:
        """The process ids of the children started."""
        return [p for p in (c.pid for c in self._children) if p is not None]

    def start(self) -> None:
        for child in self._children:
            child.start()
            self._hand_out(child)
        if not self._children:
            self.done = True

    def _hand_out(self, child: ChildProcess) -> None:
        """Give ``child`` the next config, or tell it there is none left."""
        with self._lock:
            if self._stopped or self._failed or self._next >= len(self.configs):
                child._send("done")
                return
            index, self._next = self._next, self._next + 1
        child._send("run", index)

    def messages(self, timeout: float) -> list[Event]:
        """The events that arrived within ``timeout`` seconds from any child (`RunInfo`, `StepBatch`,
        `Evaluated`, `RunDone`, `Failed`), `JobDone` once all children ended (see the class)."""
        out: list[Event] = []
        if self.done:
            return out
        live = [c for c in self._children if not c.done]
        with contextlib.suppress(OSError, ValueError):
            mp_connection.wait([c._data_recv for c in live], timeout)
        for child in live:
            for event in child.messages(0):
                if isinstance(event, JobDone):
                    continue
                if isinstance(event, Failed):
                    if self._failed:
                        continue
                    self._failed = True
                    for other in self._children:
                        other._send("stop")
                self._in_order(event, out)
                if isinstance(event, RunDone):
                    self._hand_out(child)
        if all(c.done for c in self._children):
            out.extend(e for i in sorted(self._held) for e in self._held.pop(i))  # a run never began
            out.append(JobDone())
            self.done = True
        return out

    def _in_order(self, event: Event, out: list[Event]) -> None:
        """Pass ``event`` on, a run's events held until every earlier run's `RunInfo` went out (two
        children start at once): views and progress list the runs in the experiment's order."""
        index = event.index if isinstance(event, RunInfo) else getattr(event, "run_index", None)
        if index is None or index < self._announced:
            out.append(event)
            return
        self._held.setdefault(index, []).append(event)
        while self._announced in self._held and isinstance(self._held[self._announced][0], RunInfo):
            out.extend(self._held.pop(self._announced))
            self._announced += 1

    def _all(self, *command: Any) -> None:
        for child in self._children:
            child._send(*command)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
        self._all("stop")

    def pause(self) -> None:
        self._all("pause")

    def resume(self) -> None:
        self._all("resume")

    def set_lr(self, lr: float) -> None:
        self._all("lr", float(lr))

    def kill(self) -> None:
        """End every child at once (SIGKILL); `messages` then reports the end."""
        for child in self._children:
            child.kill()

    def close(self, timeout: float = 1.0) -> None:
        """Wait for the children to exit (killed after ``timeout``) and free the pipes."""
        for child in self._children:
            child.close(timeout)


@contextlib.contextmanager
def _main_module_hidden():
    """Start the child without re-running the parent's ``__main__``.

    "spawn" normally imports the parent's main script again in the child so
    that pickled functions defined there resolve; ours lives in this module,
    and re-running a script (or ``python -m optilab``) in the child would
    start a second app.  Hiding ``__spec__`` and ``__file__`` while the
    child is created makes multiprocessing skip that step.
    """
    main = sys.modules.get("__main__")
    saved = {key: main.__dict__[key] for key in ("__spec__", "__file__") if main is not None and key in main.__dict__}
    try:
        if main is not None:
            main.__dict__["__spec__"] = None
            main.__dict__.pop("__file__", None)
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


# -- the child ---------------------------------------------------------------

class Sender:
    """Sends to the parent from the child's two threads without interleaving (any picklable event)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        with self.lock:
            self.conn.send(event)


class _Collector:
    """The trainer's observer in the child: batches steps into arrays."""

    def __init__(self, send: Sender, index: int, trainer: Trainer, max_rate: float) -> None:
        self.send, self.index, self.trainer = send, index, trainer
        self.interval = 1.0 / max_rate
        self.lock = threading.Lock()
        self.its: list[int] = []
        self.loss: list[float] = []
        self.lr: list[float] = []
        self.last = time.perf_counter()

    def __call__(self, record: Any) -> None:
        kind = type(record)
        if kind is Step:
            with self.lock:
                self.its.append(record.iteration)
                self.loss.append(record.loss)
                self.lr.append(record.lr)
            if time.perf_counter() - self.last >= self.interval:
                self.flush()
        elif kind is Evaluation:
            self.flush()
            self.send(Evaluated(self.index, record))
        elif kind is Finished:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            its, loss, lr = self.its, self.loss, self.lr
            self.its, self.loss, self.lr = [], [], []
            self.last = time.perf_counter()
        if its:
            norms = self.trainer.net.layer_grad_norms()
            self.send(StepBatch(self.index, np.array(its, dtype=np.int64), np.array(loss), np.array(lr), norms))


def _child_main(conn: Any, commands: Any, configs: list[RunConfig], spec: DataSpec, max_rate: float,
                snapshot_bytes: int = SNAPSHOT_BYTES, at_once: int = 1) -> None:
    """A child of `JobProcess`: trains the configs the parent hands out (``("run", index)``) one
    at a time until told ``("done",)`` or ``("stop",)``; ``at_once`` runs share the memory."""
    send = Sender(conn)
    state: dict[str, Any] = {"trainer": None, "collector": None, "stop": False, "paused": False}
    lock = threading.Lock()
    assigned: queue.Queue[int | None] = queue.Queue()

    def control() -> None:
        while True:
            try:
                cmd = commands.recv()
            except (EOFError, OSError):
                cmd = ("stop",)           # the parent is gone: stop
            with lock:
                trainer, collector = state["trainer"], state["collector"]
                if cmd[0] == "stop":
                    state["stop"] = True
                    if trainer is not None:
                        trainer.request_stop()
                elif cmd[0] == "pause":
                    state["paused"] = True
                    if trainer is not None:
                        trainer.pause()
                elif cmd[0] == "resume":
                    state["paused"] = False
                    if trainer is not None:
                        trainer.resume()
                elif cmd[0] == "lr" and trainer is not None:
                    with contextlib.suppress(ValueError):
                        trainer.set_lr(cmd[1])
            if cmd[0] == "run":
                assigned.put(int(cmd[1]))
            elif cmd[0] in ("done", "stop"):
                assigned.put(None)
            if cmd[0] == "pause" and collector is not None:
                collector.flush()         # the paused plot shows every step
            if cmd[0] == "stop" and trainer is None and state.get("finished"):
                return

    threading.Thread(target=control, name="optilab-control", daemon=True).start()
    try:
        dataset = spec.load()
        checked = False
        while True:
            index = assigned.get()
            with lock:
                if index is None or state["stop"]:
                    break
            config = configs[index]
            if at_once > 1 and not checked:   # this many runs at once must fit (the others check theirs)
                check_memory(config, dataset, runs=at_once, snapshot_bytes=snapshot_bytes)
                checked = True
            trainer = Trainer(config, dataset, snapshot_bytes=snapshot_bytes)
            collector = _Collector(send, index, trainer, max_rate)
            trainer.observers.append(collector)
            with lock:
                state["trainer"], state["collector"] = trainer, collector
                if state["stop"]:
                    trainer.request_stop()
                if state["paused"]:
                    trainer.pause()
            source = dataset.source_message or messages.TEXT(text=dataset.source)
            send(RunInfo(index, len(configs), config, trainer.total_iterations, trainer.iters_per_epoch,
                         trainer.n_train, len(trainer.split.t_val), source, dataset.is_sample,
                         tuple(f"W{i}" for i in range(1, len(config.hidden) + 2))))
            finished = trainer.run()
            with lock:
                state["trainer"], state["collector"] = None, None
            trainer.observers.remove(collector)
            send(RunDone(index, finished, RunResult.from_trainer(trainer)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        with contextlib.suppress(OSError):
            send(Failed(failure(exc)))
    finally:
        state["finished"] = True
        with contextlib.suppress(OSError):
            send(JobDone())
        conn.close()
        sys.stdout.flush()
