"""TrainingSession: the training lab's job as a Qt-free state machine, driven by a real JobProcess."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from optilab import data
from optilab.lab.training import ENDED, SessionError, TrainingSession
from optilab.training import RunConfig, Trainer
from optilab.training.events import Evaluated, Failed, JobDone, RunDone, RunInfo, StepBatch
from optilab.training.records import Finished
from optilab.training.remote import DataSpec, JobProcess

SHORT = RunConfig(optimizer="sgd", hparams={"lr": 0.1}, hidden=(16,), iterations=40, batch_size=50,
                  eval_interval=20, seed=5)
LONG = SHORT.replace(iterations=1_000_000, eval_interval=100_000)


class Recorder:
    """Commands a session sends, kept in order (a stand-in for the process, not our code under test)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def stop(self) -> None:
        self.calls.append("stop")

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def set_lr(self, lr: float) -> None:
        self.calls.append(f"lr {lr}")


def _drive(session: TrainingSession, limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while session.poll(0.05):
        assert time.monotonic() < end, "the job did not end"


def _run(configs, jobs: int = 1) -> tuple[TrainingSession, JobProcess]:
    session = TrainingSession()
    proc = JobProcess(configs, DataSpec("sample"), jobs=jobs)
    session.start(configs, proc)
    proc.start()
    return session, proc


# -- transitions ------------------------------------------------------------------------

def test_legal_transitions_and_what_each_announces():
    session, control = TrainingSession(), Recorder()
    moves: list[tuple[str, str]] = []
    session.state_changed.connect(lambda new, old: moves.append((old, new)))
    ended: list[str] = []
    session.ended.connect(ended.append)
    session.start([SHORT], control)
    session.pause()
    session.resume()
    session.set_lr(0.02)
    session.receive(JobDone())
    assert moves == [("idle", "running"), ("running", "paused"), ("paused", "running"), ("running", "finished")]
    assert control.calls == ["pause", "resume", "lr 0.02"] and ended == ["finished"]
    session.start([SHORT], control)              # again from an ended state
    assert session.state == "running"
    session.stop()
    session.receive(JobDone())
    assert session.state == "stopped"
    session.reset()
    assert session.state == "idle" and session.results == [] and session.configs == ()


@pytest.mark.parametrize("state, action", [
    ("idle", "pause"), ("idle", "resume"), ("idle", "stop"), ("idle", "reset"), ("idle", "end"),
    ("running", "start"), ("running", "resume"), ("running", "reset"),
    ("paused", "pause"), ("paused", "start"), ("finished", "pause"), ("finished", "stop"),
])
def test_illegal_transitions_are_refused_with_a_coded_message(state, action):
    session = TrainingSession()
    if state != "idle":
        session.start([SHORT], Recorder())
    if state == "paused":
        session.pause()
    if state == "finished":
        session.receive(JobDone())
    with pytest.raises(SessionError) as err:
        getattr(session, action)(*([[SHORT]] if action == "start" else []))
    assert err.value.code == "lab.training.illegal"
    assert str(err.value) == f"cannot {action} a training session that is {state}"
    assert session.state == state


def _done(config: RunConfig, status: str) -> RunDone:
    from optilab.training.experiments import RunResult
    from optilab.training.records import History, RunSummary

    summary = RunSummary(config.label, config.to_dict(), status, 3 if status == "diverged" else None, 3, 0.1,
                         0.0, None, None, None, None, 30, 0, 5)
    return RunDone(0, Finished(config.label, status, 3, summary.diverged_at, 0.0),
                   RunResult(config, History(), 30, summary))


def test_a_failure_or_an_unexpected_divergence_decides_the_end():
    from optilab.training.remote import died

    session = TrainingSession()
    failures: list = []
    session.failed.connect(failures.append)
    session.start([SHORT])
    session.receive(_done(SHORT, "finished"))
    session.receive(Failed(died(-9)))
    session.receive(JobDone())
    assert session.state == "failed" and failures == [session.failure] and session.failure.code == "training.died"
    session.start([SHORT])
    assert session.failure is None and session.results == []
    session.receive(_done(SHORT, "diverged"))
    session.receive(JobDone())
    assert session.state == "diverged" and session.unexpected_divergences() == session.results
    # The batch-norm lesson: without BN, large initial weights diverge — its result, not a failure.
    pairs = [SHORT.replace(batchnorm=bn, init=scale) for scale in (0.01, 1.0) for bn in (True, False)]
    session.start(pairs)
    session.receive(_done(pairs[3], "diverged"))
    session.receive(JobDone())
    assert session.state == "finished" and session.expected_divergences() == session.results


# -- a real job, headless ----------------------------------------------------------------

def test_a_short_run_on_the_bundled_sample_finishes_with_the_trainers_numbers():
    session, proc = _run([SHORT])
    seen: list[type] = []
    for signal_ in (session.run_started, session.steps, session.evaluated, session.run_done):
        signal_.connect(lambda event: seen.append(type(event)))
    try:
        _drive(session)
    finally:
        proc.close()
    assert session.state == "finished" and session.failure is None and session.progress() == 1.0
    local = Trainer(SHORT, data.load(sample=True))
    fin = local.run()
    (result,) = session.results
    np.testing.assert_array_equal(result.history.loss, local.history.loss)     # same seed, same numbers
    np.testing.assert_array_equal(session.histories[0].test_acc, local.history.test_acc)
    expected = local.summary().to_dict()
    got = result.summary.to_dict()
    assert {**got, "elapsed_s": 0} == {**expected, "elapsed_s": 0}
    assert result.status == fin.status == "finished" and result.summary.iterations == 40
    assert seen[0] is RunInfo and seen[-1] is RunDone and StepBatch in seen and Evaluated in seen
    assert session.current.total_iterations == 40 and session.run_iterations == 40


def test_a_killed_child_ends_failed_with_the_died_message():
    session, proc = _run([LONG])
    try:
        end = time.monotonic() + 30
        while not session.run_iterations and time.monotonic() < end:
            session.poll(0.05)
        assert session.run_iterations > 0
        os.kill(proc.pid, signal.SIGKILL)
        _drive(session, limit=5)
    finally:
        proc.close()
    assert session.state == "failed"
    assert session.failure.code == "training.died"
    assert str(session.failure).startswith("the training process ended unexpectedly (killed by signal 9 (SIGKILL))")


def test_stop_while_paused_ends_the_run_stopped():
    session, proc = _run([LONG, LONG])
    try:
        end = time.monotonic() + 30
        while not session.run_iterations and time.monotonic() < end:
            session.poll(0.05)
        session.pause()
        assert session.state == "paused"
        session.poll(0.3)                       # the steps flushed on pause arrive
        paused_at = session.run_iterations
        session.poll(0.3)
        assert session.run_iterations - paused_at <= 1
        session.stop()
        _drive(session, limit=5)
    finally:
        proc.close()
    assert session.state == "stopped" and session.state in ENDED
    (result,) = session.results                 # the second run never started
    assert result.status == "stopped" and isinstance(session.histories[0], type(result.history))
    assert abs(result.summary.iterations - paused_at) <= 1


def test_steps_arrive_in_batches_at_most_max_rate_a_second():
    from optilab.training.remote import MAX_RATE

    session, proc = _run([LONG])
    batches: list[StepBatch] = []
    session.steps.connect(batches.append)
    try:
        end = time.monotonic() + 30
        while not session.run_iterations and time.monotonic() < end:
            session.poll(0.05)
        first, t0 = len(batches), time.monotonic()
        while time.monotonic() - t0 < 1.0:
            session.poll(0.05)
        elapsed, n = time.monotonic() - t0, len(batches) - first
        session.stop()
        _drive(session, limit=5)
    finally:
        proc.close()
    assert 1 <= n <= MAX_RATE * elapsed + 2
    its = np.concatenate([b.iterations for b in batches])
    np.testing.assert_array_equal(its, np.arange(1, len(its) + 1))    # every step, once, in order
    np.testing.assert_array_equal(session.histories[0].iterations, its)
