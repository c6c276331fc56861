"""The plane of a loss landscape: its two directions, and points projected onto it.

Li et al. 2018 (docs/references.md#li2018), §4 and §7:

* **filter-normalised random directions** (docs/landscape.md#directions):
  a Gaussian direction δ, each neuron's incoming weights rescaled to the
  norm of the same neuron's weights in θ*, so that the map's scale means the
  same for every layer whatever the layer's own scale;
* **principal components of a recorded trajectory** (docs/landscape.md#pca):
  the two directions along which θᵢ − θ* varies most, so the path lies as
  nearly as possible in the plane drawn;
* **projection** of any θ onto the plane θ* + α·d1 + β·d2.

Directions are float64 flat vectors laid out by a `Layout`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from optilab import messages
from optilab.training.snapshots import Layout

from .types import SETTINGS, Plane

__all__ = ["column_blocks", "filter_normalize", "pca_plane", "project", "random_plane"]

PCA_FLAT = messages.declare(
    "landscape.pca_flat",
    "PCA directions need weight snapshots that span a plane: the runs kept {n} distinct weight vectors "
    "(at least 3, not all on one line); record more snapshots or use random directions")

#: Columns of a stack of weight vectors worked on at once in float64 (k × BLOCK × 8 bytes).
BLOCK = 16384


def filter_normalize(direction: np.ndarray, theta: np.ndarray, layout: Layout, bias_bn: str = "zero") -> np.ndarray:
    """The filter-normalised copy of ``direction`` (docs/landscape.md#directions; Li et al. 2018, eq. 4.1).

    For a fully connected layer a "filter" is one neuron's incoming weights.
    Our `Affine` computes x @ W with W of shape (n_in, n_out), so neuron j's
    incoming weights are the column W[:, j]:  δ[:, j] ← δ[:, j]/‖δ[:, j]‖ · ‖θ[:, j]‖
    (a zero column stays zero).  Biases and batch-norm parameters (γ, β) are
    zeroed (``bias_bn="zero"``, the paper's ``ignore='biasbn'``) or set to θ's
    own entries (``"keep"``, as the paper's code copies them).
    """
    bias_bn = SETTINGS["bias_bn"].check(bias_bn)
    out = np.array(direction, dtype=np.float64)
    theta = np.asarray(theta, dtype=np.float64)
    d_views, t_views = layout.views(out), layout.views(theta)
    for key, _shape in layout.entries:
        d, t = d_views[key], t_views[key]
        if layout.kind(key) != "weight":
            d[...] = 0.0 if bias_bn == "zero" else t
            continue
        d_norm = np.sqrt(np.einsum("ij,ij->j", d, d))          # ‖δ[:, j]‖
        t_norm = np.sqrt(np.einsum("ij,ij->j", t, t))          # ‖θ[:, j]‖
        scale = np.divide(t_norm, d_norm, out=np.zeros_like(d_norm), where=d_norm > 0)
        d *= scale                                             # δ[:, j] · ‖θ[:, j]‖/‖δ[:, j]‖
    return out


def random_plane(origin: np.ndarray, layout: Layout, seed: int, bias_bn: str = "zero") -> Plane:
    """Two independent seeded Gaussian directions, each filter-normalised against ``origin``
    (docs/landscape.md#directions).  In many dimensions two Gaussian vectors are nearly orthogonal;
    they are not made exactly so, as in the paper."""
    rng = np.random.default_rng(seed)
    size = layout.size
    d1 = filter_normalize(rng.standard_normal(size), origin, layout, bias_bn)
    d2 = filter_normalize(rng.standard_normal(size), origin, layout, bias_bn)
    return Plane(np.asarray(origin), d1, d2, "random", None)


def column_blocks(size: int, block: int | None = None) -> Iterator[slice]:
    """Slices of ``block`` (default `BLOCK`) entries covering 0…size: stacks of weight vectors are worked on in float64
    a block of columns at a time, never as a whole float64 copy."""
    step = block or BLOCK
    for start in range(0, size, step):
        yield slice(start, min(start + step, size))


def pca_plane(origin: np.ndarray, trajectories: Sequence[np.ndarray]) -> Plane:
    """The first two principal directions of θᵢ − θ* over every run's snapshots (docs/landscape.md#pca).

    M has the rows θᵢ − origin of all runs; d1, d2 are its first two right
    singular vectors, computed through the k×k Gram matrix M Mᵀ = U Σ² Uᵀ in
    float64 (k ≪ P), vᵢ = Mᵀuᵢ/σᵢ (rows equal to the origin add nothing).
    ``explained`` = (σ₁², σ₂²)/Σσ²: the share of Σ‖θᵢ − θ*‖² along each
    direction — uncentred, about the plane through θ* that is drawn (Li et
    al.'s text, §7; their code's sklearn PCA centres the rows first).
    Signs are fixed so that run 0's first snapshot has α ≤ 0 and β ≤ 0: every
    path starts at the lower left.
    """
    o = np.asarray(origin, dtype=np.float64)
    runs = [np.asarray(w).reshape(-1, o.size) for w in trajectories]

    def rows(cols: slice) -> np.ndarray:                       # M[:, cols] in float64
        return np.concatenate([w[:, cols] for w in runs]).astype(np.float64) - o[cols]

    k = sum(len(w) for w in runs)
    gram = np.zeros((k, k))
    for cols in column_blocks(o.size):
        m = rows(cols)
        gram += m @ m.T                                        # M Mᵀ (k×k)
    lam, u = np.linalg.eigh(gram)                              # ascending σ²
    lam, u = np.clip(lam[::-1], 0.0, None), u[:, ::-1]
    if k < 2 or lam[1] <= 1e-12 * lam[0]:
        raise PCA_FLAT.error(n=len(np.unique(np.concatenate([*runs, o[None].astype(runs[0].dtype)]), axis=0)))
    d = np.empty((2, o.size))
    for cols in column_blocks(o.size):
        d[:, cols] = (rows(cols).T @ (u[:, :2] / np.sqrt(lam[:2]))).T   # vᵢ = Mᵀuᵢ/σᵢ
    d1, d2 = d[0] / np.linalg.norm(d[0]), d[1] / np.linalg.norm(d[1])
    first = runs[0][0].astype(np.float64) - o
    if first @ d1 > 0:
        d1 = -d1
    if first @ d2 > 0:
        d2 = -d2
    total = float(lam.sum())
    return Plane(np.asarray(origin), d1, d2, "pca", (float(lam[0] / total), float(lam[1] / total)))


def project(plane: Plane, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(α, β) of the least-squares projection of each θ onto origin + span(d1, d2) (docs/landscape.md#pca).

    Solves the 2×2 normal equations  [d1·d1 d1·d2; d2·d1 d2·d2] (α, β) = (d1·(θ−o), d2·(θ−o))
    in float64: exact for orthonormal PCA directions, and right for random
    directions, which are not orthogonal.  ``thetas``: (P,) or (k, P).
    """
    o = np.asarray(plane.origin, dtype=np.float64)
    basis = np.stack([np.asarray(plane.d1, np.float64), np.asarray(plane.d2, np.float64)])   # (2, P)
    thetas = np.atleast_2d(np.asarray(thetas))
    rhs = np.zeros((2, len(thetas)))
    for cols in column_blocks(o.size):
        rhs += basis[:, cols] @ (thetas[:, cols].astype(np.float64) - o[cols]).T
    coef = np.linalg.solve(basis @ basis.T, rhs)               # (2, k)
    return coef[0], coef[1]
