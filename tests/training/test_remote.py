"""JobProcess: training in a child process, controlled through pipes."""

from __future__ import annotations

import time

import numpy as np

from optilab.training import RunConfig, Trainer
from optilab.training.remote import DataSpec, JobProcess


def drain(proc: JobProcess, until=None, limit: float = 60.0) -> list[tuple]:
    got: list[tuple] = []
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
    kinds = [m[0] for m in msgs]
    assert kinds[0] == "run_started" and kinds[-1] == "done" and kinds.count("run_done") == 2
    assert "error" not in kinds
    losses = np.concatenate([m[3] for m in msgs if m[0] == "steps" and m[1] == 0])
    local = Trainer(cfg, blob_data)
    local.run()
    np.testing.assert_array_equal(losses, local.history.loss)      # same seed, same numbers
    result = next(m[2] for m in msgs if m[0] == "run_done" and m[1] == 0)
    np.testing.assert_array_equal(result.history.test_acc, local.history.test_acc)
    evals = [m[2].iteration for m in msgs if m[0] == "evaluation" and m[1] == 0]
    assert evals == [0, 20, 40, 60]


def test_stop_ends_the_job_quickly_and_skips_later_runs(blob_data):
    cfg = RunConfig(hidden=(16,), batch_size=50, iterations=10_000_000)
    proc = JobProcess([cfg, cfg], DataSpec("dataset", dataset=blob_data))
    proc.start()
    drain(proc, until=lambda m, got: sum(g[0] == "steps" for g in got) >= 2)
    t0 = time.monotonic()
    proc.stop()
    msgs = drain(proc, limit=10)
    elapsed = time.monotonic() - t0
    proc.close()
    done = [m for m in msgs if m[0] == "run_done"]
    assert len(done) == 1 and done[0][2].summary["status"] == "stopped"
    assert msgs[-1] == ("done",)
    assert elapsed < 5  # generous: a stuck child would run for hours


def test_pause_resume_and_live_lr(blob_data):
    cfg = RunConfig(hidden=(16,), batch_size=50, iterations=3000, optimizer="sgd", hparams={"lr": 0.1})
    proc = JobProcess([cfg], DataSpec("dataset", dataset=blob_data))
    proc.start()
    drain(proc, until=lambda m, got: m[0] == "steps")
    proc.pause()
    proc.set_lr(0.02)
    msgs = drain(proc, limit=1.0)           # paused: nothing but the flushed steps
    last_paused = max([int(m[2][-1]) for m in msgs if m[0] == "steps"] or [0])
    again = drain(proc, limit=0.5)
    assert not [m for m in again if m[0] == "steps"]
    proc.resume()
    rest = drain(proc)
    proc.close()
    lrs = np.concatenate([m[4] for m in rest if m[0] == "steps"])
    its = np.concatenate([m[2] for m in rest if m[0] == "steps"])
    assert its[0] > last_paused - 1 and its[-1] == 3000
    # the iteration in flight when the pause arrived may still use the old η
    assert lrs[0] in (0.1, 0.02)
    np.testing.assert_allclose(lrs[1:], 0.02)


def test_a_failing_job_reports_an_error_then_done():
    proc = JobProcess([RunConfig(hidden=(8,), iterations=5)], DataSpec("folder", "/nonexistent/mnist"))
    proc.start()
    msgs = drain(proc)
    proc.close()
    assert msgs[-1] == ("done",)
    errors = [m[1] for m in msgs if m[0] == "error"]
    assert len(errors) == 1 and "/nonexistent/mnist" in errors[0]
