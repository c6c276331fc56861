"""How much memory a training run needs, and whether the machine has it.

`estimate_bytes` is a pure function of the `RunConfig` and the data's shape;
`available_bytes` reads what the operating system still grants this process;
`check_fits` refuses, with one line, a run that cannot fit (the `Trainer`
calls it before allocating anything, so the CLI, the experiments and the
app's training process all get the same message instead of a MemoryError or
the kernel's out-of-memory killer).
"""

from __future__ import annotations

import math
import os
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from optilab import messages, optim
from optilab.messages import OptilabError
from optilab.training.config import RunConfig, split_sizes
from optilab.training.snapshots import ITEM_BYTES, SNAPSHOT_BYTES, snapshot_count, snapshot_iterations

#: Rows per forward pass when the trainer measures accuracy (`MLP.accuracy`'s chunk).
EVAL_CHUNK = 1000

#: Work arrays of one hidden layer per row, in units of its width: (forward, backward).
#: Forward: the Affine output plus what the activation keeps (ReLU: mask and output).
#: Backward: the activation's dx (the Affine's dx is counted on its input width).
_ACTIVATION_UNITS = {"relu": (3, 1), "leaky_relu": (3, 1), "sigmoid": (2, 1), "tanh": (2, 1)}
_BATCHNORM_UNITS = (3, 3)       # x̂ kept, x − μ and the output; backward: dx̂ and two temporaries
_BATCHNORM_TEST = 2             # at test time: x − running mean and the output
_DROPOUT_UNITS = (2, 1)         # mask and output; dx
_SOFTMAX_UNITS = (4, 1)         # scores, z, y, (log-sum); dx
_HISTORY_BYTES = 3 * 8          # iteration, loss and η of every step (records.History)


PARALLEL = messages.declare(
    "training.memory.parallel",
    "{runs} runs in parallel need about {need} of memory but only {available} is available; use fewer parallel jobs")
TOO_MUCH = messages.declare(
    "training.memory.too_much", "this run needs about {need} of memory but only {available} is available; {advice}")
LESS_DATA = messages.declare(
    "training.memory.advice.less_data", "use fewer iterations or a smaller train_size or eval_train_size")
SMALLER_NETWORK = messages.declare(
    "training.memory.advice.smaller_network", "use fewer/smaller hidden layers or a smaller batch")


class InsufficientMemory(OptilabError):
    """A run needs more memory than is available (an `OptilabError`: one line, ``training.memory.*``)."""


def estimate_bytes(
    config: RunConfig,
    n_train: int,
    n_features: int,
    n_classes: int,
    n_test: int = 0,
    data_dtype: Any = None,
    include_dataset: bool = False,
    snapshot_bytes: int = SNAPSHOT_BYTES,
) -> int:
    """Bytes a run of ``config`` on ``n_train`` training images (before the
    validation split), ``n_test`` test images of ``n_features`` pixels and
    ``n_classes`` classes allocates at its peak, with s = the run's float size:

    - network: P = Σ (n_in·n_out + n_out) (+ 4h per batch-norm layer), held as
      parameters, gradients, and the optimizer's state plus one scratch array
      (SGD 1, momentum/Nesterov/AdaGrad/RMSprop 2, Adam/AdamW 5 copies):
      (2 + k)·P·s;
    - the training batch: B·(Σ_layers units·width + input)·s, where a layer's
      units are its forward and backward work arrays (ReLU 3 + 1, sigmoid/tanh
      2 + 1, batch norm +3 + 3, dropout +2 + 1, softmax 4 + 1, dx of each
      Affine but the first), plus B copies of an image and its label;
    - evaluation: the test-time forward arrays for chunks of E = min(EVAL_CHUNK,
      largest evaluated set) rows, unless E = B (then the batch's are reused);
    - data the run copies: the validation split (n·d values), the train-accuracy
      subset (eval_train_size·d), everything again when ``data_dtype`` differs
      from the run's dtype, and the dataset itself if ``include_dataset``
      (when it is not loaded yet; `Trainer` measures after loading);
    - the loss history: 24 bytes per step, in a buffer that grows by doubling;
    - the weight snapshots: k·P'·4 bytes (float32), P' the trained parameters
      (no running statistics), k = ``config.snapshots`` or fewer within
      ``snapshot_bytes`` (`snapshots.snapshot_count`), at most one per step and
      the start (`snapshots.snapshot_iterations`), allocated at the start.

    Peak = max(network + batch + evaluation, weight initialisation (float64
    draws, then a cast)) + data + history + snapshots.
    """
    return _peak(_parts(config, n_train, n_features, n_classes, n_test, data_dtype, include_dataset,
                        snapshot_bytes))


