"""``optilab mnist`` run as a real process: info, path, download, errors, Ctrl-C."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import numpy as np
import pytest

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

# The downloader checks the official MNIST hashes; a child process cannot be
# monkeypatched, so the download tests start optilab's real ``__main__`` after
# substituting the hashes of the synthetic files served below.
_MAIN_WITH_TEST_HASHES = (
    "import json, os, runpy; import optilab.data.files as f; "
    "f.SHA256.update(json.loads(os.environ['OPTILAB_TEST_SHA256'])); "
    "runpy.run_module('optilab', run_name='__main__', alter_sys=True)"
)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OPTILAB_MNIST_DIR", None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    env.update(extra)
    return env


def _optilab(tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 30):
    return subprocess.run(
        [sys.executable, "-m", "optilab", "mnist", *args],
        capture_output=True, text=True, env=env or _env(tmp_path), timeout=timeout,
    )


def _synthetic_gz() -> tuple[dict[str, bytes], dict[str, str]]:
    """Small MNIST-shaped files (gzip bodies by .gz name) and the sha256 of each uncompressed file."""
    rng = np.random.default_rng(7)
    shapes = {FILES[0]: (20, 28, 28), FILES[1]: (20,), FILES[2]: (5, 28, 28), FILES[3]: (5,)}
    bodies, hashes = {}, {}
    for name, shape in shapes.items():
        array = rng.integers(0, 10 if len(shape) == 1 else 256, size=shape, dtype=np.uint8)
        raw = struct.pack(">I", 0x800 + len(shape)) + struct.pack(f">{len(shape)}I", *shape) + array.tobytes()
        bodies[f"{name}.gz"] = gzip.compress(raw)
        hashes[name] = hashlib.sha256(raw).hexdigest()
    return bodies, hashes


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        body = self.server.bodies.get(name)
        if body is None or not self.path.startswith(("/good/", "/stall/")):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.startswith("/stall/"):
            self.wfile.write(body[:50])
            self.server.release.wait(30)
            return
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def mirror(local_http_server):
    httpd = local_http_server(_Handler)
    httpd.bodies, httpd.hashes = _synthetic_gz()
    return httpd


def test_no_action_prints_help(tmp_path):
    result = _optilab(tmp_path)
    assert result.returncode == 0
    assert "usage: optilab mnist" in result.stdout and "download" in result.stdout


def test_info_with_sample_says_it_plainly(tmp_path):
    result = _optilab(tmp_path, "info", "--sample")
    assert result.returncode == 0, result.stderr
    assert "Training images: 8,000" in result.stdout
    assert "Test images: 2,000" in result.stdout
    assert "This is the bundled sample:" in result.stdout


def test_info_without_data_falls_back_to_the_sample(tmp_path):
    result = _optilab(tmp_path, "info")
    assert result.returncode == 0, result.stderr
    assert "This is the bundled sample:" in result.stdout


def test_path_honours_xdg_cache_home(tmp_path):
    result = _optilab(tmp_path, "path")
    assert result.returncode == 0
    assert result.stdout.strip() == str(tmp_path / "xdg" / "optilab" / "mnist")


def test_bad_data_dir_is_one_line_and_exit_2(tmp_path):
    result = _optilab(tmp_path, "info", "--data-dir", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "nowhere") in lines[0]


def test_damaged_file_is_one_line_and_exit_2(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in FILES:
        (folder / f"{name}.gz").write_bytes(b"not gzip at all")
    result = _optilab(tmp_path, "info", "--data-dir", str(folder))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "not a gzip file" in result.stderr


def test_mirror_with_info_is_refused(tmp_path):
    result = _optilab(tmp_path, "info", "--mirror", "http://127.0.0.1:9/")
    assert result.returncode == 2 and "--mirror" in result.stderr


def test_download_from_a_local_mirror_then_info_uses_the_cache(tmp_path, mirror):
    env = _env(tmp_path, OPTILAB_TEST_SHA256=json.dumps(mirror.hashes))
    command = [sys.executable, "-c", _MAIN_WITH_TEST_HASHES, "mnist"]
    result = subprocess.run([*command, "download", "--mirror", f"{mirror.base}/good/"],
                            capture_output=True, env=env, timeout=60)  # bytes: keep the \r
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    cache = tmp_path / "xdg" / "optilab" / "mnist"
    assert sorted(p.name for p in cache.iterdir()) == sorted(f"{n}.gz" for n in FILES)
    size = len(mirror.bodies["train-images-idx3-ubyte.gz"]) / 1e3
    assert f"\rtrain-images-idx3-ubyte.gz  {size:.1f} kB/{size:.1f} kB" in stderr  # the progress line
    assert "Traceback" not in stderr
    assert str(cache) in result.stdout.decode()

    info = subprocess.run([*command, "info"], capture_output=True, text=True, env=env, timeout=60)
    assert info.returncode == 0, info.stderr
    assert "download cache" in info.stdout
    assert "Training images: 20" in info.stdout and "bundled sample" not in info.stdout


def test_download_failure_is_one_line_and_leaves_nothing(tmp_path, mirror):
    result = _optilab(tmp_path, "download", "--mirror", f"{mirror.base}/missing/", "--data-dir", str(tmp_path / "dl"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "could not download train-images-idx3-ubyte.gz" in result.stderr
    assert list((tmp_path / "dl").iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to a child is POSIX-only")
def test_ctrl_c_during_download_exits_130_and_removes_the_temp_file(tmp_path, mirror):
    dest = tmp_path / "dl"
    process = subprocess.Popen(
        [sys.executable, "-m", "optilab", "mnist", "download", "--mirror", f"{mirror.base}/stall/",
         "--data-dir", str(dest), "--timeout", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path),
    )
    try:
        deadline = time.monotonic() + 20
        while not list(dest.glob("*.part")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert list(dest.iterdir()) == []


def test_progress_line_without_a_length_ends_on_the_bytes_received():
    import io

    from optilab.cli.mnist import _ProgressLine

    stream = io.StringIO()
    line = _ProgressLine(stream, interval=60)  # every update after the first falls inside the interval
    line("t10k-labels-idx1-ubyte.gz", 0, None, 0.0)
    line("t10k-labels-idx1-ubyte.gz", 4500, None, 9000.0)
    line.end()
    assert stream.getvalue().rsplit("\r", 1)[-1].startswith("t10k-labels-idx1-ubyte.gz  4.5 kB")
