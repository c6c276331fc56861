"""The least-squares surface: seeded data, exact loss and gradient, honest sampling."""

from __future__ import annotations

import numpy as np
import pytest

from optilab import surfaces
from optilab.surfaces import LeastSquaresSurface, least_squares


def explicit_loss(s, w, b):
    """(1/2N) Σ (w xᵢ + b − yᵢ)², summed over the points one by one."""
    r = w * s.data_x + b - s.data_y
    return 0.5 * np.mean(r * r)


def explicit_gradient(s, w, b, idx=None):
    x = s.data_x if idx is None else s.data_x[idx]
    y = s.data_y if idx is None else s.data_y[idx]
    r = w * x + b - y
    return np.mean(r * x), np.mean(r)


def test_same_seed_gives_identical_data_and_other_seeds_differ():
    a, b, c = least_squares(seed=3), least_squares(seed=3), least_squares(seed=4)
    np.testing.assert_array_equal(a.data_x, b.data_x)
    np.testing.assert_array_equal(a.data_y, b.data_y)
    assert not np.array_equal(a.data_x, c.data_x)
    assert a.minima == b.minima


def test_data_follow_the_line_with_the_requested_noise():
    s = least_squares(n_points=5000, noise=0.5, seed=1, w_true=2.0, b_true=-1.0)
    residual = s.data_y - (2.0 * s.data_x - 1.0)
    assert abs(residual.mean()) < 0.05
    assert residual.std() == pytest.approx(0.5, rel=0.05)
    noiseless = least_squares(n_points=50, noise=0.0, w_true=-0.5, b_true=3.0)
    np.testing.assert_allclose(noiseless.data_y, -0.5 * noiseless.data_x + 3.0)
    assert noiseless.minima[0] == pytest.approx((-0.5, 3.0))


@pytest.mark.parametrize("w, b", [(0.0, 0.0), (2.5, -1.0), (-3.0, 4.0)])
def test_loss_and_gradient_equal_the_sums_over_all_points(w, b):
    s = least_squares()
    assert s.f(w, b) == pytest.approx(explicit_loss(s, w, b), rel=1e-12)
    assert s.grad(w, b) == pytest.approx(explicit_gradient(s, w, b), rel=1e-10, abs=1e-12)


def test_loss_is_vectorised():
    s = least_squares()
    W, B = np.meshgrid(np.linspace(-1, 3, 4), np.linspace(-2, 1, 3), indexing="ij")
    F = s.f(W, B)
    GW, GB = s.grad(W, B)
    assert F.shape == GW.shape == GB.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            assert F[i, j] == pytest.approx(explicit_loss(s, W[i, j], B[i, j]), rel=1e-12)
            assert (GW[i, j], GB[i, j]) == pytest.approx(
                explicit_gradient(s, W[i, j], B[i, j]), rel=1e-10, abs=1e-12
            )


def test_minimum_is_the_lstsq_solution_with_zero_gradient():
    s = least_squares(n_points=37, seed=5)
    A = np.column_stack([s.data_x, np.ones_like(s.data_x)])
    (w, b), *_ = np.linalg.lstsq(A, s.data_y, rcond=None)
    assert s.minima[0] == pytest.approx((w, b), rel=1e-10)
    assert s.solution == s.minima[0]
    assert s.grad(*s.minima[0]) == pytest.approx((0.0, 0.0), abs=1e-12)
    for dw, db in ((0.01, 0), (0, 0.01), (-0.01, 0.01)):
        assert s.f(w + dw, b + db) > s.f(w, b)


def test_full_batch_is_gradient_descent():
    s = surfaces.get("least-squares")
    assert isinstance(s, LeastSquaresSurface)
    assert s.batch_size == s.n_points == 100
    assert s.is_stochastic is False
    rng = np.random.default_rng(0)
    for w, b in ((0.0, 0.0), (1.0, 2.0)):
        assert s.gradient_sample(w, b, rng) == pytest.approx(explicit_gradient(s, w, b), rel=1e-10)


def test_batch_sizes_set_is_stochastic():
    assert least_squares(batch_size=None).is_stochastic is False
    assert least_squares(n_points=100, batch_size=100).is_stochastic is False
    assert least_squares(batch_size=1).is_stochastic is True
    assert least_squares(batch_size=10).is_stochastic is True


