"""Weight snapshots while training (issue #14, item 2): which iterations, within which bytes, what the
rows hold, how a run that ends early ends them, and that recording changes nothing of the run."""

from __future__ import annotations

import json
import pickle

import numpy as np

from optilab import scenario
from optilab.training import RunConfig, RunResult, Trainer
from optilab.training.events import JobDone, RunDone
from optilab.training.memory import estimate_bytes
from optilab.training.remote import DataSpec, JobProcess
from optilab.training.snapshots import (
    JOB_SNAPSHOT_BYTES,
    SNAPSHOT_BYTES,
    Layout,
    Recorder,
    job_share,
    snapshot_count,
    snapshot_iterations,
)


def small(**kw) -> RunConfig:
    base = dict(hidden=(16,), batch_size=50, iterations=20, optimizer="sgd", hparams={"lr": 0.1})
    base.update(kw)
    return RunConfig(**base)


def test_the_iterations_are_evenly_spaced_with_the_first_and_the_last():
    assert snapshot_iterations(2000, 41).tolist() == list(range(0, 2001, 50))
    its = snapshot_iterations(2000, 40)
    assert len(its) == 40 and its[0] == 0 and its[-1] == 2000
    assert np.all(np.abs(np.diff(its) - 2000 / 39) <= 1)          # round(i·T/39): spacing 51.28…
    assert snapshot_iterations(10, 3).tolist() == [0, 5, 10]
    assert snapshot_iterations(5, 100).tolist() == [0, 1, 2, 3, 4, 5]  # at most T + 1
    assert snapshot_iterations(7, 1).tolist() == [7]                  # one: the final weights
    assert snapshot_iterations(7, 0).tolist() == []


def test_the_count_is_held_to_the_byte_budget():
    p = 784 * 100 + 100 + 3 * (100 * 100 + 100) + 100 * 10 + 10       # the book net
    assert p == 109_810
    assert snapshot_count(40, p) == 40
    assert snapshot_count(10_000, p) == 64 * 2**20 // (4 * 109_810) == 152
    assert snapshot_count(10, p, budget=3 * 4 * p) == 3
    assert snapshot_count(10, p, budget=4 * p - 1) == 0


def test_a_job_s_runs_share_its_budget():
    assert SNAPSHOT_BYTES == 64 * 2**20 and JOB_SNAPSHOT_BYTES == 256 * 2**20
    assert job_share(1) == job_share(4) == 64 * 2**20               # 256 MiB / 4 = 64 MiB
    assert job_share(5) == 256 * 2**20 // 5
    assert job_share(20) == 256 * 2**20 // 20                      # 12.8 MiB: 30 snapshots of the book net
    assert job_share(3, job_bytes=30) == 10


def test_a_run_keeps_k_rows_at_the_chosen_iterations_equal_to_its_weights_then(blob_data):
    config = small(snapshots=5)
    trainer = Trainer(config, blob_data)
    trainer.run()
    snaps = trainer.snapshots
    assert snaps.iterations.tolist() == [0, 5, 10, 15, 20]
    assert snaps.weights.shape == (5, 20 * 16 + 16 + 16 * 3 + 3) and snaps.weights.dtype == np.float32
    twin = Trainer(config.replace(snapshots=0), blob_data)         # the same run, stepped by hand
    layout = Layout.of(twin.net.params)
    assert layout == snaps.layout
    expected = [layout.flatten(twin.net.params).copy()]
    while not twin.done:
        twin.step()
        if twin.iteration % 5 == 0:
            expected.append(layout.flatten(twin.net.params).copy())
    np.testing.assert_array_equal(snaps.weights, np.array(expected))
    np.testing.assert_array_equal(snaps.final, layout.flatten(trainer.net.params))


def test_the_budget_argument_bounds_the_rows(blob_data):
    p = 20 * 16 + 16 + 16 * 3 + 3
    trainer = Trainer(small(snapshots=10), blob_data, snapshot_bytes=3 * 4 * p + 7)
    trainer.run()
    assert trainer.snapshots.iterations.tolist() == [0, 10, 20]
    assert trainer.snapshots.nbytes == 3 * 4 * p


def test_a_full_recorder_ignores_further_iterations():
    params = {"W1": np.ones((2, 3), np.float32), "b1": np.zeros(3, np.float32)}
    recorder = Recorder(Layout.of(params), 4, 2)
    assert recorder.planned.tolist() == [0, 4]
    for iteration in (0, 1, 4, -1, 5, 4):
        recorder.record(iteration, params)
    snaps = recorder.snapshots(4, params)
    assert snaps.iterations.tolist() == [0, 4] and snaps.weights.shape == (2, 9)


def test_no_snapshots_keeps_none(blob_data):
    trainer = Trainer(small(snapshots=0), blob_data)
    trainer.run()
    assert trainer.snapshots is None and RunResult.from_trainer(trainer).snapshots is None


