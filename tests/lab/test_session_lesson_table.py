"""`TrainingSession.table`: a CS231n lesson's table of the runs a job sent back (Qt-free)."""

from __future__ import annotations

import numpy as np

from optilab.data import Dataset
from optilab.lab.training import TrainingSession
from optilab.training import RunConfig, Trainer
from optilab.training.events import JobDone, RunDone
from optilab.training.experiments import RunResult


def _data() -> Dataset:
    rng = np.random.default_rng(0)
    w = rng.standard_normal((16, 10))
    x = rng.random((600, 16), dtype=np.float32)
    t = np.argmax((x - 0.5) @ w, axis=1).astype(np.int64)
    return Dataset(x[:500], t[:500], x[500:], t[500:], source="synthetic")


def _job(session: TrainingSession, configs: list[RunConfig], preset: str) -> list[RunResult]:
    session.start(configs, preset=preset, kind="ensemble")
    results = []
    for i, cfg in enumerate(configs):
        tr = Trainer(cfg, _data())
        fin = tr.run()
        results.append(RunResult.from_trainer(tr))
        session.receive(RunDone(i, fin, results[-1]))
    session.receive(JobDone())
    return results


def test_an_ensemble_job_has_its_table_of_members_and_the_average():
    session = TrainingSession()
    configs = [RunConfig(hidden=(8,), iterations=30, keep_probabilities=True, seed=s, label=f"member {s + 1}",
                         snapshots=0, hparams={"lr": 0.1}) for s in range(3)]
    results = _job(session, configs, "ensemble")
    assert session.has_table()
    rows = {row["run"]: row["test_acc"] for row in session.table()}
    average = np.mean([r.test_probabilities for r in results], axis=0)
    assert rows["ensemble"] == float(np.mean(average.argmax(axis=1) == _data().t_test))
    assert rows["mean of members"] == np.mean([r.summary.test_acc for r in results])


def test_runs_without_probabilities_give_no_table_rather_than_an_error():
    session = TrainingSession()
    _job(session, [RunConfig(hidden=(8,), iterations=5, snapshots=0, label="member 1")], "ensemble")
    assert session.table() == []
    assert not TrainingSession().has_table()