def test_variants_share_the_data():
    gd = least_squares(seed=2)
    sgd = least_squares(seed=2, batch_size=1)
    mini = gd.with_batch_size(10)
    for other in (sgd, mini):
        np.testing.assert_array_equal(other.data_x, gd.data_x)
        np.testing.assert_array_equal(other.data_y, gd.data_y)
        assert other.minima == gd.minima
        assert other.domain == gd.domain and other.start == gd.start
        assert other.f(0.5, 0.5) == gd.f(0.5, 0.5)
    assert mini.batch_size == 10 and sgd.batch_size == 1
    assert gd.title != sgd.title != mini.title


def test_sgd_gradient_is_one_points_gradient():
    s = least_squares(batch_size=1, n_points=20)
    rng = np.random.default_rng(7)
    w, b = 0.7, -0.3
    per_point = np.array([explicit_gradient(s, w, b, [i]) for i in range(20)])
    seen = set()
    for _ in range(200):
        g = np.array(s.gradient_sample(w, b, rng))
        distances = np.abs(per_point - g).max(axis=1)
        i = int(np.argmin(distances))
        assert distances[i] < 1e-12
        seen.add(i)
    assert len(seen) > 15  # the draws cover the data


@pytest.mark.parametrize("batch_size", [1, 10])
def test_minibatch_gradients_average_to_the_full_gradient(batch_size):
    s = least_squares(batch_size=batch_size)
    rng = np.random.default_rng(11)
    w, b = 0.5, 1.5
    samples = np.array([s.gradient_sample(w, b, rng) for _ in range(20000)])
    full = np.array(explicit_gradient(s, w, b))
    standard_error = samples.std(axis=0) / np.sqrt(len(samples))
    assert np.all(np.abs(samples.mean(axis=0) - full) < 5 * standard_error)


def test_minibatch_variance_shrinks_like_one_over_batch_size():
    """Drawn with replacement, the variance of a k-mean is exactly σ²/k."""
    w, b = 0.5, 1.5
    rng = np.random.default_rng(12)
    one = least_squares(batch_size=1)
    ten = least_squares(batch_size=10)
    v1 = np.array([one.gradient_sample(w, b, rng) for _ in range(20000)]).var(axis=0)
    v10 = np.array([ten.gradient_sample(w, b, rng) for _ in range(20000)]).var(axis=0)
    # and σ² is the population variance of the per-point gradients
    per_point = np.array([explicit_gradient(one, w, b, [i]) for i in range(one.n_points)])
    assert v1 == pytest.approx(per_point.var(axis=0), rel=0.1)
    assert v10 * 10 == pytest.approx(per_point.var(axis=0), rel=0.1)


def test_sampling_is_reproducible_with_the_same_rng_seed():
    s = least_squares(batch_size=5)
    a = [s.gradient_sample(0.1, 0.2, np.random.default_rng(3)) for _ in range(3)]
    r1, r2 = np.random.default_rng(9), np.random.default_rng(9)
    seq1 = [s.gradient_sample(0.1, 0.2, r1) for _ in range(10)]
    seq2 = [s.gradient_sample(0.1, 0.2, r2) for _ in range(10)]
    assert seq1 == seq2
    assert a[0] == a[1] == a[2]
    assert len(set(seq1)) > 1


def test_domain_is_centred_on_the_solution_and_contains_the_start():
    s = least_squares()
    w, b = s.minima[0]
    xmin, xmax, ymin, ymax = s.domain
    assert (xmin + xmax) / 2 == pytest.approx(w) and (ymin + ymax) / 2 == pytest.approx(b)
    assert xmin < s.start[0] < xmax and ymin < s.start[1] < ymax
    assert s.start != (w, b)
    assert s.name == "least-squares"


def test_data_cannot_be_modified():
    s = least_squares()
    with pytest.raises(ValueError):
        s.data_x[0] = 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch_size": 0},
        {"batch_size": 101},
        {"batch_size": 2.5},
        {"batch_size": True},
        {"n_points": 1},
        {"noise": -1.0},
        {"noise": float("nan")},
    ],
)
def test_bad_arguments_are_value_errors(kwargs):
    with pytest.raises(ValueError):
        least_squares(**kwargs)


