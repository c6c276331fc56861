"""Claims across seeds (issue #15 item 2): each lesson's claim measured per seed, counted."""

from __future__ import annotations

import numpy as np

from optilab.training import RunConfig
from optilab.training.claims import CLAIMS, check, per_seed
from optilab.training.experiments import RunResult
from optilab.training.records import History, RunSummary
from optilab.training.seeds import expand


def _result(config: RunConfig, loss, train_acc=0.5, test_acc=0.5) -> RunResult:
    h = History(capacity=4)
    h.add_steps(np.arange(1, len(loss) + 1), np.asarray(loss, dtype=float), np.full(len(loss), 0.01))
    s = RunSummary(config.label, config.to_dict(), "finished", None, len(loss), 1.0, 0.1, float(loss[-1]),
                   train_acc, None, test_acc, 100, 0, 100)
    return RunResult(config, h, 10, s)


def _optimizer_runs(sgd_losses: list[float], momentum_losses: list[float]) -> list[RunResult]:
    labels = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
    configs = expand([RunConfig(label=o, optimizer=o) for o in labels], len(sgd_losses))
    out = []
    for c in configs:
        seed = c.seed
        value = {"sgd": sgd_losses[seed], "momentum": momentum_losses[seed]}.get(c.label, 0.4)
        out.append(_result(c, [value] * 10))
    return out


def test_optimizer_compare_is_counted_per_seed():
    # seed 0: SGD 2.0 against at most 0.5 → holds; seed 1: Momentum 0.9 against SGD 1.0 → not
    results = _optimizer_runs([2.0, 1.0], [0.5, 0.9])
    labels = sorted(("sgd", "momentum", "adagrad", "rmsprop", "adam"))
    assert [sorted(runs) for runs in per_seed(results)] == [labels, labels]
    report = check("optimizer-compare", results)
    assert (report.holds, report.seeds) == (1, 2)
    assert str(report.message) == "claim holds for 1 of 2 seeds: SGD is last"
    assert report.message.code == "training.claim.seeds"


def test_one_seed_says_holds_or_not():
    holds = check("optimizer-compare", _optimizer_runs([3.0], [1.0]))
    assert str(holds.message) == "claim holds: SGD is last"
    # SGD 1.4 is not 1.5× Momentum's 1.0
    assert str(check("optimizer-compare", _optimizer_runs([1.4], [1.0])).message) == "claim does not hold: SGD is last"


def test_a_claim_its_runs_cannot_show_is_none():
    runs = [_result(RunConfig(label="adam", optimizer="adam"), [1.0] * 5)]   # --optimizer adam: labels lost
    assert check("optimizer-compare", runs) is None
    assert check("gd-vs-sgd", runs) is None and "gd-vs-sgd" not in CLAIMS


def test_weight_decay_claim_reads_the_gap():
    plain, wd = RunConfig(label="no regularisation"), RunConfig(label="weight decay λ=0.1", weight_decay=0.1)
    seeds = [(0.30, 0.10), (0.20, 0.25)]          # gaps (plain, wd): shrinks, then does not
    results = []
    for seed, (g_plain, g_wd) in enumerate(seeds):
        results.append(_result(plain.replace(seed=seed), [1.0], train_acc=1.0, test_acc=1.0 - g_plain))
        results.append(_result(wd.replace(seed=seed), [1.0], train_acc=0.9, test_acc=0.9 - g_wd))
    report = check("weight-decay", results)
    assert (report.holds, report.seeds) == (1, 2)


def test_a_session_reports_its_experiments_claim():
    from optilab.lab.training import TrainingSession
    from optilab.training.events import JobDone, RunDone

    results = _optimizer_runs([2.0, 2.0], [0.5, 0.5])
    session = TrainingSession()
    session.start([r.config for r in results], preset="optimizer-compare")
    for i, r in reversed(list(enumerate(results))):          # any order of ending: results in run order
        session.receive(RunDone(i, None, r))
    session.receive(JobDone())
    assert session.results == results
    assert str(session.claim().message) == "claim holds for 2 of 2 seeds: SGD is last"
    assert [g.label for g in session.groups()][:2] == ["sgd", "momentum"]
