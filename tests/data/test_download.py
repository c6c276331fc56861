"""The downloader against a local HTTP server: success, fallback, and every failure leaving nothing behind."""

from __future__ import annotations

import gzip
import hashlib
import struct
from http.server import BaseHTTPRequestHandler

import numpy as np
import pytest

from optilab.data import FILES, DataError, DownloadCancelled, download, load, read_idx


class _Handler(BaseHTTPRequestHandler):
    """Serves ``server.routes[path] = (behaviour, body)``; unknown paths give 404."""

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        behaviour, body = route
        self.send_response(200)
        self.send_header("Content-Type", "application/gzip")
        if behaviour == "truncated":
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            return  # HTTP/1.0: the connection closes here, short of Content-Length
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "stall":
            self.wfile.write(body[:100])
            self.server.release.wait(10)  # much longer than the client's timeout
            return
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def server(local_http_server):
    httpd = local_http_server(_Handler)
    httpd.routes = {}
    return httpd


def _idx_gz(synthetic) -> dict[str, bytes]:
    """IDX bytes built from the format definition, gzip-compressed, keyed by .gz name."""
    out = {}
    for name, array in synthetic.items():
        raw = struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()
        out[f"{name}.gz"] = gzip.compress(raw)
    return out


@pytest.fixture
def bodies(synthetic, trust):
    """The synthetic set as .gz bodies by file name, with the hash table trusting it."""
    trust(synthetic)
    return _idx_gz(synthetic)


def _serve(server, prefix: str, behaviour: str, bodies: dict[str, bytes]) -> str:
    for file_name, body in bodies.items():
        server.routes[f"/{prefix}/{file_name}"] = (behaviour, body)
    return f"{server.base}/{prefix}/"


def _assert_empty(folder) -> None:
    assert sorted(p.name for p in folder.iterdir()) == []


def test_download_fetches_and_verifies_all_four_files(tmp_path, server, bodies, synthetic):
    mirror = _serve(server, "good", "ok", bodies)
    seen = []
    folder = download(tmp_path / "dl", mirrors=mirror, progress=lambda *a: seen.append(a), timeout=5)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in FILES)
    for name in FILES:
        np.testing.assert_array_equal(read_idx(folder / f"{name}.gz"), synthetic[name])
    last = {}
    for file_name, done, total, rate in seen:
        last[file_name] = (done, total)
        assert rate >= 0
    assert last == {name: (len(body), len(body)) for name, body in bodies.items()}


def test_downloaded_folder_loads(tmp_path, server, bodies, synthetic):
    folder = download(tmp_path / "dl", mirrors=_serve(server, "good", "ok", bodies), timeout=5)
    data = load(folder)
    assert data.n_train == 30 and data.source == f"full MNIST from {folder}"


def test_download_defaults_to_the_cache_folder(server, bodies):
    from optilab.data import cache_dir

    assert download(mirrors=_serve(server, "good", "ok", bodies), timeout=5) == cache_dir()
    assert load().source.startswith("full MNIST from the download cache")


def test_mirror_fallback_after_404(tmp_path, server, bodies):
    good = _serve(server, "good", "ok", bodies)
    folder = download(tmp_path / "dl", mirrors=[f"{server.base}/missing/", good], timeout=5)
    assert len(list(folder.iterdir())) == 4


def test_verified_files_are_skipped(tmp_path, server, bodies):
    folder = download(tmp_path / "dl", mirrors=_serve(server, "good", "ok", bodies), timeout=5)
    server.routes.clear()  # everything 404 now: a second run must not need the server
    assert download(folder, mirrors=f"{server.base}/good/", timeout=5) == folder


def test_damaged_file_in_place_is_downloaded_again(tmp_path, server, bodies, synthetic):
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"rubbish")
    download(folder, mirrors=_serve(server, "good", "ok", bodies), timeout=5)
    np.testing.assert_array_equal(read_idx(folder / "train-labels-idx1-ubyte.gz"), synthetic["train-labels-idx1-ubyte"])


