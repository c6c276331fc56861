"""The loss landscape's files: the slice as CSV or NPZ, the projected paths as CSV (docs/landscape.md).

* slice CSV: ``alpha,beta,loss``, one row per grid point, α outer and β
  inner (row ``i·N + j`` is ``loss[i, j]``), so N² rows;
* path CSV: ``run,iteration,alpha,beta,loss``, one row per recorded snapshot
  of each run (``loss`` is the loss of the recorded weights θᵢ, not of their
  projection);
* NPZ: the arrays ``alphas`` (N,), ``betas`` (N,), ``loss`` (N, N) with
  ``loss[i, j]`` at ``(alphas[i], betas[j])``, ``explained`` (2,) or (0,),
  ``center_loss`` (), ``title`` and ``options`` (JSON text), ``run_labels``
  and per path k ``path_{k}_iteration``, ``_alpha``, ``_beta``, ``_loss``;
  ``levels`` (2,), the loss range shared by a lesson's maps, only when set.
  Every array is plain numbers or text: ``np.load(f, allow_pickle=False)``
  reads it.

Numbers are written as ``repr(float)`` (exact round trip), as the training
and trajectory CSVs write them; a loss that is not finite (a point far out
where the network overflows) is written ``inf`` or ``nan``, which every CSV
reader parses.  Every file goes through `optilab.fileio` (atomic; a failure
is one `fileio.WriteError` line).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path as FilePath

import numpy as np

from optilab import fileio
from optilab.landscape.types import Landscape

__all__ = ["FORMATS", "PATH_COLUMNS", "SLICE_COLUMNS", "npz_arrays", "npz_bytes", "path_csv", "slice_csv",
           "write", "write_npz", "write_path_csv", "write_slice_csv"]

SLICE_COLUMNS = ("alpha", "beta", "loss")
PATH_COLUMNS = ("run", "iteration", "alpha", "beta", "loss")


def _num(v: float) -> str:
    return repr(float(v))


def _field(text: str) -> str:
    """A CSV text cell, quoted when it holds a comma, quote or line break (RFC 4180)."""
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


def slice_csv(landscape: Landscape) -> str:
    """``alpha,beta,loss``: one row per grid point, α outer, β inner."""
    loss = np.asarray(landscape.loss, dtype=float)
    lines = [",".join(SLICE_COLUMNS)]
    for i, a in enumerate(landscape.alphas):
        alpha = _num(a)
        lines.extend(f"{alpha},{_num(b)},{_num(loss[i, j])}" for j, b in enumerate(landscape.betas))
    return "\n".join(lines) + "\n"


def path_csv(landscape: Landscape) -> str:
    """``run,iteration,alpha,beta,loss``: each path's snapshots in order, the paths in order."""
    lines = [",".join(PATH_COLUMNS)]
    for path in landscape.paths:
        run = _field(path.label)
        lines.extend(f"{run},{int(it)},{_num(a)},{_num(b)},{_num(loss)}"
                     for it, a, b, loss in zip(path.iterations, path.alpha, path.beta, path.loss, strict=True))
    return "\n".join(lines) + "\n"


def npz_arrays(landscape: Landscape) -> dict[str, np.ndarray]:
    """The NPZ's arrays by name (see the module's docstring)."""
    arrays: dict[str, np.ndarray] = {
        "alphas": np.asarray(landscape.alphas, dtype=float),
        "betas": np.asarray(landscape.betas, dtype=float),
        "loss": np.asarray(landscape.loss, dtype=float),
        "explained": np.asarray(landscape.explained if landscape.explained is not None else (), dtype=float),
        "center_loss": np.asarray(float(landscape.center_loss)),
        "title": np.asarray(landscape.title, dtype=str),
        "options": np.asarray(json.dumps(landscape.options.to_dict(), sort_keys=True), dtype=str),
        "run_labels": np.asarray([p.label for p in landscape.paths], dtype=str),
    }
    if landscape.levels is not None:
        arrays["levels"] = np.asarray(landscape.levels, dtype=float)
    for k, path in enumerate(landscape.paths):
        arrays[f"path_{k}_iteration"] = np.asarray(path.iterations, dtype=np.int64)
        arrays[f"path_{k}_alpha"] = np.asarray(path.alpha, dtype=float)
        arrays[f"path_{k}_beta"] = np.asarray(path.beta, dtype=float)
        arrays[f"path_{k}_loss"] = np.asarray(path.loss, dtype=float)
    return arrays


def npz_bytes(landscape: Landscape) -> bytes:
    """The NPZ file's bytes (uncompressed, as `numpy.savez` writes it)."""
    buffer = io.BytesIO()
    # A file object: no ".npz" appended to a name.  (numpy's stubs read ``**arrays`` as its
    # ``allow_pickle`` flag, a keyword numpy 1.24 lacks, so it is not passed.)
    np.savez(buffer, **npz_arrays(landscape))  # type: ignore[arg-type]
    return buffer.getvalue()


def write_slice_csv(landscape: Landscape, path: str | os.PathLike[str]) -> FilePath:
    """`slice_csv` written atomically to ``path``."""
    return fileio.write_text_atomic(path, slice_csv(landscape))


def write_path_csv(landscape: Landscape, path: str | os.PathLike[str]) -> FilePath:
    """`path_csv` written atomically to ``path``."""
    return fileio.write_text_atomic(path, path_csv(landscape))


def write_npz(landscape: Landscape, path: str | os.PathLike[str]) -> FilePath:
    """`npz_bytes` written atomically to ``path``."""
    return fileio.write_bytes_atomic(path, npz_bytes(landscape))


def _slice_csv_bytes(landscape: Landscape) -> bytes:
    return slice_csv(landscape).encode("utf-8")


#: The slice's file formats by the name ``optilab landscape --format`` takes: the file's bytes.
FORMATS: Mapping[str, Callable[[Landscape], bytes]] = {"csv": _slice_csv_bytes, "npz": npz_bytes}


def write(landscape: Landscape, path: str | os.PathLike[str], fmt: str) -> FilePath:
    """The slice in format ``fmt`` (a `FORMATS` name) written atomically to ``path``."""
    return fileio.write_bytes_atomic(path, FORMATS[fmt](landscape))
