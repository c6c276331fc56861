"""The training lab's landscape job as a Qt-free model: when it is offered, its states, its cache."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from optilab.lab import landscape as model
from optilab.lab.training import TrainingSession
from optilab.landscape import Landscape, LandscapeOptions
from optilab.landscape.types import cancelled
from optilab.messages import Message
from optilab.training import RunConfig, Trainer
from optilab.training.events import JobDone, RunDone
from optilab.training.experiments import RunResult


@pytest.fixture(scope="module")
def trained():
    """A real 6-iteration run that kept 3 weight snapshots."""
    from optilab.data import Dataset

    rng = np.random.default_rng(0)
    x = rng.random((120, 784), dtype=np.float32)
    t = rng.integers(0, 10, 120)
    data = Dataset(x_train=x[:100], t_train=t[:100], x_test=x[100:], t_test=t[100:], source="test", is_sample=False)
    trainer = Trainer(RunConfig(hidden=(4,), iterations=6, batch_size=20, eval_interval=None, snapshots=3), data)
    finished = trainer.run()
    return RunResult.from_trainer(trainer), finished


@pytest.fixture
def result(trained):
    return trained[0]


@pytest.fixture
def finished(trained):
    return trained[1]


def _ended_session(*results):
    session = TrainingSession()
    session.start([r.config for r in results])
    for i, r in enumerate(results):
        session.receive(RunDone(i, None, r))
    session.receive(JobDone())
    return session


def _landscape(options):
    g = np.linspace(-1, 1, options.grid)
    return Landscape(g, g, np.add.outer(g**2, g**2), "test", options)


class _Control:
    def __init__(self):
        self.cancels = 0

    def cancel(self):
        self.cancels += 1


def test_offered_only_for_ended_jobs_whose_runs_kept_two_snapshots(result, finished):
    training = TrainingSession()
    assert training.results == []
    assert model.unavailable(training).code == model.NO_RESULT.code
    training.start([result.config])
    assert model.unavailable(training).code == model.TRAINING.code
    training.receive(RunDone(0, finished, result))
    training.receive(JobDone())
    assert len(result.snapshots.iterations) == 3
    assert model.unavailable(training) is None
    assert model.unavailable(training, computing=True).code == model.BUSY.code
    assert model.unavailable(training, trains=False).code == model.NOT_TRAINED.code
    # A run that asked for fewer than two snapshots has no path and no PCA plane: ask for more.
    one = dataclasses.replace(result.snapshots, iterations=result.snapshots.iterations[-1:],
                              weights=result.snapshots.weights[-1:])
    for asked, kept in ((0, None), (1, one)):
        few = dataclasses.replace(result, config=result.config.replace(snapshots=asked), snapshots=kept)
        reason = model.unavailable(_ended_session(result, few))
        assert reason.code == model.NO_SNAPSHOTS.code and reason.params["run"] == result.config.label


def test_a_run_stopped_before_its_second_snapshot_is_told_to_train_longer_or_keep_more(trained):
    """Asked for 3 snapshots, stopped at iteration 0: it kept 1 (θ₀), so more snapshots alone may not
    help — the reason names both fixes, with what was kept and what was asked."""
    from optilab.data import Dataset

    rng = np.random.default_rng(2)
    x = rng.random((40, 784), dtype=np.float32)
    data = Dataset(x_train=x, t_train=rng.integers(0, 10, 40), x_test=x[:10], t_test=rng.integers(0, 10, 10),
                   source="test", is_sample=False)
    trainer = Trainer(RunConfig(hidden=(4,), iterations=6, batch_size=20, eval_interval=None, snapshots=3), data)
    trainer.request_stop()
    assert trainer.run().status == "stopped"
    stopped = RunResult.from_trainer(trainer)
    assert len(stopped.snapshots.iterations) == 1
    reason = model.unavailable(_ended_session(trained[0], stopped))
    assert reason.code == model.ENDED_EARLY.code
    assert reason.params == {"run": stopped.config.label, "kept": 1, "asked": 3}
    assert str(reason).startswith(f"{stopped.config.label} kept only 1 of the 3 weight snapshots asked for")
    assert "train it longer, or set Weight snapshots higher" in str(reason)
    none = dataclasses.replace(stopped, snapshots=None)                    # none kept at all
    assert model.unavailable(_ended_session(none)).params["kept"] == 0


def test_a_computation_ends_done_and_caches_its_landscape(result):
    session = model.LandscapeSession(_ended_session(result))
    options = LandscapeOptions(grid=5, samples=10)
    request = model.LandscapeRequest((0,), options, "SGD")
    seen = []
    session.done.connect(lambda landscape, req: seen.append((landscape, req)))
    assert not session.show(request)                       # nothing cached yet
    control = _Control()
    session.start(request, control)
    assert session.state == model.COMPUTING
    session.progress(10, 25)
    assert session.points == (10, 25)
    landscape = _landscape(options)
    session.finish(landscape)
    assert seen == []                                      # announced at the job's end
    session.end()
    assert session.state == model.DONE and seen == [(landscape, request)]
    # The same runs and options again: from the cache, at once; other options are not cached.
    assert session.show(model.LandscapeRequest((0,), LandscapeOptions(grid=5, samples=10), "SGD"))
    assert seen[-1][0] is landscape
    assert not session.show(model.LandscapeRequest((0,), LandscapeOptions(grid=7, samples=10)))
    assert control.cancels == 0


def test_cancel_asks_the_control_and_ends_cancelled_without_a_failure(result):
    session = model.LandscapeSession(_ended_session(result))
    failures = []
    session.failed.connect(failures.append)
    control = _Control()
    request = model.LandscapeRequest((0,), LandscapeOptions(grid=5))
    session.start(request, control)
    session.cancel()
    assert control.cancels == 1
    session.fail(cancelled().message)                      # the job's own cancel message is no failure
    session.end()
    assert session.state == model.CANCELLED_STATE and failures == [] and session.failure is None
    assert session.cached(request) is None
    session.start(request, control)                        # usable again
    assert session.state == model.COMPUTING


def test_a_failure_ends_failed_with_its_message(result):
    session = model.LandscapeSession(_ended_session(result))
    failures = []
    session.failed.connect(failures.append)
    session.start(model.LandscapeRequest((0,), LandscapeOptions(grid=5)))
    message = Message("training.died", {"how": "killed by signal 9 (SIGKILL)"})
    session.fail(message)
    session.end()
    assert session.state == model.FAILED and failures == [message]


def test_a_new_training_job_clears_the_cache_and_a_resume_does_not(result):
    training = _ended_session(result)
    session = model.LandscapeSession(training)
    request = model.LandscapeRequest((0,), LandscapeOptions(grid=5))

    def compute():
        session.start(request)
        session.finish(_landscape(request.options))
        session.end()

    compute()
    assert session.cached(request) is not None
    training.start([result.config])
    assert session.cached(request) is None                 # a new job: its runs are new
    training.pause()
    compute()
    training.resume()                                      # paused → running: the same job
    assert session.cached(request) is not None


def test_an_illegal_move_is_one_line(result):
    session = model.LandscapeSession()
    request = model.LandscapeRequest((0,), LandscapeOptions(grid=5))
    session.start(request)
    with pytest.raises(model.LandscapeError, match=r"^cannot start a loss landscape that is computing$"):
        session.start(request)


def test_a_child_killed_after_cancel_ends_cancelled(result):
    session = model.LandscapeSession(_ended_session(result))
    session.start(model.LandscapeRequest((0,), LandscapeOptions(grid=5)), _Control())
    session.cancel()
    session.fail(Message("training.died", {"how": "killed by signal 9 (SIGKILL)"}))   # the grace ran out
    session.end()
    assert session.state == model.CANCELLED_STATE and session.failure is None


def test_the_events_of_a_real_landscape_job_drive_it_to_done(result):
    from optilab.landscape.job import LandscapeJob
    from optilab.training.remote import DataSpec

    rng = np.random.default_rng(1)
    x = rng.random((60, 784), dtype=np.float32)
    t = rng.integers(0, 10, 60)
    from optilab.data import Dataset

    data = Dataset(x_train=x[:50], t_train=t[:50], x_test=x[50:], t_test=t[50:], source="test", is_sample=False)
    session = model.LandscapeSession(_ended_session(result))
    request = model.LandscapeRequest((0,), LandscapeOptions(grid=3, samples=20))
    job = LandscapeJob([result], DataSpec("dataset", dataset=data), request.options)
    session.start(request, job)
    job.start()
    try:
        while not job.done:
            for event in job.messages(0.05):
                session.receive(event)
    finally:
        job.close()
    assert session.state == model.DONE
    assert session.points == (9, 9)                                  # the last progress: every point
    assert session.cached(request).loss.shape == (3, 3)


def test_a_lessons_maps_share_one_loss_range_once_all_are_cached(result):
    """Two maps of losses 0…2 and 1…5 (x² + y² on [−1, 1]², the second ×2 + 1): not before both are
    in; then both carry (0, 5), each map's loss itself unchanged."""
    session = model.LandscapeSession(_ended_session(result, result))
    options = LandscapeOptions(grid=5, samples=10)
    requests = [model.LandscapeRequest((k,), options, f"run {k}") for k in (0, 1)]
    first = _landscape(options)
    second = dataclasses.replace(first, loss=first.loss * 2 + 1)
    for request, landscape in zip(requests, (first, second), strict=True):
        assert not session.share_levels(requests)
        session.start(request)
        session.finish(landscape)
        session.end()
    assert session.share_levels(requests)
    assert [session.cached(r).levels for r in requests] == [(0.0, 5.0), (0.0, 5.0)]
    assert session.cached(requests[1]).loss is second.loss
