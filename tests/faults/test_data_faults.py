"""Fault injection for MNIST data: hostile servers, gzip bombs, odd files in the data folder, damaged caches.

Every case expects one clear DataError line (from the CLI: exit 2, no
traceback), no ``.part`` file left, nothing huge written, memory bounded and
a good cache still used.  Servers are loopback ``http.server`` threads;
sizes, rates and timeouts are made small so the file runs in a few seconds.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import numpy as np
import pytest

import optilab.data.files
from optilab import data
from optilab.data import sources

FILES = data.FILES
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types, signals and rlimits")


# ------------------------------------------------------------------ helpers

def _idx(array: np.ndarray) -> bytes:
    """IDX bytes built from the format's definition."""
    return struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def _set(seed: int, n: int = 12) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        FILES[0]: rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), FILES[1]: rng.integers(0, 10, n, dtype=np.uint8),
        FILES[2]: rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), FILES[3]: rng.integers(0, 10, 4, dtype=np.uint8),
    }


def _write_set(folder: Path, arrays: dict[str, np.ndarray]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        (folder / f"{name}.gz").write_bytes(gzip.compress(_idx(array)))
    return folder


def _one_line(error: BaseException, *fragments: str) -> str:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    for fragment in fragments:
        assert fragment in text, text
    return text


def _cli(args: list[str], env_home: Path, timeout: float = 30, limit_mb: int | None = None, **kw):
    env = dict(os.environ, XDG_CACHE_HOME=str(env_home))
    env.pop("OPTILAB_MNIST_DIR", None)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    return subprocess.run([sys.executable, "-m", "optilab", "mnist", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, preexec_fn=limit if limit_mb else None, **kw)


def _assert_cli_error(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("OPTILAB_MNIST_DIR", raising=False)


# ------------------------------------------------------------------ hostile servers

class _Hostile(BaseHTTPRequestHandler):
    """``/<behaviour>/<file>``: the four bodies served well or badly."""

    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        behaviour, _, file_name = self.path.strip("/").partition("/")
        body = self.server.bodies.get(file_name)
        if body is None or behaviour in ("404", "500"):
            self.send_error(int(behaviour) if behaviour in ("404", "500") else 404)
            return
        if behaviour == "silent":  # no status line, no headers
            self.server.release.wait(10)
            return
        self.send_response(200)
        lengths = {"longer": len(body) + 50, "shorter": len(body) // 2, "huge": 10 ** 9}
        if behaviour not in ("nolength", "flood", "trickle"):
            self.send_header("Content-Length", str(lengths.get(behaviour, len(body))))
        self.end_headers()
        try:
            if behaviour == "trickle":
                for byte in body:
                    if self.server.release.wait(0.1):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            elif behaviour == "stall":
                self.wfile.write(body[:100])
                self.wfile.flush()
                self.server.release.wait(10)
            elif behaviour == "flood":
                self.wfile.write(body)
                for _ in range(64):  # 4 MB beyond a genuine copy, with no Content-Length
                    self.wfile.write(b"\0" * 65536)
            elif behaviour == "garbage":
                self.wfile.write(os.urandom(len(body)))
            elif behaviour == "huge":
                self.wfile.write(body)
            else:
                self.wfile.write(body)
        except OSError:  # the client gave up: that is the point
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(local_http_server, monkeypatch):
    """A hostile server; the hash table trusts its (small, synthetic) bodies, SIZES are theirs."""
    httpd = local_http_server(_Hostile)
    arrays = _set(3)
    httpd.bodies = {f"{name}.gz": gzip.compress(_idx(a)) for name, a in arrays.items()}
    for name, array in arrays.items():
        monkeypatch.setitem(optilab.data.files.SHA256, name, hashlib.sha256(_idx(array)).hexdigest())
        monkeypatch.setitem(optilab.data.files.SIZES, name, len(_idx(array)))
    httpd.arrays = arrays
    return httpd


def _no_part(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


HOSTILE = [
    # behaviour, kwargs, fragment of the message
    ("trickle", {"timeout": 2, "min_rate": 1000, "rate_window": 0.5}, "too slow"),
    ("silent", {"timeout": 0.5}, "the server did not answer within 0.5 s"),
    ("stall", {"timeout": 0.5}, "stalled: no data for 0.5 s after 100 bytes"),
    ("longer", {"timeout": 2}, "truncated: got"),
    ("shorter", {"timeout": 2}, "corrupt gzip data"),
    ("flood", {"timeout": 2}, "more than a genuine copy can be"),
    ("huge", {"timeout": 2}, "the server announces 1000000000 bytes"),
    ("404", {"timeout": 2}, "HTTP error 404"),
    ("500", {"timeout": 2}, "HTTP error 500"),
    ("garbage", {"timeout": 2}, "not a valid gzip file"),
]


@pytest.mark.parametrize("behaviour, kwargs, fragment", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_server_gives_one_line_and_leaves_nothing(tmp_path, server, behaviour, kwargs, fragment):
    folder = tmp_path / "dl"
    largest = []
    start = time.monotonic()
    with pytest.raises(data.DataError) as info:
        data.download(folder, mirrors=f"{server.base}/{behaviour}/", progress=lambda f, d, t, r: largest.append(d),
                      **kwargs)
    assert time.monotonic() - start < 5
    _one_line(info.value, "could not download train-images-idx3-ubyte.gz", fragment)
    assert list(folder.iterdir()) == []
    assert max(largest, default=0) < 1 << 20  # nothing huge written (the flood sends 4 MB)


def test_progress_without_a_content_length_ends_on_the_bytes_received(tmp_path, server):
    seen = []
    data.download(tmp_path / "dl", mirrors=f"{server.base}/nolength/", timeout=2, progress=lambda *a: seen.append(a))
    body = server.bodies[f"{FILES[0]}.gz"]
    last = [call for call in seen if call[0] == f"{FILES[0]}.gz"][-1]
    assert last[1:3] == (len(body), len(body))


def test_a_slow_mirror_does_not_cost_the_verified_files(tmp_path, server):
    folder = tmp_path / "dl"
    data.download(folder, mirrors=f"{server.base}/ok/", timeout=2)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / f"{FILES[3]}.gz").unlink()
    with pytest.raises(data.DataError, match="too slow"):
        data.download(folder, mirrors=f"{server.base}/trickle/", timeout=2, min_rate=1000, rate_window=0.5)
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == {k: v for k, v in before.items() if k != f"{FILES[3]}.gz"}


@POSIX
def test_stale_parts_of_dead_downloads_are_removed_and_live_ones_kept(tmp_path, server):
    folder = tmp_path / "dl"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, timeout=30)
    dead_pid = int(dead.stdout)
    stale = folder / f".{FILES[0]}.gz.{dead_pid}.abc123.part"
    old = folder / f".{FILES[1]}.gz.x7k2m9q1.part"  # older naming, untouched for two hours
    live = folder / f".{FILES[2]}.gz.{os.getppid()}.zz99.part"
    for part in (stale, old, live):
        part.write_bytes(b"partial")
    os.utime(old, (time.time() - 7200,) * 2)
    data.download(folder, mirrors=f"{server.base}/ok/", timeout=2)
    assert not stale.exists() and not old.exists()
    assert live.exists()


@POSIX
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_cli_download_leaves_no_part_file(tmp_path, server, sig):
    dest = tmp_path / "dl"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    process = subprocess.Popen(
        [sys.executable, "-m", "optilab", "mnist", "download", "--mirror", f"{server.base}/stall/",
         "--data-dir", str(dest), "--timeout", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while not (dest.exists() and list(dest.glob("*.part"))):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.05)
        time.sleep(0.2)  # the first bytes are being read
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if sig == signal.SIGTERM:
        assert process.returncode == 128 + signal.SIGTERM
        assert "Traceback" not in stderr and "stopped by SIGTERM" in stderr
        _no_part(dest)
    else:  # nothing can run at a SIGKILL: the next download cleans up
        assert list(dest.glob("*.part"))
        data.download(dest, mirrors=f"{server.base}/ok/", timeout=2)
        _no_part(dest)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e308", "-1", "0", "ten"])
def test_cli_timeout_must_be_a_usable_number(tmp_path, text):
    result = _cli(["download", "--timeout", text, "--mirror", "http://127.0.0.1:9/"], tmp_path / "xdg")
    _assert_cli_error(result, "--timeout")


# ------------------------------------------------------------------ gzip bombs

_ZEROS_MB = gzip.compress(b"\0" * (1 << 20))  # one 1-MB member, about 1 kB


def _bomb(header_count: int, data_mb: int) -> bytes:
    """A multi-member gzip: an images header declaring ``header_count`` images, then ``data_mb`` MB of zeros."""
    return gzip.compress(struct.pack(">IIII", 0x803, header_count, 28, 28)) + _ZEROS_MB * data_mb


def _bomb_folder(folder: Path, blob: bytes) -> Path:
    _write_set(folder, _set(5))
    (folder / f"{FILES[0]}.gz").write_bytes(blob)
    return folder


@pytest.mark.parametrize("count", [1_000_000, 3_000_000])
def test_header_claiming_millions_of_images_is_refused_before_decompressing(tmp_path, count):
    folder = _bomb_folder(tmp_path / "bomb", _bomb(count, 8))
    with pytest.raises(data.DataError) as info:
        data.load(folder)
    _one_line(info.value, f"{FILES[0]}.gz", "implausible header", f"{count}×28×28")
    assert not (tmp_path / "xdg" / "optilab" / "mnist" / "npy").exists()  # nothing written into the cache


@POSIX
@pytest.mark.parametrize("count, data_mb", [(1_000_000, 750), (3_000_000, 1500), (12, 1500)],
                         ids=["1e6-images", "3e6-images", "more-data-than-declared"])
def test_gzip_bomb_under_a_memory_limit_is_one_line_exit_2(tmp_path, count, data_mb):
    folder = _bomb_folder(tmp_path / "bomb", _bomb(count, data_mb))
    start = time.monotonic()
    result = _cli(["info", "--data-dir", str(folder)], tmp_path / "xdg", limit_mb=450)
    assert time.monotonic() - start < 15
    _assert_cli_error(result, f"{FILES[0]}.gz", "implausible header" if count > 12 else "unexpected trailing bytes")
    assert not (tmp_path / "xdg" / "optilab" / "mnist" / "npy").exists()


@POSIX
def test_full_size_set_beyond_the_memory_limit_is_one_line_exit_2(tmp_path):
    folder = tmp_path / "full"
    folder.mkdir()
    for name, header, size in [(FILES[0], (0x803, 60000, 28, 28), 60000 * 784), (FILES[1], (0x801, 60000), 60000),
                               (FILES[2], (0x803, 10000, 28, 28), 10000 * 784), (FILES[3], (0x801, 10000), 10000)]:
        blob = gzip.compress(struct.pack(f">{len(header)}I", *header)) + _ZEROS_MB * (size >> 20)
        (folder / f"{name}.gz").write_bytes(blob + gzip.compress(b"\0" * (size % (1 << 20))))
    result = _cli(["info", "--data-dir", str(folder)], tmp_path / "xdg", limit_mb=300)
    _assert_cli_error(result, str(folder), "not enough memory")


# ------------------------------------------------------------------ odd files in the data folder

def _odd(kind: str, path: Path, target: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "broken-link":
        path.symlink_to(target / "nowhere.gz")


# The kinds are optilab.fileio.file_kind's words (the one table of kinds of file, issue #13 item 2).
ODD = [("fifo", "is a FIFO, not a file"), ("folder", "is a folder, not a file"),
       ("device", "is a character device, not a file"), ("broken-link", "is a broken symbolic link")]


@POSIX
@pytest.mark.parametrize("kind, fragment", ODD, ids=[o[0] for o in ODD])
def test_odd_file_in_the_data_folder_says_what_it_is(tmp_path, kind, fragment):
    folder = _write_set(tmp_path / "mnist", _set(6))
    target = folder / f"{FILES[1]}.gz"
    target.unlink()
    _odd(kind, target, tmp_path)
    result = _cli(["info", "--data-dir", str(folder)], tmp_path / "xdg", timeout=20)
    _assert_cli_error(result, str(target), fragment)


@POSIX
@pytest.mark.parametrize("kind, fragment", ODD, ids=[o[0] for o in ODD])
def test_read_idx_never_blocks_on_an_odd_path(tmp_path, kind, fragment):
    path = tmp_path / "labels.gz"
    _odd(kind, path, tmp_path)
    code = f"from optilab.data import read_idx\ntry:\n read_idx({str(path)!r})\nexcept Exception as e:\n print(e)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert fragment in result.stdout and "Traceback" not in result.stderr, (result.stdout, result.stderr)


def test_symlinked_files_are_followed(tmp_path):
    arrays = _set(7)
    real = _write_set(tmp_path / "real", arrays)
    links = tmp_path / "links"
    links.mkdir()
    for name in FILES:
        (links / f"{name}.gz").symlink_to(real / f"{name}.gz")
    loaded = data.load(links)
    assert np.array_equal(loaded.t_train, arrays[FILES[1]])


def test_a_file_given_as_data_dir_is_called_a_regular_file(tmp_path):
    not_a_folder = tmp_path / "train-images-idx3-ubyte.gz"
    not_a_folder.write_bytes(b"x")
    for action in (["info"], ["download", "--mirror", "http://127.0.0.1:9/"]):
        result = _cli([*action, "--data-dir", str(not_a_folder)], tmp_path / "xdg")
        _assert_cli_error(result, str(not_a_folder), "is a regular file, not a folder")
    assert not_a_folder.read_bytes() == b"x"


# ------------------------------------------------------------------ damaged caches

def _entry(folder: Path) -> Path:
    return sources._npy_dir(sources._stamp(sources.find_files(folder)))


def _loaded_equals(folder: Path, arrays) -> None:
    loaded = data.load(folder)
    assert np.array_equal(loaded.t_train, arrays[FILES[1]])
    assert np.array_equal(loaded.x_test, arrays[FILES[2]].reshape(-1, 784).astype(np.float32) / 255)


STAMPS = ["[]", '"x"', "null", "1", "{}", '{"stamp": []}', "not json", "\xff\xfe", "STAMP_WITH_BAD_OFFICIAL"]


@pytest.mark.parametrize("text", STAMPS)
def test_damaged_stamp_means_rebuild(tmp_path, text):
    arrays = _set(8)
    folder = _write_set(tmp_path / "mnist", arrays)
    data.load(folder)
    stamp_file = _entry(folder) / "stamp.json"
    if text == "STAMP_WITH_BAD_OFFICIAL":
        meta = json.loads(stamp_file.read_text())
        text = json.dumps({"stamp": meta["stamp"], "official": "yes"})
    stamp_file.write_bytes(text.encode("latin-1"))
    _loaded_equals(folder, arrays)
    assert isinstance(json.loads(stamp_file.read_text())["official"], bool)  # rebuilt
    assert sources._read_npy_cache(sources._stamp(sources.find_files(folder))) is not None


def _damage(kind: str, path: Path) -> None:
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif kind == "garbage":
        path.write_bytes(os.urandom(500))
    elif kind == "wrong-shape":
        np.save(path, np.zeros((5, 7), dtype=np.uint8))
    elif kind == "wrong-dtype":
        np.save(path, np.load(path).astype(np.float64))
    elif kind == "folder":
        path.unlink()
        path.mkdir()
    elif kind == "fifo":
        path.unlink()
        os.mkfifo(path)


NPY_DAMAGE = ["truncated", "garbage", "wrong-shape", "wrong-dtype", "folder",
              pytest.param("fifo", marks=POSIX)]


@pytest.mark.parametrize("kind", NPY_DAMAGE)
def test_damaged_npy_copy_means_rebuild(tmp_path, kind):
    arrays = _set(9)
    folder = _write_set(tmp_path / "mnist", arrays)
    data.load(folder)
    _damage(kind, _entry(folder) / f"{FILES[2]}.npy")
    if kind == "fifo":  # the old reader blocked for ever on np.load(FIFO): run it where it can be timed out
        code = f"from optilab import data\nprint(data.load({str(folder)!r}).n_test)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20,
                                env=dict(os.environ))
        assert result.stdout.strip() == "4" and result.stderr == "", result.stderr
    else:
        with _NoWarnings():
            _loaded_equals(folder, arrays)
    assert sources._read_npy_cache(sources._stamp(sources.find_files(folder))) is not None  # rebuilt


class _NoWarnings:
    """Fail when a warning (e.g. 'cannot keep a fast-loading copy') is issued in the block."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        self.seen = self._catch.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)
        assert [str(w.message) for w in self.seen] == []


def test_npy_cache_keeps_only_the_most_recently_used_folders(tmp_path):
    folders = [_write_set(tmp_path / f"set{i}", _set(20 + i)) for i in range(5)]
    for folder in folders[:3]:
        data.load(folder)
    time.sleep(0.01)
    data.load(folders[0])  # used again: the most recent
    for folder in folders[3:]:
        time.sleep(0.01)
        data.load(folder)
    root = tmp_path / "xdg" / "optilab" / "mnist" / "npy"
    assert len(list(root.iterdir())) == sources.NPY_CACHE_ENTRIES == 3
    assert {_entry(f) for f in (folders[0], folders[3], folders[4])} == set(root.iterdir())


def test_clear_cache_deletes_downloads_and_copies_only(tmp_path, server):
    cache = tmp_path / "xdg" / "optilab" / "mnist"
    data.download(cache, mirrors=f"{server.base}/ok/", timeout=2)
    data.load(_write_set(tmp_path / "other", _set(11)))
    (cache / "notes.txt").write_text("mine")
    result = _cli(["clear-cache"], tmp_path / "xdg")
    assert result.returncode == 0, result.stderr
    assert "Cleared the MNIST cache" in result.stdout
    assert sorted(p.name for p in cache.iterdir()) == ["notes.txt"]
    assert "clear-cache" in _cli(["--help"], tmp_path / "xdg").stdout
