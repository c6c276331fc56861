"""Augmentation (optilab.data.augment): seeded, and the geometry checked against hand-placed pixels."""

import numpy as np

from optilab.data import augment


def _pattern(side: int = 28, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((side, side))


def test_same_seed_gives_the_same_batch_and_another_seed_another():
    x = np.random.default_rng(1).random((16, 784)).astype(np.float32)
    a = augment.augment_batch(x, np.random.default_rng(7))
    b = augment.augment_batch(x, np.random.default_rng(7))
    c = augment.augment_batch(x, np.random.default_rng(8))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.dtype == np.float32 and a.shape == x.shape


def test_a_shift_moves_a_known_pixel_by_that_amount():
    img = np.zeros((28, 28))
    img[10, 12] = 1.0
    out = augment.transform(img.reshape(1, -1), np.array([[2, -1]]), np.array([0.0])).reshape(28, 28)
    expected = np.zeros((28, 28))
    expected[12, 11] = 1.0                       # (r + dy, c + dx)
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_a_shift_fills_the_uncovered_edge_with_black():
    img = np.ones((1, 784))
    out = augment.transform(img, np.array([[0, 2]]), np.array([0.0])).reshape(28, 28)
    assert np.all(out[:, :2] == 0) and np.all(out[:, 2:] == 1)


def test_rotation_by_90_degrees_matches_np_rot90():
    img = _pattern()
    out = augment.transform(img.reshape(1, -1), np.zeros((1, 2), int), np.array([90.0])).reshape(28, 28)
    np.testing.assert_allclose(out, np.rot90(img), atol=1e-9)
    back = augment.transform(img.reshape(1, -1), np.zeros((1, 2), int), np.array([-90.0])).reshape(28, 28)
    np.testing.assert_allclose(back, np.rot90(img, -1), atol=1e-9)


def test_rotation_is_bilinear_between_pixels():
    # A horizontal ramp I[r, c] = c is linear, so bilinear interpolation reproduces it exactly:
    # after rotating by θ the value at relative (y, x) is the source column −sin θ·y + cos θ·x + centre.
    side, theta = 28, np.deg2rad(10.0)
    img = np.tile(np.arange(side, dtype=float), (side, 1))
    out = augment.transform(img.reshape(1, -1), np.zeros((1, 2), int), np.array([10.0])).reshape(side, side)
    y, x = np.indices((side, side)) - 13.5
    expected = -np.sin(theta) * y + np.cos(theta) * x + 13.5
    inner = (np.abs(y) < 9) & (np.abs(x) < 9)            # sources well inside the image
    np.testing.assert_allclose(out[inner], expected[inner], atol=1e-9)


def test_draw_stays_within_the_bounds():
    shifts, angles = augment.draw(np.random.default_rng(0), 5000)
    assert shifts.min() == -augment.MAX_SHIFT and shifts.max() == augment.MAX_SHIFT
    assert np.all(np.abs(angles) <= augment.MAX_ANGLE) and np.abs(angles).max() > 0.9 * augment.MAX_ANGLE
