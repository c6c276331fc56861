"""Where the MNIST digits come from, and the dataset object the trainer uses.

:func:`load` looks, in this order, at

a. a folder given as argument, else the ``OPTILAB_MNIST_DIR`` environment
   variable: it must hold the four standard files (``.gz`` or raw);
b. the user cache folder (:func:`cache_dir`), filled by ``optilab mnist
   download``: used when it holds all four files and they pass their sha256;
c. the bundled sample: the 10,000 images of the official MNIST test set,
   split 8,000 train / 2,000 test with a stratified split of fixed seed.

Decompressing the full set takes about half a second, so after the first
load of a folder (a or b) uint8 ``.npy`` copies are kept in
``cache_dir()/npy/<key>/``; the key is made of the source files' paths, sizes
and modification times, so a changed file is never served stale.  Later
loads read these with ``np.load`` (memory-mapped) and only convert to float.
Only the :data:`NPY_CACHE_ENTRIES` most recently loaded folders keep copies;
a damaged entry is rebuilt; ``optilab mnist clear-cache`` deletes it all
(:func:`clear_cache`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from optilab import fileio, messages, paths
from optilab.data.errors import (
    DELETE_REFETCH,
    PERMISSIONS,
    REPLACE,
    DataError,
    DataWarning,
    broken_link,
    file_error,
    not_a_file,
    not_a_folder,
)
from optilab.data.files import FILES, MAX_ITEMS, SHA256
from optilab.data.idx import IMAGE_SHAPE, check_pair, parse_idx, read_idx_bytes
from optilab.messages import Message

ENV_VAR = "OPTILAB_MNIST_DIR"
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_N_TEST = 2000
SAMPLE_SEED = 0
SAMPLE = messages.declare(
    "data.source.sample", "bundled sample (8,000 train / 2,000 test images from the official MNIST test set)")
SAMPLE_DESCRIPTION = str(SAMPLE())
OFFICIAL = messages.declare("data.source.official", "full MNIST from {where}")
UNOFFICIAL = messages.declare(
    "data.source.unofficial", "MNIST-format files from {where} (not the official MNIST: sha256 differs)")
FROM_ENV = messages.declare("data.source.from_env", "{folder} (from OPTILAB_MNIST_DIR)")
FROM_CACHE = messages.declare("data.source.cache", "the download cache {folder}")

NO_FOLDER = messages.declare("data.no_folder", "{path}: no such folder; {advice}")
MISSING = messages.declare("data.missing", "{path}: missing; {advice}")
SHA256_MISMATCH = messages.declare(
    "data.sha256_mismatch", "{path}: sha256 mismatch: the file is damaged or not the official MNIST file; {advice}")
NO_MEMORY = messages.declare("data.no_memory", "{path}: not enough memory to load these MNIST files; {advice}")
CANNOT_DELETE = messages.declare("data.cannot_delete", "{path}: cannot delete ({reason}); {advice}")
BAD_TEST_SPLIT = messages.declare("data.bad_test_split", "n_test must be between 0 and {n}, got {n_test}")
NO_FAST_COPY = messages.declare(
    "data.no_fast_copy", "{folder}: cannot keep a fast-loading copy of MNIST ({reason}); loading works but stays slow")
GIVE_FOLDER = messages.declare(
    "data.advice.give_folder", "give a folder holding the four MNIST files, or run 'optilab mnist download'")
MUST_HOLD = messages.declare(
    "data.advice.must_hold", "the folder must hold {files}; copy it there or run 'optilab mnist download'")
SMALLER = messages.declare(
    "data.advice.smaller", "close other programs, or train on the bundled sample (--sample)")
_NPY_FORMAT = 1  # bump when the layout of the .npy cache changes
#: How many folders keep ``.npy`` copies; the least recently loaded ones beyond are deleted.
NPY_CACHE_ENTRIES = 3


@dataclass(frozen=True, eq=False)
class Dataset:
    """MNIST ready for training.

    ``x_*`` are ``(N, 784)`` float32 pixels in [0, 1] (row-major 28×28),
    ``t_*`` are ``(N,)`` int64 digit labels 0-9.  ``source`` says in plain
    (English) words where the data came from, ``source_message`` the same as
    a `Message` the UI translates (None for a dataset made by hand);
    ``is_sample`` is True for the bundled 8,000/2,000 sample.
    """

    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    source: str
    is_sample: bool = False
    source_message: Message | None = None

    @property
    def n_train(self) -> int:
        """Number of training images."""
        return len(self.x_train)

    @property
    def n_test(self) -> int:
        """Number of test images."""
        return len(self.x_test)

    def __repr__(self) -> str:
        return (f"Dataset(n_train={self.n_train}, n_test={self.n_test}, source={self.source!r}, "
                f"is_sample={self.is_sample})")


MNIST = Dataset


def cache_dir() -> Path:
    """The folder where downloads and ``.npy`` copies are kept: ``mnist`` in `optilab.paths.cache_dir`.

    ``$XDG_CACHE_HOME/optilab/mnist`` (default ``~/.cache/optilab/mnist``) on
    Linux, ``~/Library/Caches/optilab/mnist`` on macOS,
    ``%LOCALAPPDATA%\\optilab\\Cache\\mnist`` on Windows.  Not created here.
    """
    return paths.cache_dir() / "mnist"


def to_float(images: np.ndarray) -> np.ndarray:
    """uint8 images ``(N, 28, 28)`` -> float32 ``(N, 784)`` in [0, 1].

    ``astype`` then an in-place divide is several times faster than
    ``np.divide(..., dtype=float32)`` on a uint8 input.
    """
    x = images.reshape(len(images), -1).astype(np.float32)
    x /= np.float32(255.0)
    return x


def _dataset(arrays: dict[str, np.ndarray], source: Message, is_sample: bool) -> Dataset:
    return Dataset(
        x_train=to_float(arrays["train-images-idx3-ubyte"]),
        t_train=arrays["train-labels-idx1-ubyte"].astype(np.int64),
        x_test=to_float(arrays["t10k-images-idx3-ubyte"]),
        t_test=arrays["t10k-labels-idx1-ubyte"].astype(np.int64),
        source=str(source),
        is_sample=is_sample,
        source_message=source,
    )


# ----------------------------------------------------------------------- folders

def find_files(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """Map each of the four standard names to its file in ``folder``.

    ``NAME.gz`` is preferred over a raw ``NAME``.  Raises DataError naming the
    first missing file (or what stands in its place: a folder, a FIFO, a
    device), or the folder when it does not exist or is not a folder.
    Nothing is opened here.
    """
    d = Path(folder).expanduser()
    try:
        mode = d.stat().st_mode
    except OSError:
        mode = None
    if mode is None:
        raise file_error(NO_FOLDER, d, GIVE_FOLDER())
    if not stat.S_ISDIR(mode):
        raise not_a_folder(d, mode, GIVE_FOLDER())
    found: dict[str, Path] = {}
    for name in FILES:
        odd: tuple[Path, int] | None = None
        for candidate in (d / f"{name}.gz", d / name):
            try:
                mode = candidate.stat().st_mode
            except OSError:
                if candidate.is_symlink():
                    raise broken_link(candidate) from None
                continue
            if stat.S_ISREG(mode):
                found[name] = candidate
                break
            odd = odd or (candidate, mode)
        else:
            if odd is not None:
                raise not_a_file(odd[0], odd[1], REPLACE())
            raise file_error(MISSING, d / f"{name}.gz", MUST_HOLD(files=", ".join(n + "[.gz]" for n in FILES)))
    return found


def _complete_files(folder: Path) -> dict[str, Path] | None:
    """Like :func:`find_files` but None when the set is incomplete."""
    try:
        return find_files(folder)
    except DataError:
        return None


def _stamp(files: dict[str, Path]) -> dict:
    stamp: dict = {"format": _NPY_FORMAT, "files": {}}
    for name, path in files.items():
        st = path.stat()
        stamp["files"][name] = {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    return stamp


def _npy_dir(stamp: dict) -> Path:
    key = hashlib.sha256(json.dumps(stamp, sort_keys=True).encode()).hexdigest()[:20]
    return cache_dir() / "npy" / key


def _is_regular(path: Path) -> bool:
    """True for a regular file (symlinks followed); never opens it, so a FIFO cannot block."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _valid_arrays(arrays: dict[str, np.ndarray]) -> bool:
    """True when cached arrays have the dtype, shapes and counts of an MNIST set."""
    for kind in ("train", "t10k"):
        images, labels = arrays[f"{kind}-images-idx3-ubyte"], arrays[f"{kind}-labels-idx1-ubyte"]
        if images.dtype != np.uint8 or labels.dtype != np.uint8:
            return False
        if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE or labels.ndim != 1:
            return False
        if len(images) != len(labels) or not 0 < len(labels) <= MAX_ITEMS or int(labels.max()) > 9:
            return False
    return True


