"""Data augmentation of MNIST minibatches: small random shifts and rotations (docs/equations.md#augmentation).

CS231n lecture 7 (after Krizhevsky et al. 2012): train on slightly moved
copies of the images, so the network cannot memorise the exact pixels of the
few images it has.  Each image of a minibatch is rotated about its centre by
an angle θ ~ U(−`MAX_ANGLE`°, `MAX_ANGLE`°) and shifted by whole pixels
(dy, dx), each ~ U{−`MAX_SHIFT` … `MAX_SHIFT`}, drawn from the run's seeded
generator.  An output pixel p (row y, column x, relative to the centre c)
takes the value of the input at

    src = R(θ) · (p − shift) + c,     R(θ) = [[cos θ, sin θ], [−sin θ, cos θ]]   (rows: y, x)

read by **bilinear** interpolation between the four nearest pixels; pixels
whose source lies outside the image are 0 (black, MNIST's background).  A
positive θ turns the digit counter-clockwise as displayed (θ = 90° is
``np.rot90``); a shift (dy, dx) moves the pixel at (r, c) to (r + dy, c + dx).
Pure numpy: one gather of four neighbours for the whole batch.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MAX_ANGLE", "MAX_SHIFT", "augment_batch", "draw", "transform"]

#: Largest shift, in whole pixels, along each axis.
MAX_SHIFT = 2
#: Largest rotation, in degrees, either way.
MAX_ANGLE = 15.0


def draw(rng: np.random.Generator, n: int, max_shift: int = MAX_SHIFT,
         max_angle: float = MAX_ANGLE) -> tuple[np.ndarray, np.ndarray]:
    """``(shifts (n, 2) int as (dy, dx), angles (n,) degrees)`` for ``n`` images, drawn from ``rng``."""
    shifts = rng.integers(-max_shift, max_shift + 1, size=(n, 2))
    angles = rng.uniform(-max_angle, max_angle, size=n)
    return shifts, angles


def transform(images: np.ndarray, shifts: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Each row of ``images`` ((N, side²), row-major square images) rotated by its angle (degrees)
    and shifted by its (dy, dx), as the module docstring's equation; same shape and dtype."""
    x = np.asarray(images)
    n, pixels = x.shape
    side = math.isqrt(pixels)
    if side * side != pixels:
        raise ValueError(f"images must be square (N, side²), got {x.shape}")
    centre = (side - 1) / 2.0
    rows, cols = np.indices((side, side)).reshape(2, 1, pixels).astype(np.float64)
    y = rows - centre - np.asarray(shifts, dtype=np.float64)[:, :1]      # p − shift, (N, pixels)
    xx = cols - centre - np.asarray(shifts, dtype=np.float64)[:, 1:]
    theta = np.deg2rad(np.asarray(angles, dtype=np.float64))[:, None]
    cos, sin = np.cos(theta), np.sin(theta)
    src_r = cos * y + sin * xx + centre                                # src = R(θ)(p − shift) + c
    src_c = -sin * y + cos * xx + centre
    r0, c0 = np.floor(src_r), np.floor(src_c)
    fr, fc = src_r - r0, src_c - c0
    out = np.zeros((n, pixels), dtype=np.float64)
    for dr, dc, weight in ((0, 0, (1 - fr) * (1 - fc)), (0, 1, (1 - fr) * fc),
                           (1, 0, fr * (1 - fc)), (1, 1, fr * fc)):
        r, c = r0 + dr, c0 + dc
        inside = (r >= 0) & (r < side) & (c >= 0) & (c < side)
        index = np.where(inside, r * side + c, 0).astype(np.intp)
        out += np.where(inside, weight, 0.0) * np.take_along_axis(x, index, axis=1)
    return out.astype(x.dtype, copy=False)


def augment_batch(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``images`` with a random shift and rotation each (`draw` then `transform`)."""
    shifts, angles = draw(rng, len(images))
    return transform(images, shifts, angles)
