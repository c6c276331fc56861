"""Each training lesson's claim (its `Preset.shows` caption) as a function of its runs, per seed.

"Is Adam really better, or was that one run lucky?": a claim is measured on the
runs of one seed (one run per label), and `check` says for how many of the
seeds an experiment was repeated over (`seeds.expand`) it holds — the line
"claim holds for 5 of 5 seeds: SGD is last" of the CLI and of the app's
caption.  tests/audit/test_experiment_claims.py measures the same rules on the
opening mode of each lesson.  The thresholds are the book's statements made
numbers:

* chance level of 10 classes is cross-entropy ln 10 ≈ 2.303 (10 % accuracy);
* "clearly last" is a mean loss over the run at least 1.5× every other's, and
  "much faster" at most half of SGD's;
* "at most weight scales" is at least three quarters of the scales shown (6 of 8);
* "a wide train–test gap" is at least 15 points;
* housing: "Adam's defaults work" is a test R² within 0.05 of the best run's, "SGD
  needs tuning" that SGD at η 0.001 ends with the lowest R² of the runs that
  finish and momentum at η 0.1 diverges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optilab import messages
from optilab.messages import Message, MessageSpec
from optilab.training.experiments import batchnorm_pairs, search_table
from optilab.training.seeds import group

__all__ = ["CLAIMS", "Claim", "ClaimReport", "check", "per_seed"]

CHANCE_LOSS = math.log(10)
CLEARLY_LAST = 1.5
MUCH_FASTER = 0.5
MOST = 0.75
WIDE_GAP = 0.15
CLOSE_R2 = 0.05

HOLDS = messages.declare("training.claim.holds", "claim holds: {claim}")
FAILS = messages.declare("training.claim.fails", "claim does not hold: {claim}")
HOLDS_FOR = messages.declare("training.claim.seeds", "claim holds for {holds} of {seeds} seeds: {claim}")

Runs = Mapping[str, Any]          # one seed's `RunResult`s by label


def _mean_loss(run: Any) -> float:
    return float(np.mean(run.history.loss))


def _final_loss(run: Any) -> float:
    return float(np.mean(run.history.loss[-100:]))


def _gap(run: Any) -> float:
    return float(run.summary.train_acc - run.summary.test_acc)


def optimizer_compare(runs: Runs) -> bool:
    """SGD's mean loss is at least 1.5× every other's; Momentum's, AdaGrad's, Adam's at most half of it."""
    loss = {label: _mean_loss(r) for label, r in runs.items()}
    others = [v for k, v in loss.items() if k != "sgd"]
    return loss["sgd"] >= CLEARLY_LAST * max(others) and all(
        loss[k] <= MUCH_FASTER * loss["sgd"] for k in ("momentum", "adagrad", "adam"))


def init_compare(runs: Runs) -> bool:
    """std 0.01 stays at chance; its final loss > Xavier's > He's; Xavier's below half of chance."""
    final = {k: _final_loss(r) for k, r in runs.items()}
    return (final["std 0.01"] > CHANCE_LOSS - 0.05 and final["std 0.01"] > final["Xavier"] > final["He"]
            and final["Xavier"] < 0.5 * CHANCE_LOSS)


def batchnorm_compare(runs: Runs) -> bool:
    """With BN the final and the mean train accuracy are at least as high at most scales; without it
    scales ≤ 0.01 stay below 20 % and the largest diverges while its BN partner finishes."""
    pairs = batchnorm_pairs(list(runs.values()))
    if not pairs or any(bn is None or plain is None for _, bn, plain in pairs):
        return False
    most = math.ceil(MOST * len(pairs))
    final = sum(bn.history.train_acc[-1] >= plain.history.train_acc[-1] for _, bn, plain in pairs)
    faster = sum(np.mean(bn.history.train_acc) > np.mean(plain.history.train_acc) for _, bn, plain in pairs)
    small = all(plain.history.train_acc[-1] < 0.2 for scale, _, plain in pairs if scale <= 0.01)
    _, bn_big, plain_big = max(pairs, key=lambda p: p[0])
    return (final >= most and faster >= most and small and plain_big.status == "diverged"
            and bn_big.status == "finished")