def _peak(p: dict[str, int]) -> int:
    """The peak formula of `estimate_bytes` over its terms."""
    return (max(p["network"] + p["batch"] + p["evaluation"], p["init"]) + p["data"] + p["history"]
            + p["snapshots"])


def _parts(config: RunConfig, n_train: int, n_features: int, n_classes: int, n_test: int,
           data_dtype: Any, include_dataset: bool, snapshot_bytes: int = SNAPSHOT_BYTES) -> dict[str, int]:
    """The terms of `estimate_bytes`, in bytes."""
    s = np.dtype(config.dtype).itemsize
    d_item = s if data_dtype is None else np.dtype(data_dtype).itemsize
    B, d, K = config.batch_size, int(n_features), max(int(n_classes), 1)
    sizes = [d, *config.hidden, K]
    params = sum(a * b + b for a, b in pairwise(sizes))
    trained = params + (2 * sum(config.hidden) if config.batchnorm else 0)    # + γ, β: what a snapshot holds
    if config.batchnorm:
        params += 4 * sum(config.hidden)
    copies = 2 + len(optim.get_class(config.optimizer).state_names) + 1

    fwd = bwd = test = 0
    act_f, act_b = _ACTIVATION_UNITS[config.activation]
    for h in config.hidden:
        f, b, t = act_f, act_b, act_f
        if config.batchnorm:
            f, b, t = f + _BATCHNORM_UNITS[0], b + _BATCHNORM_UNITS[1], t + _BATCHNORM_TEST
        if config.dropout > 0:
            f, b = f + _DROPOUT_UNITS[0], b + _DROPOUT_UNITS[1]
        fwd, bwd, test = fwd + f * h, bwd + (b + 1) * h, test + t * h   # +1: the next Affine's dx
    fwd, bwd, test = fwd + _SOFTMAX_UNITS[0] * K, bwd + _SOFTMAX_UNITS[1] * K, test + K

    n_tr, n_val = split_sizes(n_train, config.train_size, config.val_fraction)
    n_eval = n_tr if config.eval_train_size is None else min(config.eval_train_size, n_tr)
    rows = min(EVAL_CHUNK, max(n_eval, n_val, n_test))

    data = 0
    if n_val:
        data += (n_tr + n_val) * (d * d_item + 8)
    if n_eval < n_tr:
        data += n_eval * (d * s + 8)
    if data_dtype is not None and np.dtype(data_dtype) != np.dtype(config.dtype):
        data += (n_tr + n_val + n_test) * d * s
    if include_dataset:
        data += (n_train + n_test) * (d * d_item + 8)

    steps = _total_iterations(config, n_tr)
    capacity = min(steps + 1, 4096)
    while capacity < steps + 1:
        capacity *= 2
    largest = max(a * b for a, b in pairwise(sizes))
    return {
        "network": copies * params * s,
        "batch": B * ((fwd + bwd + d) * s + 16),
        "evaluation": 0 if rows == B else rows * test * s,
        "init": params * s + 3 * 8 * largest,
        "data": data,
        "history": capacity * _HISTORY_BYTES,
        "snapshots": len(snapshot_iterations(steps, snapshot_count(config.snapshots, trained, snapshot_bytes)))
        * trained * ITEM_BYTES,
    }


