"""The training lab's status line and speed figure, in words, from its `TrainingSession` (no widgets).

A divergence the lesson expects (the no-BN side of the batch-norm
experiment, `optilab.training.experiments.expected_divergence`) is reported as the result it is,
never as a failure with advice to lower η; it/s and ETA show only while a
run is moving ("paused" while paused, nothing once the job ended).
"""

from __future__ import annotations

import math

from optilab.lab.training import TrainingSession
from optilab.training.experiments import is_bn_comparison, pair_by_scale
from optilab.ui.i18n import tr


def format_eta(seconds: float) -> str:
    """12 → "0:12", 3725 → "1:02:05"; "—" when unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def rate_text(status: str, rate: float, eta: float) -> str:
    """The speed figure beside the progress bar for a job in ``status``."""
    if status == "running":
        shown = "—" if not math.isfinite(rate) else f"{rate:,.0f}"
        return tr("{rate} it/s · ETA {eta}").format(rate=shown, eta=format_eta(eta))
    if status == "paused":
        return tr("paused")
    return ""


def expected_count(session: TrainingSession) -> tuple[int, int]:
    """(weight scales whose no-BN run diverged as expected, weight scales in the job)."""
    groups = pair_by_scale(session.configs)
    diverged = {repr(r.config.init) for r in session.expected_divergences()}
    return sum(1 for scale, _runs in groups if repr(scale) in diverged), len(groups)


def status_text(status: str, session: TrainingSession) -> str | None:
    """The status line for ``status`` ("running", "paused", "diverged", "stopped", "finished",
    "error") of the job ``session`` holds; None for a state that keeps the current text."""
    info, run_iterations = session.current, session.run_iterations
    total_runs = info.count if info else 1
    which = ""
    if info is not None and total_runs > 1:
        which = tr("run {i}/{n} “{label}”: ").format(i=info.index + 1, n=total_runs, label=tr(info.config.label))
    elif info is not None:
        which = f"“{tr(info.config.label)}”: "
    it = f"{run_iterations:,}/{info.total_iterations:,}" if info else ""
    if status == "running":
        return tr("Running — {which}iteration {it}").format(which=which, it=it)
    if status == "paused":
        return tr("Paused — {which}iteration {it}").format(which=which, it=it)
    if status == "diverged":
        div = next(iter(session.unexpected_divergences()), None)
        k = div.summary.diverged_at if div else "?"
        label = tr(div.config.label) if div else ""
        return tr("Diverged at step {k} (“{label}”: the loss became NaN or infinite; try a smaller η)").format(
            k=k, label=label)
    if status == "stopped":
        return tr("Stopped — {which}iteration {it}").format(which=which, it=it)
    if status == "finished":
        bad, scales = expected_count(session)
        if bad and is_bn_comparison(session.configs):
            return tr("Finished — no-BN diverged at {k} of {n} scales, as expected").format(k=bad, n=scales)
        if session.expected_divergences():     # a lesson's too-large η (housing)
            return tr("Finished — {n} run(s); {k} diverged, as the lesson expects").format(
                n=len(session.results), k=len(session.expected_divergences()))
        return tr("Finished — {n} run(s)").format(n=len(session.results))
    if status == "error":
        return tr("Error — see the message below")
    return None