def overfit(runs: Runs) -> bool:
    """Train accuracy ≥ 95 % with a train–test gap of at least 15 points."""
    run = runs["no regularisation"]
    return bool(run.summary.train_acc >= 0.95 and _gap(run) >= WIDE_GAP)


def weight_decay(runs: Runs) -> bool:
    """λ = 0.1 leaves a smaller train–test gap than no regularisation."""
    return _gap(runs["weight decay λ=0.1"]) < _gap(runs["no regularisation"])


def dropout(runs: Runs) -> bool:
    """Without dropout the gap is wide; dropout narrows it and, at epoch 100, fits less of the training set."""
    plain, drop = runs["no regularisation"], runs["dropout p=0.2"]
    at_100 = int(np.searchsorted(plain.history.eval_epochs, 100))
    return (_gap(plain) >= WIDE_GAP and _gap(drop) < _gap(plain)
            and drop.history.train_acc[at_100] < plain.history.train_acc[at_100])


def random_search(runs: Runs) -> bool:
    """The 5 best trials have η in 1e-3…1e-2, the 3 best above 30 %, their λ over a decade at least,
    and every trial outside that η below the third best."""
    table = search_table(runs.values())
    best = table[:5]
    lams = [math.log10(row["weight_decay"]) for row in best]
    rest = [row["val_acc"] for row in table if not 1e-3 <= row["lr"] <= 1e-2]
    return (all(1e-3 <= row["lr"] <= 1e-2 for row in best) and all(row["val_acc"] > 0.3 for row in best[:3])
            and max(lams) - min(lams) >= 1.0 and max(rest, default=0.0) < best[2]["val_acc"])


def lr_schedules(runs: Runs) -> bool:
    """Every decay ends below constant η (last 100 losses); warm-up's first 100 are above constant's;
    plateau cuts η at least once, each cut by half."""
    final = {k: _final_loss(r) for k, r in runs.items()}
    early = {k: float(np.mean(r.history.loss[:100])) for k, r in runs.items()}
    lr = runs["plateau"].history.lr
    cuts = np.flatnonzero(np.diff(lr) != 0)
    return (all(final[d] < final["constant"] for d in ("step", "exponential", "1/t", "cosine"))
            and early["warm-up"] > early["constant"] and len(cuts) >= 1
            and bool(np.all(np.isclose(lr[cuts + 1] / lr[cuts], 0.5))))


def housing(runs: Runs) -> bool:
    """Adam's test R² within 0.05 of the best run's; SGD η 0.001 the lowest R² of the runs that
    finish; momentum η 0.1 diverges; the plateau schedule cuts η at least once."""
    finished = {k: r.summary.r2 for k, r in runs.items() if r.status == "finished"}
    lr = runs["Adam + plateau"].history.lr
    return (finished["Adam"] >= max(finished.values()) - CLOSE_R2
            and min(finished, key=lambda k: finished[k]) == "SGD η=0.001"
            and runs["momentum η=0.1"].status == "diverged" and bool(np.any(np.diff(lr) != 0)))


# -- CS231n lecture 7 (lessons_cs231n) ------------------------------------------------

def l1(runs: Runs) -> bool:
    """With L1 at least half the weights are near zero (under 5 % without), the gap is smaller and
    the training images are fitted less."""
    from optilab.training.regularisers import sparsity

    plain, reg = runs["no regularisation"], runs["L1 λ₁=0.01"]
    return (sparsity(reg) >= 0.5 and sparsity(plain) < 0.05 and _gap(reg) < _gap(plain)
            and reg.summary.train_acc < plain.summary.train_acc)


def augmentation(runs: Runs) -> bool:
    """Augmentation leaves a smaller train–test gap and a higher test accuracy."""
    plain, aug = runs["no augmentation"], runs["augmentation"]
    return _gap(aug) < _gap(plain) and aug.summary.test_acc > plain.summary.test_acc