def _total_iterations(config: RunConfig, n_train: int) -> int:
    """Steps of the run, as the `Trainer` counts them."""
    per_epoch = max(n_train // config.batch_size, 1)
    if config.epochs is not None:
        return max(1, math.ceil(config.epochs * per_epoch))
    return int(config.iterations or 1)


def available_bytes() -> int | None:
    """Memory this process may still allocate, or None when the OS does not say.

    The smallest of: MemAvailable (/proc/meminfo; elsewhere the free physical
    pages), RLIMIT_AS minus the address space in use, RLIMIT_DATA minus the
    data segment in use, and the cgroup limit (v2 memory.max, v1
    memory.limit_in_bytes) minus its usage without reclaimable page cache.
    """
    found = [v for v in (_mem_available(), *_rlimit_room(), _cgroup_room()) if v is not None]
    return max(min(found), 0) if found else None


def check_fits(
    config: RunConfig,
    n_train: int,
    n_features: int,
    n_classes: int,
    n_test: int = 0,
    data_dtype: Any = None,
    available: int | None = None,
    runs: int = 1,
    snapshot_bytes: int = SNAPSHOT_BYTES,
) -> int:
    """The run's `estimate_bytes`; raises `InsufficientMemory` (one line) when
    ``runs`` such runs at once exceed ``available`` (default `available_bytes()`;
    unknown: never refused)."""
    p = _parts(config, n_train, n_features, n_classes, n_test, data_dtype, False, snapshot_bytes)
    need = _peak(p)
    if available is None:
        available = available_bytes()
    if available is None or need * runs <= available:
        return need
    if runs > 1:
        raise PARALLEL.error(InsufficientMemory, runs=runs, need=format_bytes(need * runs),
                             available=format_bytes(available))
    advice = LESS_DATA() if p["data"] + p["history"] > need / 2 else SMALLER_NETWORK()
    raise TOO_MUCH.error(InsufficientMemory, need=format_bytes(need), available=format_bytes(available),
                         advice=advice)


def format_bytes(n: float) -> str:
    """A size in decimal units: ``812 B``, ``28.9 kB``, ``9.6 MB``, ``34.8 GB`` (the one byte formatter:
    memory messages and the MNIST download's progress)."""
    n = max(n, 0)
    if n < 1e3:
        return f"{n:.0f} B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6)):
        if n < scale * 1e3:
            return f"{n / scale:.1f} {unit}"
    return f"{n / 1e9:.1f} GB"


# -- what the OS grants ----------------------------------------------------------

def _read(path: str | Path) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            return f.read(1 << 16)
    except OSError:
        return None


def _field_kb(text: str | None, name: str) -> int | None:
    for line in (text or "").splitlines():
        key, _, rest = line.partition(":")
        if key == name:
            try:
                return int(rest.split()[0]) * 1024
            except (IndexError, ValueError):
                return None
    return None


def _mem_available() -> int | None:
    found = _field_kb(_read("/proc/meminfo"), "MemAvailable")
    if found is not None:
        return found
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _rlimit_room() -> tuple[int | None, int | None]:
    try:
        import resource
    except ImportError:                 # Windows
        return None, None
    status = _read("/proc/self/status")
    out: list[int | None] = []
    for res, used_field in ((resource.RLIMIT_AS, "VmSize"), (getattr(resource, "RLIMIT_DATA", None), "VmData")):
        if res is None:
            out.append(None)
            continue
        soft = resource.getrlimit(res)[0]
        if soft == resource.RLIM_INFINITY or soft < 0:
            out.append(None)
            continue
        out.append(soft - (_field_kb(status, used_field) or 0))
    return out[0], out[1]


def _cgroup_room() -> int | None:
    if not sys.platform.startswith("linux"):
        return None
    rooms = []
    for line in (_read("/proc/self/cgroup") or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        rel = parts[2].lstrip("/")
        if parts[0] == "0" and parts[1] == "":                          # cgroup v2
            base = Path("/sys/fs/cgroup")
            here = base / rel
            while True:                                                 # a parent's limit binds too
                rooms.append(_room(here / "memory.max", here / "memory.current", here / "memory.stat",
                                   "inactive_file"))
                if here == base or base not in here.parents:
                    break
                here = here.parent
        elif "memory" in parts[1].split(","):                           # cgroup v1
            for here in (Path("/sys/fs/cgroup/memory") / rel, Path("/sys/fs/cgroup/memory")):
                rooms.append(_room(here / "memory.limit_in_bytes", here / "memory.usage_in_bytes",
                                   here / "memory.stat", "total_inactive_file"))
    found = [r for r in rooms if r is not None]
    return min(found) if found else None


def _room(limit_path: Path, usage_path: Path, stat_path: Path, cache_key: str) -> int | None:
    limit_text, usage_text = _read(limit_path), _read(usage_path)
    try:
        limit = int((limit_text or "").strip())
        usage = int((usage_text or "").strip())
    except ValueError:                  # "max", missing, unreadable
        return None
    if limit >= 1 << 60:                # v1's "no limit"
        return None
    cache = 0
    for line in (_read(stat_path) or "").splitlines():
        key, _, value = line.partition(" ")
        if key == cache_key and value.strip().isdigit():
            cache = int(value)
    return limit - max(usage - cache, 0)