def test_all_mirrors_failing_names_the_file_and_each_mirror(tmp_path, server, bodies):
    with pytest.raises(DataError) as excinfo:
        download(tmp_path / "dl", mirrors=[f"{server.base}/a/", f"{server.base}/b/"], timeout=5)
    message = str(excinfo.value)
    assert message.startswith("could not download train-images-idx3-ubyte.gz:")
    assert f"{server.base}/a/train-images-idx3-ubyte.gz" in message
    assert f"{server.base}/b/train-images-idx3-ubyte.gz" in message
    assert "404" in message and "try another --mirror" in message
    _assert_empty(tmp_path / "dl")


def test_truncated_download_leaves_nothing(tmp_path, server, bodies):
    mirror = _serve(server, "trunc", "truncated", bodies)
    with pytest.raises(DataError, match="truncated"):
        download(tmp_path / "dl", mirrors=mirror, timeout=5)
    _assert_empty(tmp_path / "dl")


def test_wrong_hash_leaves_nothing(tmp_path, server, bodies, trust, synthetic):
    mirror = _serve(server, "good", "ok", bodies)
    trust({name: array + 1 for name, array in synthetic.items()})  # now the served files are "wrong"
    with pytest.raises(DataError, match=r"sha256 mismatch from http://127\.0\.0\.1:\d+/good/train-images"):
        download(tmp_path / "dl", mirrors=mirror, timeout=5)
    _assert_empty(tmp_path / "dl")


def test_content_that_is_not_gzip_leaves_nothing(tmp_path, server, bodies):
    mirror = _serve(server, "html", "ok", {name: b"<html>moved</html>" for name in bodies})
    with pytest.raises(DataError, match="gzip"):
        download(tmp_path / "dl", mirrors=mirror, timeout=5)
    _assert_empty(tmp_path / "dl")


def test_stalled_server_times_out_and_leaves_nothing(tmp_path, server, bodies):
    mirror = _serve(server, "stall", "stall", bodies)
    with pytest.raises(DataError, match="stalled"):
        download(tmp_path / "dl", mirrors=mirror, timeout=1)
    _assert_empty(tmp_path / "dl")


def test_cancel_stops_with_download_cancelled_and_leaves_nothing(tmp_path, server, bodies):
    mirror = _serve(server, "good", "ok", bodies)
    folder = tmp_path / "dl"
    progress_seen = []
    temp_seen = []

    def cancel() -> bool:
        if progress_seen and progress_seen[-1][1] > 0:  # after the first chunk was written
            temp_seen.extend(p.name for p in folder.glob("*.part"))
            return True
        return False

    with pytest.raises(DownloadCancelled) as excinfo:
        download(folder, mirrors=mirror, progress=lambda *a: progress_seen.append(a), cancel=cancel, timeout=5)
    assert "train-images-idx3-ubyte.gz" in str(excinfo.value)
    assert isinstance(excinfo.value, DataError)
    assert len(temp_seen) == 1  # the partial file existed while downloading ...
    _assert_empty(folder)  # ... and is gone


def test_cancel_between_files_keeps_the_verified_ones(tmp_path, server, bodies):
    mirror = _serve(server, "good", "ok", bodies)
    folder = tmp_path / "dl"

    def cancel() -> bool:
        return (folder / "train-images-idx3-ubyte.gz").exists()

    with pytest.raises(DownloadCancelled):
        download(folder, mirrors=mirror, cancel=cancel, timeout=5)
    assert sorted(p.name for p in folder.iterdir()) == ["train-images-idx3-ubyte.gz"]


def test_exception_in_progress_callback_removes_the_temp_file(tmp_path, server, bodies):
    mirror = _serve(server, "good", "ok", bodies)

    def explode(file_name, done, total, rate):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download(tmp_path / "dl", mirrors=mirror, progress=explode, timeout=5)
    _assert_empty(tmp_path / "dl")


def test_sha256_table_holds_the_official_uncompressed_hashes():
    # Spot check against the published MNIST table (independent of the synthetic files).
    from optilab.data import SHA256

    assert SHA256["t10k-labels-idx1-ubyte"] == "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
    assert set(SHA256) == set(FILES)


def test_bundled_sample_files_match_the_official_hashes():
    from pathlib import Path

    import optilab.data
    from optilab.data import SHA256

    sample = Path(optilab.data.__file__).parent / "sample"
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        content = gzip.decompress((sample / f"{name}.gz").read_bytes())
        assert hashlib.sha256(content).hexdigest() == SHA256[name]
