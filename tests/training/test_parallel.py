"""Parallel runs (issue #15 item 4): several children at once, events interleaved, the same numbers."""

from __future__ import annotations

import time

import numpy as np
import pytest

from optilab.lab.training import TrainingSession
from optilab.messages import OptilabError
from optilab.training import RunConfig
from optilab.training.events import Failed, JobDone, RunDone, RunInfo, StepBatch
from optilab.training.remote import JOBS, DataSpec, JobProcess, default_jobs
from optilab.training.seeds import expand

BASE = RunConfig(hidden=(16,), batch_size=50, iterations=120, eval_interval=40, optimizer="adam",
                 hparams={"lr": 0.01})


def _drain(proc: JobProcess, limit: float = 60.0) -> list:
    got: list = []
    end = time.monotonic() + limit
    while not proc.done and time.monotonic() < end:
        got.extend(proc.messages(0.05))
    return got


def _histories(configs, data, jobs):
    proc = JobProcess(configs, DataSpec("dataset", dataset=data), jobs=jobs)
    proc.start()
    msgs = _drain(proc)
    proc.close()
    assert not [m for m in msgs if isinstance(m, Failed)] and isinstance(msgs[-1], JobDone)
    return msgs, {m.run_index: m.result.history for m in msgs if isinstance(m, RunDone)}


def test_parallel_and_serial_runs_give_identical_histories_bitwise(blob_data):
    configs = expand([BASE.replace(label="adam"), BASE.replace(label="sgd", optimizer="sgd", hparams={"lr": 0.1})], 2)
    serial_msgs, serial = _histories(configs, blob_data, jobs=1)
    parallel_msgs, parallel = _histories(configs, blob_data, jobs=2)
    assert sorted(serial) == sorted(parallel) == [0, 1, 2, 3]
    for i in serial:
        for key in ("iterations", "loss", "lr", "train_acc", "test_acc"):
            np.testing.assert_array_equal(getattr(serial[i], key), getattr(parallel[i], key), err_msg=f"run {i} {key}")
    assert not np.array_equal(serial[0].loss, serial[1].loss)          # seed 0 and seed 1 differ
    # serial: each run ends before the next starts (runs in flight at once: the session test below)
    kinds = [(type(m).__name__, getattr(m, "index", getattr(m, "run_index", None))) for m in serial_msgs
             if isinstance(m, (RunInfo, RunDone))]
    assert kinds == [(k, i) for i in range(4) for k in ("RunInfo", "RunDone")]
    assert {m.run_index for m in parallel_msgs if isinstance(m, StepBatch)} == {0, 1, 2, 3}


def test_a_session_follows_interleaved_runs_and_stop_ends_them_all(blob_data):
    long = BASE.replace(iterations=10_000_000, eval_interval=1_000_000)
    configs = expand([long], 3)
    session = TrainingSession()
    proc = JobProcess(configs, DataSpec("dataset", dataset=blob_data), jobs=2)
    session.start(configs, proc)
    proc.start()
    end = time.monotonic() + 30
    while not (len(session.running) == 2 and all(session.iterations.get(i.index) for i in session.running)):
        assert session.poll(0.05) and time.monotonic() < end
    assert [i.index for i in session.running] in ([0, 1], [1, 0])
    assert 0 < session.progress() < 2 / 3                  # two of three runs started, neither done
    assert session.done_iterations > 0 and session.run_iterations > 0
    session.pause()
    session.resume()
    session.stop()
    while session.poll(0.05):
        assert time.monotonic() < end + 10
    proc.close()
    assert session.state == "stopped"
    assert sorted(r.config.seed for r in session.results) == [0, 1]   # the third run never started
    assert all(r.status == "stopped" for r in session.results)
    assert [g.label for g in session.groups()] == ["adam"]


def test_a_killed_child_fails_the_whole_job_with_its_one_line(blob_data):
    import os
    import signal

    long = BASE.replace(iterations=10_000_000, eval_interval=1_000_000)
    proc = JobProcess(expand([long], 2), DataSpec("dataset", dataset=blob_data), jobs=2)
    proc.start()
    got: list = []
    end = time.monotonic() + 30
    while sum(isinstance(m, RunInfo) for m in got) < 2:
        got.extend(proc.messages(0.05))
        assert time.monotonic() < end
    os.kill(proc.pids[1], signal.SIGKILL)
    rest = _drain(proc, limit=5)
    proc.close()
    failed = [m for m in rest if isinstance(m, Failed)]
    assert len(failed) == 1 and "killed by signal 9" in str(failed[0].message)
    assert isinstance(rest[-1], JobDone) and proc.done


def test_jobs_are_bounded_and_default_to_the_cores(blob_data):
    assert default_jobs() >= 1 and JOBS.rule.low == 1 and JOBS.rule.high == 64
    assert JobProcess([BASE] * 5, DataSpec("dataset", dataset=blob_data)).jobs == min(default_jobs(), 5)
    assert JobProcess([BASE] * 5, DataSpec("dataset", dataset=blob_data), jobs=8).jobs == 5
    with pytest.raises(OptilabError, match="jobs"):
        JobProcess([BASE], DataSpec("dataset", dataset=blob_data), jobs=0)


def test_runs_that_do_not_fit_in_memory_at_once_fail_in_one_line(blob_data, monkeypatch):
    from optilab.training import memory, trainer

    need = trainer.check_memory(BASE, blob_data)
    monkeypatch.setattr(memory, "available_bytes", lambda: int(1.5 * need))   # one fits, two do not
    with pytest.raises(ValueError, match="2 runs in parallel need"):
        trainer.check_memory(BASE, blob_data, runs=2)


def test_runs_are_announced_in_the_jobs_order_whichever_child_speaks_first():
    """Two children start at once; if run 1's RunInfo and steps arrive before run 0's RunInfo,
    they wait for it: every consumer sees RunInfo 0, then run 0's and run 1's events."""
    from optilab import messages

    job = JobProcess([RunConfig(), RunConfig(), RunConfig()], DataSpec(), jobs=2)

    def info(i):
        return RunInfo(i, 3, RunConfig(), 10, 1, 10, 0, messages.TEXT(text="x"), True, ("W1",))

    def steps(i):
        return StepBatch(i, np.array([1]), np.array([2.0]), np.array([0.1]))

    out: list = []
    for event in (info(1), steps(1), steps(1)):
        job._in_order(event, out)
    assert out == []                                  # run 0 has not been announced yet
    job._in_order(info(0), out)
    assert [(type(e).__name__, getattr(e, "index", getattr(e, "run_index", None))) for e in out] == [
        ("RunInfo", 0), ("RunInfo", 1), ("StepBatch", 1), ("StepBatch", 1)]
    job._in_order(steps(0), out)
    assert out[-1].run_index == 0                     # announced runs pass at once
    job._in_order(Failed(messages.TEXT(text="boom")), out)
    assert isinstance(out[-1], Failed)                # a failure is never held
