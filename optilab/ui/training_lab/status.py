"""The training lab's status line and speed figure, composed from the job's state (no widgets).

A divergence the lesson expects (the no-BN side of the batch-norm
experiment, `bn_view.expected_divergence`) is reported as the result it is,
never as a failure with advice to lower η; it/s and ETA show only while a
run is moving ("paused" while paused, nothing once the job ended).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from optilab.training import RunConfig, RunResult
from optilab.ui.i18n import tr
from optilab.ui.training_lab.bn_view import expected_divergence, pair_by_scale


def format_eta(seconds: float) -> str:
    """12 → "0:12", 3725 → "1:02:05"; "—" when unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    s = int(round(seconds))
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


def unexpected_divergences(results: Sequence[RunResult], configs: Sequence[RunConfig]) -> list[RunResult]:
    """The diverged runs that are a failure (not the lesson's expected outcome)."""
    return [r for r in results if r.status == "diverged" and not expected_divergence(r.config, configs)]


def expected_count(results: Sequence[RunResult], configs: Sequence[RunConfig]) -> tuple[int, int]:
    """(weight scales whose no-BN run diverged as expected, weight scales in the job)."""
    groups = pair_by_scale(configs)
    diverged = {repr(r.config.init) for r in results
                if r.status == "diverged" and expected_divergence(r.config, configs)}
    return sum(1 for scale, _runs in groups if repr(scale) in diverged), len(groups)


def status_text(status: str, info: Any, run_iterations: int, results: Sequence[RunResult],
                configs: Sequence[RunConfig]) -> str | None:
    """The status line for ``status`` ("running", "paused", "diverged", "stopped", "finished",
    "error"); None for a state that keeps the current text.  ``info`` is the current `RunInfo`."""
    total_runs = info.count if info else 1
    which = ""
    if info is not None and total_runs > 1:
        which = tr("run {i}/{n} “{label}”: ").format(i=info.index + 1, n=total_runs, label=info.config.label)
    elif info is not None:
        which = f"“{info.config.label}”: "
    it = f"{run_iterations:,}/{info.total_iterations:,}" if info else ""
    if status == "running":
        return tr("Running — {which}iteration {it}").format(which=which, it=it)
    if status == "paused":
        return tr("Paused — {which}iteration {it}").format(which=which, it=it)
    if status == "diverged":
        div = next(iter(unexpected_divergences(results, configs)), None)
        k = div.summary.diverged_at if div else "?"
        label = div.config.label if div else ""
        return tr("Diverged at step {k} (“{label}”: the loss became NaN or infinite; try a smaller η)").format(
            k=k, label=label)
    if status == "stopped":
        return tr("Stopped — {which}iteration {it}").format(which=which, it=it)
    if status == "finished":
        bad, scales = expected_count(results, configs)
        if bad:
            return tr("Finished — no-BN diverged at {k} of {n} scales, as expected").format(k=bad, n=scales)
        return tr("Finished — {n} run(s)").format(n=len(results))
    if status == "error":
        return tr("Error — see the message below")
    return None
