"""JobProcess: training in a child process, controlled through pipes."""

from __future__ import annotations

import time

import numpy as np

from optilab.training import RunConfig, Trainer
from optilab.training.events import Evaluated, Failed, JobDone, RunDone, RunInfo, StepBatch
from optilab.training.records import Finished
from optilab.training.remote import DataSpec, JobProcess


def drain(proc: JobProcess, until=None, limit: float = 60.0) -> list:
    got: list = []
    end = time.monotonic() + limit
    while not proc.done and time.monotonic() < end:
        for msg in proc.messages(0.05):
            got.append(msg)
            if until is not None and until(msg, got):
                return got
    return got


def test_child_trains_exactly_like_an_in_process_trainer(blob_data):
    cfg = RunConfig(hidden=(16,), batch_size=50, iterations=60, eval_interval=20, optimizer="sgd",
                    hparams={"lr": 0.1}, seed=3)
    proc = JobProcess([cfg, cfg.replace(label="second", seed=4)], DataSpec("dataset", dataset=blob_data))
    proc.start()
    msgs = drain(proc)
    proc.close()
    kinds = [type(m) for m in msgs]
    assert kinds[0] is RunInfo and kinds[-1] is JobDone and kinds.count(RunDone) == 2
    assert Failed not in kinds
    assert msgs[0].config == cfg and msgs[0].count == 2 and msgs[0].total_iterations == 60
    losses = np.concatenate([m.loss for m in msgs if isinstance(m, StepBatch) and m.run_index == 0])
    local = Trainer(cfg, blob_data)
    fin = local.run()
    np.testing.assert_array_equal(losses, local.history.loss)      # same seed, same numbers
    done = next(m for m in msgs if isinstance(m, RunDone) and m.run_index == 0)
    np.testing.assert_array_equal(done.result.history.test_acc, local.history.test_acc)
    assert isinstance(done.finished, Finished) and done.finished.status == fin.status == "finished"
    assert done.result.summary.iterations == 60 and done.result.summary.to_dict() == {
        **local.summary().to_dict(), "elapsed_s": done.result.summary.elapsed_s}
    evals = [m.evaluation.iteration for m in msgs if isinstance(m, Evaluated) and m.run_index == 0]
    assert evals == [0, 20, 40, 60]


def test_stop_ends_the_job_quickly_and_skips_later_runs(blob_data):
    cfg = RunConfig(hidden=(16,), batch_size=50, iterations=10_000_000)
    proc = JobProcess([cfg, cfg], DataSpec("dataset", dataset=blob_data), jobs=1)   # one after the other
    proc.start()
    drain(proc, until=lambda m, got: sum(isinstance(g, StepBatch) for g in got) >= 2)
    t0 = time.monotonic()
    proc.stop()
    msgs = drain(proc, limit=10)
    elapsed = time.monotonic() - t0
    proc.close()
    done = [m for m in msgs if isinstance(m, RunDone)]
    assert len(done) == 1 and done[0].result.summary.status == done[0].finished.status == "stopped"
    assert msgs[-1] == JobDone()
    assert elapsed < 5  # generous: a stuck child would run for hours


def test_pause_resume_and_live_lr(blob_data):
    cfg = RunConfig(hidden=(16,), batch_size=50, iterations=3000, optimizer="sgd", hparams={"lr": 0.1})
    proc = JobProcess([cfg], DataSpec("dataset", dataset=blob_data))
    proc.start()
    drain(proc, until=lambda m, got: isinstance(m, StepBatch))
    proc.pause()
    proc.set_lr(0.02)
    msgs = drain(proc, limit=1.0)           # paused: nothing but the flushed steps
    last_paused = max([m.last_iteration for m in msgs if isinstance(m, StepBatch)] or [0])
    again = drain(proc, limit=0.5)
    assert not [m for m in again if isinstance(m, StepBatch)]
    proc.resume()
    rest = drain(proc)
    proc.close()
    lrs = np.concatenate([m.lr for m in rest if isinstance(m, StepBatch)])
    its = np.concatenate([m.iterations for m in rest if isinstance(m, StepBatch)])
    assert its[0] > last_paused - 1 and its[-1] == 3000
    # the iteration in flight when the pause arrived may still use the old η
    assert lrs[0] in (0.1, 0.02)
    np.testing.assert_allclose(lrs[1:], 0.02)


def test_a_failing_job_reports_an_error_then_done():
    proc = JobProcess([RunConfig(hidden=(8,), iterations=5)], DataSpec("folder", "/nonexistent/mnist"))
    proc.start()
    msgs = drain(proc)
    proc.close()
    assert msgs[-1] == JobDone()
    errors = [m.message for m in msgs if isinstance(m, Failed)]
    assert len(errors) == 1 and "/nonexistent/mnist" in str(errors[0])


def test_an_unexpected_fault_in_the_child_names_its_type(blob_data):
    """A bug (here: images without a pixel axis) is no bad input: its message names the exception type."""
    from optilab.data import Dataset

    broken = Dataset(np.zeros(50, np.float32), np.zeros(50, np.int64), np.zeros(5, np.float32),
                     np.zeros(5, np.int64), source="broken")
    proc = JobProcess([RunConfig(hidden=(8,), iterations=5)], DataSpec("dataset", dataset=broken))
    proc.start()
    msgs = drain(proc)
    proc.close()
    (failed,) = [m for m in msgs if isinstance(m, Failed)]
    assert failed.message.code == "training.crashed" and str(failed.message).startswith("IndexError: ")
