"""compute(): a trained run's landscape — its centre, the shared plane, the paths, the faults
(docs/landscape.md#slice)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from optilab.data import Dataset
from optilab.landscape import Cancelled, LandscapeOptions, compute, evaluation_images, interpolate
from optilab.messages import OptilabError
from optilab.nn.mlp import MLP
from optilab.training.config import RunConfig
from optilab.training.experiments import RunResult
from optilab.training.snapshots import Layout, Snapshots
from optilab.training.trainer import Trainer


def _dataset() -> Dataset:
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 6))
    t_train, t_test = rng.integers(0, 3, 240), rng.integers(0, 3, 60)
    x_train = (centres[t_train] + 0.8 * rng.standard_normal((240, 6))).astype(np.float32)
    x_test = (centres[t_test] + 0.8 * rng.standard_normal((60, 6))).astype(np.float32)
    return Dataset(x_train, t_train, x_test, t_test, "synthetic clusters")


DATA = _dataset()


def _run(batchnorm: bool = False, **changes) -> RunResult:
    settings = {"hidden": (8, 5), "iterations": 30, "batch_size": 20, "snapshots": 7, "eval_interval": 30,
                "hparams": {"lr": 0.1}, **changes}
    config = RunConfig(batchnorm=batchnorm, **settings)
    trainer = Trainer(config, DATA)
    trainer.run()
    return RunResult.from_trainer(trainer)


@pytest.fixture(scope="module")
def runs() -> list[RunResult]:
    return [_run(optimizer="sgd"), _run(optimizer="adam", hparams={"lr": 0.01})]


def _mlp_loss(result: RunResult, theta: np.ndarray, x: np.ndarray, t: np.ndarray, train: bool = False) -> float:
    """The loss of an `MLP` holding θ (and the run's final running statistics)."""
    c = result.config
    net = MLP(6, c.hidden, 3, c.activation, batchnorm=c.batchnorm, weight_decay=c.weight_decay)
    for key, view in result.snapshots.layout.views(theta).items():
        net.params[key][...] = view
    for bn, (mean, var) in zip(net.bn_layers, result.snapshots.running, strict=True):
        bn.running_mean[...], bn.running_var[...] = mean, var
    return float(net.loss(x, t, train=train))


@pytest.mark.parametrize(("batchnorm", "bn_stats"), [(False, "recompute"), (True, "keep"), (True, "recompute")])
def test_the_centre_of_the_slice_is_the_loss_of_the_final_weights_on_the_same_images(batchnorm, bn_stats):
    result = _run(batchnorm)
    options = LandscapeOptions(grid=5, span=0.5, directions="random", samples=10_000, bn_stats=bn_stats)
    landscape = compute([result], DATA, options)
    # 10,000 samples > 240 images: the subset is the whole training split, in order
    want = _mlp_loss(result, result.snapshots.final, DATA.x_train, DATA.t_train, train=bn_stats == "recompute")
    assert landscape.center_loss == pytest.approx(want, rel=1e-5)
    assert landscape.loss[2, 2] == pytest.approx(want, rel=1e-5)       # α = β = 0, the grid's middle
    assert landscape.alphas[2] == landscape.betas[2] == 0.0
    few = dataclasses.replace(options, samples=50)                 # a seeded subset of 50 of the 240
    x, t = evaluation_images(result.config, DATA, few)
    want = _mlp_loss(result, result.snapshots.final, x, t, train=bn_stats == "recompute")
    assert compute([result], DATA, few).center_loss == pytest.approx(want, rel=1e-5)


def test_random_directions_give_the_span_and_no_paths(runs):
    options = LandscapeOptions(grid=7, span=2.0, directions="random", samples=100)
    landscape = compute(runs, DATA, options)
    assert np.array_equal(landscape.alphas, np.linspace(-2.0, 2.0, 7))
    assert np.array_equal(landscape.betas, landscape.alphas)
    assert landscape.paths == () and landscape.explained is None
    assert landscape.plane.kind == "random" and landscape.title == "sgd"
    assert landscape.loss.shape == (7, 7) and np.isfinite(landscape.loss).all()


def test_pca_puts_every_run_on_one_plane_ending_at_the_centre(runs):
    options = LandscapeOptions(grid=5, span=1.5, directions="pca", samples=100)
    landscape = compute(runs, DATA, options, title="two optimizers")
    assert landscape.title == "two optimizers"
    assert [p.label for p in landscape.paths] == ["sgd", "adam"]
    first, second = landscape.paths
    assert np.array_equal(first.iterations, runs[0].snapshots.iterations)
    assert (first.alpha[-1], first.beta[-1]) == (0.0, 0.0)              # θ* is the origin
    assert first.alpha[0] <= 0 and first.beta[0] <= 0                   # starts at the lower left
    assert first.alpha[0] == pytest.approx(second.alpha[0]) and first.beta[0] == pytest.approx(second.beta[0])
    reach = max(np.abs(np.concatenate([p.alpha for p in landscape.paths]
                                      + [p.beta for p in landscape.paths])).max(), 0)
    assert landscape.alphas[-1] == pytest.approx(1.5 * reach) and landscape.alphas[0] == pytest.approx(-1.5 * reach)
    assert 0 < sum(landscape.explained) <= 1 + 1e-12 and landscape.explained[0] >= landscape.explained[1]
    assert first.loss[-1] == pytest.approx(landscape.center_loss, rel=1e-6)
    assert first.plane_loss[-1] == pytest.approx(landscape.center_loss, rel=1e-6)
    x, t = evaluation_images(runs[0].config, DATA, options)
    for i in (0, 3):                                                     # the recorded θᵢ's own loss
        assert second.loss[i] == pytest.approx(_mlp_loss(runs[0], runs[1].snapshots.weights[i], x, t), rel=1e-5)


def test_progress_reaches_every_grid_point_and_cancel_stops(runs):
    seen: list[tuple[int, int]] = []
    options = LandscapeOptions(grid=5, directions="random", samples=50)
    compute(runs[:1], DATA, options, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (25, 25) and all(b == 25 for _, b in seen)
    seen.clear()              # pca: each path's 7 recorded and 7 projected points count too, in grid points
    compute(runs, DATA, dataclasses.replace(options, directions="pca"),
            progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _ in seen]
    assert seen[-1] == (25, 25) and done == sorted(done) and {b for _, b in seen} == {25}
    assert done[0] == (7 * 25) // (25 + 2 * (7 + 7))      # the first path's recorded points: 7 of 53
    with pytest.raises(Cancelled):
        compute(runs[:1], DATA, options, cancel=lambda: True)


def _fault(results, **options) -> OptilabError:
    with pytest.raises(OptilabError) as err:
        compute(results, DATA, LandscapeOptions(grid=3, samples=20, **options))
    assert "\n" not in str(err.value)
    return err.value


def test_each_fault_is_one_line_naming_the_run(runs):
    assert _fault([]).code == "landscape.no_results"
    bare = dataclasses.replace(runs[1], snapshots=None)
    err = _fault([runs[0], bare])
    assert err.code == "landscape.no_snapshots" and "'adam'" in str(err)
    wider = _run(hidden=(9, 5), label="wide")
    err = _fault([runs[0], wider])
    assert err.code == "landscape.other_network" and "'sgd'" in str(err) and "'wide'" in str(err)
    snaps = runs[0].snapshots
    broken = Snapshots(snaps.iterations, snaps.weights.copy(), snaps.layout)
    broken.weights[-1, 0] = np.nan
    err = _fault([SimpleNamespace(config=runs[0].config, snapshots=broken)])
    assert err.code == "landscape.diverged" and "'sgd'" in str(err)
    one = Snapshots(snaps.iterations[-2:], snaps.weights[-2:], snaps.layout)
    assert _fault([SimpleNamespace(config=runs[0].config, snapshots=one)]).code == "landscape.pca_flat"


def test_the_evaluation_subset_is_seeded_and_drawn_from_the_chosen_images():
    config = RunConfig(hidden=(8,), train_size=200)
    a, ta = evaluation_images(config, DATA, LandscapeOptions(samples=50, seed=3))
    b, _ = evaluation_images(config, DATA, LandscapeOptions(samples=50, seed=3))
    c, _ = evaluation_images(config, DATA, LandscapeOptions(samples=50, seed=4))
    assert a.shape == (50, 6) and a.dtype == np.float32 and np.array_equal(a, b) and not np.array_equal(a, c)
    rows = {r.tobytes(): label for r, label in zip(DATA.x_train[:200], DATA.t_train[:200], strict=True)}
    assert len({r.tobytes() for r in a}) == 50                          # no image twice
    assert all(rows.get(r.tobytes()) == label for r, label in zip(a, ta, strict=True))  # the run's split only
    test, t_test = evaluation_images(config.replace(dtype="float64"), DATA,
                                     LandscapeOptions(samples=1000, subset="test"))
    assert test.dtype == np.float64 and np.array_equal(test, DATA.x_test) and np.array_equal(t_test, DATA.t_test)


def test_interpolation_from_init_to_final_ends_at_each_ones_loss(runs):
    result = runs[0]
    init, final = result.snapshots.weights[0], result.snapshots.final
    options = LandscapeOptions(samples=10_000)
    ts = np.array([0.0, 0.5, 1.0])
    got = interpolate(result, init, final, ts, DATA, options)
    x, t = DATA.x_train, DATA.t_train
    want = [_mlp_loss(result, th.astype(np.float32), x, t) for th in (init, 0.5 * init + 0.5 * final, final)]
    assert got == pytest.approx(want, rel=1e-5)
    assert np.allclose(interpolate(result.config, init, final, ts, DATA, options), got, rtol=1e-12)
    assert Layout.of(MLP(6, (8, 5), 3).params) == result.snapshots.layout