def ensemble(runs: Runs) -> bool:
    """The ensemble's test accuracy is above its members' mean and above its best member's."""
    from optilab.training.regularisers import ensemble_accuracy

    members = list(runs.values())
    accs = [m.summary.test_acc for m in members]
    acc = ensemble_accuracy(members)
    return len(members) >= 2 and acc > float(np.mean(accs)) and acc > max(accs)


def transfer(runs: Runs) -> bool:
    """Pre-trained frozen layers beat random frozen ones (2 frozen); freezing 1 beats 2 beats 4;
    from scratch is at least as good as the best pre-trained run."""
    acc = {k: r.summary.test_acc for k, r in runs.items()}
    f1, f2, f4 = (acc[f"pre-trained, {n} layer{'s' if n > 1 else ''} frozen"] for n in (1, 2, 4))
    return f2 > acc["random, 2 layers frozen"] and f1 > f2 > f4 and acc["from scratch"] >= f1


@dataclass(frozen=True)
class Claim:
    """A lesson's claim: its short ``text`` and the ``test`` on one seed's runs by label."""

    text: MessageSpec
    test: Callable[[Runs], bool]


def _claim(preset: str, text: str, test: Callable[[Runs], bool]) -> tuple[str, Claim]:
    return preset, Claim(messages.declare(f"training.claim.{preset.replace('-', '_')}", text), test)


#: The claim of each training preset (the others — histograms, trajectories — train no runs).
CLAIMS: Mapping[str, Claim] = dict([
    _claim("optimizer-compare", "SGD is last", optimizer_compare),
    _claim("init-compare", "std 0.01 stays at chance, He learns fastest", init_compare),
    _claim("batchnorm-compare", "batch norm learns as well and faster at most scales", batchnorm_compare),
    _claim("overfit", "train accuracy near 100 %, test accuracy far below", overfit),
    _claim("weight-decay", "weight decay shrinks the train–test gap", weight_decay),
    _claim("dropout", "dropout narrows the gap and fits slower", dropout),
    _claim("random-search", "the best runs have η between 0.001 and 0.01", random_search),
    _claim("lr-schedules", "every decay ends below constant η", lr_schedules),
    _claim("housing", "Adam's defaults work where SGD needs tuning", housing),
    _claim("l1", "L1 drives most weights to near zero and narrows the gap", l1),
    _claim("augmentation", "augmentation shrinks the train–test gap and raises test accuracy", augmentation),
    _claim("ensemble", "the ensemble beats its members' mean and its best member", ensemble),
    _claim("transfer", "pre-trained features beat random ones, fewer frozen is better, scratch does as well",
           transfer),
])


def per_seed(results: Sequence[Any]) -> list[dict[str, Any]]:
    """The runs of each seed: the i-th run (in seed order) of every label, ``{label: RunResult}``;
    a seed some label lacks (a stopped experiment) is left out."""
    groups = group(results)
    k = min((len(g.results) for g in groups), default=0)
    return [{g.label: g.results[i] for g in groups} for i in range(k)]


@dataclass(frozen=True)
class ClaimReport:
    """How many of the ``seeds`` measured the claim held for."""

    claim: Message
    holds: int
    seeds: int

    @property
    def message(self) -> Message:
        """"claim holds for 4 of 5 seeds: SGD is last" (one seed: "claim holds: …" / "… does not hold: …")."""
        if self.seeds == 1:
            return (HOLDS if self.holds else FAILS)(claim=self.claim)
        return HOLDS_FOR(holds=self.holds, seeds=self.seeds, claim=self.claim)


def check(preset: str, results: Sequence[Any]) -> ClaimReport | None:
    """The claim of ``preset`` measured on each seed of ``results``; None when the preset has no
    claim or its runs cannot show it (a label missing after an override, too short a run)."""
    claim = CLAIMS.get(preset)
    if claim is None:
        return None
    verdicts = []
    for runs in per_seed(results):
        try:
            verdicts.append(bool(claim.test(runs)))
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):   # the runs lack what it reads
            return None
    return ClaimReport(claim.text(), sum(verdicts), len(verdicts)) if verdicts else None