def test_a_stopped_run_ends_its_snapshots_where_it_stopped(blob_data):
    trainer = Trainer(small(snapshots=5), blob_data)
    trainer.observers.append(lambda rec: getattr(rec, "iteration", 0) == 7 and trainer.request_stop())
    fin = trainer.run()
    assert fin.status == "stopped" and trainer.iteration == 7
    snaps = trainer.snapshots
    assert snaps.iterations.tolist() == [0, 5, 7]
    np.testing.assert_array_equal(snaps.final, snaps.layout.flatten(trainer.net.params))
    assert trainer.snapshots.iterations.tolist() == [0, 5, 7]     # asking again changes nothing


def test_a_diverged_run_keeps_what_it_had_before_the_bad_step(blob_data):
    trainer = Trainer(small(hparams={"lr": 1e3}, iterations=100, snapshots=101), blob_data)
    fin = trainer.run()
    assert fin.status == "diverged" and 1 < trainer.iteration < 100
    snaps = trainer.snapshots
    # the weights at trainer.iteration gave the loss that was not finite: the rows end one before
    assert snaps.iterations.tolist() == list(range(trainer.iteration))
    assert np.isfinite(snaps.weights).all()


def test_batch_norm_running_statistics_come_with_the_snapshots(blob_data):
    trainer = Trainer(small(hidden=(16, 8), batchnorm=True, snapshots=3), blob_data)
    trainer.run()
    running = trainer.snapshots.running
    assert len(running) == 2
    for (mean, var), bn, width in zip(running, trainer.net.bn_layers, (16, 8), strict=True):
        assert mean.shape == var.shape == (width,)
        np.testing.assert_array_equal(mean, bn.running_mean)
        np.testing.assert_array_equal(var, bn.running_var)
        assert not np.array_equal(var, np.ones(width))            # trained: no longer the initial 1
    assert {Layout.kind(k) for k, _ in trainer.snapshots.layout.entries} == {"weight", "bias", "bn"}
    plain = Trainer(small(snapshots=3), blob_data)
    plain.run()
    assert plain.snapshots.running == ()


def test_recording_changes_nothing_of_the_run(blob_data):
    def run(k):
        trainer = Trainer(small(iterations=60, snapshots=k, eval_interval=20), blob_data)
        trainer.run()
        return trainer
    base, some, every = run(0), run(40), run(61)
    for other in (some, every):
        np.testing.assert_array_equal(other.history.loss, base.history.loss)
        np.testing.assert_array_equal(other.history.test_acc, base.history.test_acc)
        for key, value in base.net.params.items():
            np.testing.assert_array_equal(other.net.params[key], value)


def test_the_setting_defaults_to_40_and_old_scenarios_load_with_it():
    assert RunConfig().snapshots == 40
    assert RunConfig.from_dict({"snapshots": 7.0}).snapshots == 7
    doc = scenario.Scenario(training=RunConfig(snapshots=12)).to_dict()
    assert doc["training"]["snapshots"] == 12
    assert scenario.loads(json.dumps(doc)).training.snapshots == 12
    del doc["training"]["snapshots"]                                # a scenario saved before the setting
    assert scenario.loads(json.dumps(doc)).training.snapshots == 40


def test_the_memory_estimate_counts_the_snapshots():
    p = 784 * 100 + 100 + 100 * 10 + 10
    size = {k: estimate_bytes(RunConfig(hidden=(100,), snapshots=k), 3000, 784, 10) for k in (0, 40, 10_000)}
    assert size[40] - size[0] == 40 * p * 4
    assert size[10_000] - size[0] == (SNAPSHOT_BYTES // (4 * p)) * p * 4
    bn = {k: estimate_bytes(RunConfig(hidden=(100,), batchnorm=True, snapshots=k), 3000, 784, 10) for k in (0, 1)}
    assert bn[1] - bn[0] == (p + 2 * 100) * 4                      # γ, β are weights; running stats are not


def test_a_run_result_with_snapshots_pickles(blob_data):
    trainer = Trainer(small(snapshots=4, batchnorm=True), blob_data)
    trainer.run()
    back = pickle.loads(pickle.dumps(RunResult.from_trainer(trainer)))
    np.testing.assert_array_equal(back.snapshots.weights, trainer.snapshots.weights)
    assert back.snapshots.layout == trainer.snapshots.layout and len(back.snapshots.running) == 1


def test_snapshots_arrive_from_the_training_process_each_run_within_its_share():
    configs = [RunConfig(hidden=(10,), iterations=30, label=o, optimizer=o, snapshots=40) for o in ("sgd", "adam")]
    p = 784 * 10 + 10 + 10 * 10 + 10
    job = JobProcess(configs, DataSpec("sample"), snapshot_bytes=2 * 4 * 4 * p)   # 4 snapshots per run
    job.start()
    events = []
    try:
        while not (events and isinstance(events[-1], JobDone)):
            events += job.messages(5.0)
    finally:
        job.close()
    done = sorted((e for e in events if isinstance(e, RunDone)), key=lambda e: e.run_index)  # in parallel: any order
    assert [d.result.config.label for d in done] == ["sgd", "adam"]
    for d in done:
        assert d.result.snapshots.iterations.tolist() == [0, 10, 20, 30]
        assert d.result.snapshots.weights.shape == (4, p)
    assert not np.array_equal(done[0].result.snapshots.final, done[1].result.snapshots.final)
    np.testing.assert_array_equal(done[0].result.snapshots.weights[0], done[1].result.snapshots.weights[0])