def _read_npy_cache(stamp: dict) -> tuple[dict[str, np.ndarray], bool] | None:
    """Arrays from a valid ``.npy`` cache entry for ``stamp``, else None.

    Any damage (stamp not a JSON object, a ``.npy`` file truncated, of the
    wrong dtype or shape, a folder or FIFO in a file's place) gives None, so
    the caller rebuilds the entry.  A hit marks the entry as recently used.
    """
    folder = _npy_dir(stamp)
    stamp_file = folder / "stamp.json"
    files = {name: folder / f"{name}.npy" for name in FILES}
    if not all(_is_regular(p) for p in (stamp_file, *files.values())):
        return None
    try:
        meta = json.loads(stamp_file.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("stamp") != stamp or not isinstance(meta.get("official"), bool):
            return None
        arrays = {name: np.load(path, mmap_mode="r", allow_pickle=False) for name, path in files.items()}
        if not all(isinstance(a, np.ndarray) for a in arrays.values()) or not _valid_arrays(arrays):
            return None
    except (OSError, ValueError, TypeError, EOFError, UnicodeDecodeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(stamp_file)  # most recently used: kept longest by _prune_npy_cache
    return arrays, meta["official"]


def _entry_age_key(entry: Path) -> float:
    """When an entry of the ``.npy`` cache was last used (its stamp's mtime, else the folder's)."""
    for path in (entry / "stamp.json", entry):
        try:
            return path.stat().st_mtime
        except OSError:
            continue
    return 0.0


def _prune_npy_cache(root: Path, keep: Path) -> None:
    """Delete all but the :data:`NPY_CACHE_ENTRIES` most recently used entries (``keep`` always stays)."""
    try:
        entries = [p for p in root.iterdir() if p != keep]
    except OSError:
        return
    entries.sort(key=_entry_age_key, reverse=True)
    for old in entries[max(NPY_CACHE_ENTRIES - 1, 0):]:
        _remove(old)


def _remove(path: Path) -> None:
    """Delete a file or a folder tree; errors are ignored (the cache is only a speed-up)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _write_npy_cache(stamp: dict, arrays: dict[str, np.ndarray], official: bool) -> None:
    """Keep uint8 copies for fast reloads; a failure only costs speed (warned)."""
    folder = _npy_dir(stamp)
    source_folders = {str(Path(f["path"]).parent) for f in stamp["files"].values()}
    try:
        # an older entry of the same source folder is stale now: drop it
        root = folder.parent
        if root.is_dir():
            for old in root.iterdir():
                try:
                    meta = json.loads((old / "stamp.json").read_text(encoding="utf-8")) if _is_regular(
                        old / "stamp.json") else None
                    old_folders = {str(Path(f["path"]).parent) for f in meta["stamp"]["files"].values()}
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    continue
                if old != folder and old_folders == source_folders:
                    shutil.rmtree(old, ignore_errors=True)
        if os.path.lexists(folder):  # a damaged entry (or a file in its place): rebuild from scratch
            _remove(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in arrays.items():   # fileio's temp-and-rename: never half a file under the name
            fileio.write_atomic(folder / f"{name}.npy", partial(_save_npy, np.ascontiguousarray(array)))
        meta_text = json.dumps({"stamp": stamp, "official": official}, indent=1)
        fileio.write_text_atomic(folder / "stamp.json", meta_text)  # written last: marks the entry complete
        _prune_npy_cache(root, folder)
    except OSError as exc:
        reason = os.strerror(exc.errno) if isinstance(exc, fileio.WriteError) and exc.errno else None
        warnings.warn(DataWarning(NO_FAST_COPY(folder=str(folder), reason=reason or exc.strerror or str(exc))),
                      stacklevel=3)


def _save_npy(array: np.ndarray, path: Path) -> None:
    with open(path, "wb") as fh:
        np.save(fh, array, allow_pickle=False)


def clear_cache() -> tuple[Path, int]:
    """Delete what optilab keeps in :func:`cache_dir`: downloads, partial downloads, ``.npy`` copies.

    Files of other names in the folder are left alone.  Returns the folder
    and the number of bytes freed.  Raises DataError when something could
    not be deleted.
    """
    folder = cache_dir()
    if not folder.is_dir():
        return folder, 0
    targets = [folder / "npy", *(folder / f"{name}.gz" for name in FILES), *folder.glob(".*.part")]
    freed = 0
    for target in targets:
        if not os.path.lexists(target):
            continue
        members = [target] if not target.is_dir() or target.is_symlink() else [p for p in target.rglob("*")]
        freed += sum(p.lstat().st_size for p in members if p.is_file() and not p.is_symlink())
        try:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        except OSError as exc:
            raise file_error(CANNOT_DELETE, target, PERMISSIONS(), reason=exc.strerror or str(exc)) from None
    return folder, freed


def _read_folder_arrays(files: dict[str, Path], require_official: bool) -> tuple[dict[str, np.ndarray], bool]:
    """Read and check the four files; return the arrays and whether all match SHA256."""
    arrays: dict[str, np.ndarray] = {}
    official = True
    for name in FILES:
        data = read_idx_bytes(files[name])
        if hashlib.sha256(data).hexdigest() != SHA256[name]:
            if require_official:
                raise file_error(SHA256_MISMATCH, files[name], DELETE_REFETCH())
            official = False
        arrays[name] = parse_idx(data, files[name])
    for kind in ("train", "t10k"):
        images, labels = f"{kind}-images-idx3-ubyte", f"{kind}-labels-idx1-ubyte"
        check_pair(arrays[images], arrays[labels], files[images], files[labels])
    return arrays, official


def load_folder(folder: str | os.PathLike[str], *, require_official: bool = False,
                label: str | Message | None = None) -> Dataset:
    """Load the four standard files from ``folder`` (the full MNIST, or any set in its format).

    Files of the right format whose sha256 differs from the official MNIST
    (Fashion-MNIST, say) are accepted and said so in ``source``, unless
    ``require_official`` is set, when they raise DataError.  ``label`` names
    the folder in ``source`` (default: its path).
    """
    d = Path(folder).expanduser()
    files = find_files(d)
    stamp = _stamp(files)
    try:
        cached = _read_npy_cache(stamp)
        if cached is not None:
            arrays, official = cached
            if require_official and not official:
                cached = None
        if cached is None:
            arrays, official = _read_folder_arrays(files, require_official)
            _write_npy_cache(stamp, arrays, official)
        where = label or str(d)
        return _dataset(arrays, (OFFICIAL if official else UNOFFICIAL)(where=where), is_sample=False)
    except MemoryError:
        raise file_error(NO_MEMORY, d, SMALLER()) from None


# ------------------------------------------------------------------------ sample

def sample_split(labels: np.ndarray, n_test: int = SAMPLE_N_TEST,
                 seed: int = SAMPLE_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Stratified split of ``range(len(labels))`` into sorted train and test indices.

    Each class gives the test part its share ``n_c * n_test / N``, rounded by
    largest remainder so the shares add up to exactly ``n_test``; which of
    the class's images go to test is drawn with ``default_rng(seed)``.
    """
    labels = np.asarray(labels)
    n = len(labels)
    if not 0 <= n_test <= n:
        raise BAD_TEST_SPLIT.error(n=n, n_test=n_test)
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * n_test / n
    share = np.floor(exact).astype(int)
    short = n_test - int(share.sum())
    # largest remainders first; ties by class order, so the split is deterministic
    order = np.argsort(-(exact - share), kind="stable")
    share[order[:short]] += 1
    rng = np.random.default_rng(seed)
    test_parts = []
    for c, k in zip(classes, share, strict=True):
        members = np.flatnonzero(labels == c)
        test_parts.append(rng.permutation(members)[:k])
    test = np.sort(np.concatenate(test_parts)) if test_parts else np.empty(0, dtype=np.intp)
    mask = np.ones(n, dtype=bool)
    mask[test] = False
    return np.flatnonzero(mask), test


def load_sample() -> Dataset:
    """The bundled sample: the 10,000 official MNIST test images split 8,000 / 2,000.

    The split is :func:`sample_split` with seed 0, the same on every run.
    """
    images_path = SAMPLE_DIR / "t10k-images-idx3-ubyte.gz"
    labels_path = SAMPLE_DIR / "t10k-labels-idx1-ubyte.gz"
    images = parse_idx(read_idx_bytes(images_path), images_path)
    labels = parse_idx(read_idx_bytes(labels_path), labels_path)
    check_pair(images, labels, images_path, labels_path)
    train, test = sample_split(labels)
    return Dataset(
        x_train=to_float(images[train]),
        t_train=labels[train].astype(np.int64),
        x_test=to_float(images[test]),
        t_test=labels[test].astype(np.int64),
        source=SAMPLE_DESCRIPTION,
        is_sample=True,
        source_message=SAMPLE(),
    )


# ----------------------------------------------------------------------- resolve

def resolve(data_dir: str | os.PathLike[str] | None = None, sample: bool = False) -> tuple[str, Path | None]:
    """Which source :func:`load` would use, without loading it.

    Returns ``(kind, folder)`` with kind ``"folder"`` (argument), ``"env"``
    (``OPTILAB_MNIST_DIR``), ``"cache"`` or ``"sample"`` (folder None).
    """
    if sample:
        return "sample", None
    if data_dir is not None and str(data_dir) != "":
        return "folder", Path(data_dir).expanduser()
    env = os.environ.get(ENV_VAR, "")
    if env:
        return "env", Path(env).expanduser()
    cache = cache_dir()
    if _complete_files(cache) is not None:
        return "cache", cache
    return "sample", None


def load(data_dir: str | os.PathLike[str] | None = None, sample: bool = False) -> Dataset:
    """Load MNIST from the first available source (see the module docstring).

    ``sample=True`` forces the bundled sample.  A folder given (argument or
    ``OPTILAB_MNIST_DIR``) must be complete and valid, else DataError; the
    cache is used only when it holds all four files, which must then pass
    their sha256 check (a damaged cache raises DataError rather than being
    silently replaced by the sample).
    """
    kind, folder = resolve(data_dir, sample)
    if kind == "sample":
        return load_sample()
    assert folder is not None
    if kind == "env":
        return load_folder(folder, label=FROM_ENV(folder=str(folder)))
    if kind == "cache":
        return load_folder(folder, require_official=True, label=FROM_CACHE(folder=str(folder)))
    return load_folder(folder)
