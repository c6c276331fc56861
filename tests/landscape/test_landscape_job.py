"""The loss landscape computed in a child process (issue #14, item 3: progress and cancel while computing,
the GUI responsive): its events, a cancel that ends it quickly, a killed child reported in one line."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from optilab import data
from optilab.landscape import LandscapeOptions
from optilab.landscape.job import LandscapeDone, LandscapeJob, LandscapeProgress
from optilab.training import RunConfig, RunResult, Trainer
from optilab.training.cancellable import Throttle
from optilab.training.events import Failed, JobDone
from optilab.training.remote import DataSpec


@pytest.fixture(scope="module")
def tiny_result() -> RunResult:
    """A tiny run on the bundled sample: hidden (10,), 30 iterations, every iteration kept."""
    trainer = Trainer(RunConfig(hidden=(10,), iterations=30, snapshots=31), data.load(sample=True))
    trainer.run()
    return RunResult.from_trainer(trainer)


def drain(job: LandscapeJob, limit: float = 60.0) -> list:
    events: list = []
    end = time.monotonic() + limit
    while not (events and isinstance(events[-1], JobDone)) and time.monotonic() < end:
        events += job.messages(0.5)
    return events


def test_the_job_streams_increasing_progress_then_the_landscape(tiny_result):
    options = LandscapeOptions(grid=21, samples=8000, directions="pca")    # several chunks of grid points
    job = LandscapeJob([tiny_result], DataSpec("sample"), options, title="tiny", max_rate=1000.0)
    job.start()
    try:
        events = drain(job)
    finally:
        job.close()
    assert isinstance(events[-1], JobDone) and isinstance(events[-2], LandscapeDone)
    progress = [e for e in events if isinstance(e, LandscapeProgress)]
    assert len(progress) >= 3 and all(e.total == 21 * 21 for e in progress)
    done = [e.done for e in progress]
    assert done == sorted(set(done)) and done[-1] == 21 * 21       # strictly increasing, ending at the total
    landscape = events[-2].landscape
    assert landscape.loss.shape == (21, 21) and landscape.title == "tiny"
    assert len(landscape.paths) == 1 and landscape.paths[0].iterations.tolist() == list(range(31))
    assert not [e for e in events if isinstance(e, Failed)]


def test_progress_is_sent_at_most_max_rate_times_a_second_and_always_the_last():
    sent: list = []
    progress = Throttle(sent.append, LandscapeProgress, max_rate=20.0)
    start = time.perf_counter()
    for done in range(1, 4001):                  # 4,000 chunks in a tight loop, then 0.12 s of waiting
        progress(done, 4001)
    time.sleep(0.12)
    progress(4001, 4001)
    seconds = time.perf_counter() - start
    assert sent[0] == LandscapeProgress(1, 4001) and sent[-1] == LandscapeProgress(4001, 4001)
    assert len(sent) <= 20.0 * seconds + 2


def test_cancel_ends_the_job_quickly_with_the_cancel_message(tiny_result):
    options = LandscapeOptions(grid=201, samples=8000, directions="random")   # minutes of work
    job = LandscapeJob([tiny_result], DataSpec("sample"), options)
    job.start()
    try:
        events: list = []
        while not any(isinstance(e, LandscapeProgress) for e in events):
            events += job.messages(0.5)
            assert not (events and isinstance(events[-1], JobDone)), events
        asked = time.monotonic()
        job.cancel()
        events += drain(job, limit=10.0)
        took = time.monotonic() - asked
    finally:
        job.close()
    assert isinstance(events[-1], JobDone) and took < 5.0
    failed = [e for e in events if isinstance(e, Failed)]
    assert len(failed) == 1 and failed[0].message.code == "landscape.cancelled"
    assert not [e for e in events if isinstance(e, LandscapeDone)]
    assert max(e.done for e in events if isinstance(e, LandscapeProgress)) < 201 * 201


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_child_is_one_failed_line_then_job_done(tiny_result):
    job = LandscapeJob([tiny_result], DataSpec("sample"), LandscapeOptions(grid=201, samples=8000))
    job.start()
    try:
        os.kill(job.pid, signal.SIGKILL)
        events = drain(job, limit=10.0)
    finally:
        job.close()
    assert isinstance(events[-1], JobDone)
    failed = [e for e in events if isinstance(e, Failed)]
    assert len(failed) == 1 and failed[0].message.code == "training.died"
    assert "killed by signal 9 (SIGKILL)" in str(failed[0].message)


def test_a_run_without_snapshots_fails_in_one_line(tiny_result):
    plain = RunResult(tiny_result.config.replace(label="plain"), tiny_result.history, tiny_result.iters_per_epoch,
                      tiny_result.summary, None)
    job = LandscapeJob([plain], DataSpec("sample"), LandscapeOptions(grid=5, samples=100))
    job.start()
    try:
        events = drain(job)
    finally:
        job.close()
    assert [type(e) for e in events] == [Failed, JobDone]
    assert events[0].message.code == "landscape.no_snapshots"
