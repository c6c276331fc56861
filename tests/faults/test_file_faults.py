"""Fault injection for file writes and scenario reads: links, FIFOs, devices, full and read-only disks.

Every case checks what a user relies on: one clear line, nothing blocks, the
previous good file is intact, no temporary file is left behind, and what was
at the path (a link, a FIFO, a device) is still what it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from optilab import fileio
from optilab import scenario as sc
from optilab.scenario import ScenarioError

GOOD = "good old content\n"
ROOT = os.geteuid() == 0


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".optilab-tmp-" in p.name)


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert text and "\n" not in text and "Traceback" not in text
    return text


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), made in tmp_path when allowed.

    A copy means a regression replaces the copy, never the machine's own device.
    """
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, AttributeError):
        real = Path("/dev") / name
        if os.access(real.parent, os.W_OK):
            pytest.skip("cannot make a device node, and /dev is writable: a regression would replace it")
        return real
    return path


def write_in_thread(path: Path, text: str = "new\n", timeout: float = 5.0) -> BaseException | None:
    """write_text_atomic(path) in a thread; fails the test if it has not returned within ``timeout``."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            fileio.write_text_atomic(path, text)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _unblock_fifo(path)
        thread.join(5)
        pytest.fail(f"writing {path} did not return within {timeout} s")
    return outcome[0]


def _unblock_fifo(path: Path) -> None:
    for flags in (os.O_RDONLY | os.O_NONBLOCK, os.O_WRONLY | os.O_NONBLOCK):
        with contextlib.suppress(OSError):
            os.close(os.open(path, flags))


# ------------------------------------------------------------------ links are written through

def test_symlink_to_a_file_is_written_through(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text(GOOD)
    os.chmod(real, 0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    fileio.write_text_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new\n" and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_chain_of_relative_links_into_another_folder_is_written_through(tmp_path):
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "real.json"
    real.write_text(GOOD)
    (tmp_path / "b.json").symlink_to("data/real.json")
    (tmp_path / "a.json").symlink_to("b.json")
    fileio.write_text_atomic(tmp_path / "a.json", "new\n")
    assert os.readlink(tmp_path / "a.json") == "b.json" and os.readlink(tmp_path / "b.json") == "data/real.json"
    assert real.read_text() == "new\n"
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "data") == []


def test_a_dangling_link_creates_the_file_it_points_to(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "made.csv")
    fileio.write_text_atomic(link, "new\n")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "new\n"


def test_a_dangling_link_into_a_missing_folder_names_that_folder(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "gone" / "made.csv")
    with pytest.raises(OSError) as info:
        fileio.write_text_atomic(link, "new\n")
    assert one_line(info.value) == f"{tmp_path / 'gone'}: no such folder; choose an existing folder"
    assert link.is_symlink()


def test_a_loop_of_links_is_refused_in_one_line(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError) as info:
        fileio.write_text_atomic(tmp_path / "a", "new\n")
    assert "loop of symbolic links" in one_line(info.value)
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink() and leftovers(tmp_path) == []


# ------------------------------------------------------------------ what is not a regular file is refused

def test_a_fifo_is_refused_without_blocking_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    exc = write_in_thread(fifo)
    assert isinstance(exc, OSError)
    assert one_line(exc) == f"{fifo}: not a regular file (a FIFO); choose a file name"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and leftovers(tmp_path) == []


def test_a_link_to_a_fifo_is_refused_and_both_stay(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "link.csv").symlink_to(fifo)
    exc = write_in_thread(tmp_path / "link.csv")
    assert isinstance(exc, OSError) and "(a FIFO)" in one_line(exc)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and (tmp_path / "link.csv").is_symlink()


@pytest.mark.parametrize("name, minor", [("full", 7), ("null", 3)])
def test_a_device_is_refused_and_not_replaced(tmp_path, name, minor):
    dev = device(tmp_path, name, minor)
    before = os.lstat(dev)
    exc = write_in_thread(dev)
    assert isinstance(exc, OSError)
    assert one_line(exc) == f"{dev}: not a regular file (a character device); choose a file name"
    after = os.lstat(dev)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and leftovers(dev.parent) == []


def test_a_folder_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "taken.json"
    folder.mkdir()
    (folder / "inside").write_text(GOOD)
    with pytest.raises(OSError) as info:
        fileio.write_text_atomic(folder, "new\n")
    assert one_line(info.value) == f"{folder}: not a regular file (a folder); choose a file name"
    assert (folder / "inside").read_text() == GOOD and leftovers(tmp_path) == []


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.csv"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(OSError) as info:
            fileio.write_text_atomic(path, "new\n")
    assert "(a socket)" in one_line(info.value) and stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_file_as_the_folder_is_named(tmp_path):
    (tmp_path / "plain").write_text(GOOD)
    with pytest.raises(OSError) as info:
        fileio.write_text_atomic(tmp_path / "plain" / "out.csv", "new\n")
    assert one_line(info.value) == f"{tmp_path / 'plain'}: not a folder; choose an existing folder"
    assert (tmp_path / "plain").read_text() == GOOD


# ------------------------------------------------------------------ read-only and full file systems

@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs (root only); yields a function remounting it with options."""
    if not ROOT:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "mnt"
    mnt.mkdir()

    def mount(*options: str) -> Path:
        args = ["mount", "-t", "tmpfs", "-o", ",".join(("size=64k", *options)), "tmpfs", str(mnt)]
        if os.path.ismount(mnt):
            args = ["mount", "-o", ",".join(("remount", *options)), str(mnt)]
        if subprocess.run(args, capture_output=True, timeout=10).returncode != 0:
            pytest.skip("this machine does not allow mounting a tmpfs")
        return mnt

    yield mount
    if os.path.ismount(mnt):
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=10)


def test_a_read_only_folder_is_named_and_the_old_file_kept(tmpfs):
    mnt = tmpfs()
    (mnt / "out.csv").write_text(GOOD)
    tmpfs("ro")
    with pytest.raises(OSError) as info:
        fileio.write_text_atomic(mnt / "out.csv", "new\n")
    assert one_line(info.value) == f"{mnt}: is read-only; choose a folder you can write to"
    assert (mnt / "out.csv").read_text() == GOOD and leftovers(mnt) == []


def test_a_full_disk_gives_one_line_and_keeps_the_old_file(tmpfs):
    mnt = tmpfs()
    (mnt / "out.csv").write_text(GOOD)
    with pytest.raises(OSError) as info:
        fileio.write_text_atomic(mnt / "out.csv", "x" * 200_000)
    assert one_line(info.value).startswith(f"{mnt / 'out.csv'}: not enough space (No space left on device); ")
    assert (mnt / "out.csv").read_text() == GOOD and leftovers(mnt) == []


def test_a_file_size_limit_gives_one_line_and_keeps_the_old_file(tmp_path):
    """RLIMIT_FSIZE (EFBIG) in a child: works without root."""
    target = tmp_path / "out.csv"
    target.write_text(GOOD)
    code = textwrap.dedent(f"""
        import resource
        from optilab import fileio
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))
        try:
            fileio.write_text_atomic({str(target)!r}, "x" * 200_000)
        except OSError as exc:
            print(exc)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith(f"{target}: not enough space (File too large); ") and r.stdout.count("\n") == 1
    assert target.read_text() == GOOD and leftovers(tmp_path) == []


# ------------------------------------------------------------------ permissions: umask for new files, kept for old

@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    fileio.write_text_atomic(tmp_path / "new.csv", "new\n")
    assert stat.S_IMODE(os.stat(tmp_path / "new.csv").st_mode) == mode


@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, mode):
    umask(0o077)
    target = tmp_path / "old.csv"
    target.write_text(GOOD)
    os.chmod(target, mode)
    fileio.write_text_atomic(target, "new\n")
    assert stat.S_IMODE(os.stat(target).st_mode) == mode and target.read_text() == "new\n"


@pytest.mark.skipif(not ROOT, reason="giving a file to another user needs root")
def test_an_existing_file_keeps_its_owner(tmp_path):
    target = tmp_path / "old.csv"
    target.write_text(GOOD)
    os.chown(target, 4321, 4322)
    fileio.write_text_atomic(target, "new\n")
    st = os.stat(target)
    assert (st.st_uid, st.st_gid) == (4321, 4322)


# ------------------------------------------------------------------ a writer killed mid-write

def test_a_temp_left_by_a_killed_writer_is_removed_at_the_next_write(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text(GOOD)
    code = textwrap.dedent(f"""
        import time
        from optilab import fileio
        def slow(tmp):
            tmp.write_text("half")
            print("writing", flush=True)
            time.sleep(60)
        fileio.write_atomic({str(target)!r}, slow)
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "writing\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        child.stdout.close()
    left = leftovers(tmp_path)
    assert len(left) == 1 and f"-{child.pid}-" in left[0] and left[0].endswith(".csv")
    assert target.read_text() == GOOD
    fileio.write_text_atomic(target, "second\n")          # fresh: another writer might still own it
    assert leftovers(tmp_path) == left
    old = time.time() - fileio.STALE_SECONDS - 60
    os.utime(tmp_path / left[0], (old, old))
    fileio.write_text_atomic(target, "third\n")
    assert leftovers(tmp_path) == [] and target.read_text() == "third\n"


def test_a_stale_temp_of_a_live_writer_is_kept(tmp_path):
    target = tmp_path / "out.csv"
    live = tmp_path / f".out.csv.optilab-tmp-{os.getppid()}-0a1b2c3d.csv"
    live.write_text("someone else's")
    old = time.time() - 86_400
    os.utime(live, (old, old))
    fileio.write_text_atomic(target, "new\n")
    assert live.exists()


# ------------------------------------------------------------------ the CLI end to end

def optilab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_cli_output_to_a_device_or_fifo_exits_2_in_one_line(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.csv"
        os.mkfifo(target)
    else:
        target = device(tmp_path, "full", 7)
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "sgd", "--steps", "3", "-o", str(target))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr and "not a regular file" in r.stderr
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)
    assert leftovers(target.parent) == []


# ------------------------------------------------------------------ scenario files that are not regular files

def load_in_child(path: Path) -> subprocess.CompletedProcess:
    """scenario.load in a child limited to 1 GB of memory and 20 s, so an unbounded read fails, not hangs."""
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from optilab import scenario
        try:
            scenario.load({str(path)!r})
        except scenario.ScenarioError as exc:
            print(exc)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)


@pytest.mark.parametrize("dev", ["/dev/zero", "/dev/urandom"])
def test_a_scenario_linked_to_an_endless_device_is_refused(tmp_path, dev):
    link = tmp_path / "lesson.json"
    link.symlink_to(dev)
    r = load_in_child(link)
    assert r.stderr == ""
    assert r.stdout == f"{link}: not a regular file (a character device); choose an optilab .json scenario\n"


def test_a_scenario_fifo_is_refused_within_a_second(tmp_path):
    fifo = tmp_path / "lesson.json"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    def load() -> None:
        with pytest.raises(ScenarioError) as info:
            sc.load(fifo)
        outcome.append(info.value)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(1.0)
    if thread.is_alive():
        _unblock_fifo(fifo)
        thread.join(5)
        pytest.fail("opening a FIFO scenario blocked")
    assert one_line(outcome[0]) == f"{fifo}: not a regular file (a FIFO); choose an optilab .json scenario"


def test_a_scenario_folder_is_refused(tmp_path):
    with pytest.raises(ScenarioError) as info:
        sc.load(tmp_path)
    assert one_line(info.value) == f"{tmp_path}: is a folder, not a scenario file"


def test_a_scenario_growing_past_the_limit_after_the_size_check_is_not_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (3 * sc.MAX_BYTES))
    real_stat = os.stat

    def small_at_first(p, *args, **kwargs):   # the size seen before it grew
        st = real_stat(p, *args, **kwargs)
        return os.stat_result((*st[:6], 10, *st[7:])) if Path(p) == path else st

    monkeypatch.setattr(os, "stat", small_at_first)
    with pytest.raises(ScenarioError) as info:
        sc.load(path)
    assert one_line(info.value) == "big.json: file is larger than 1 MB; this is not an optilab scenario"


def test_a_2_mb_scenario_is_refused(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b"{" + b" " * 2_000_000 + b"}")
    with pytest.raises(ScenarioError) as info:
        sc.load(path)
    assert one_line(info.value) == "big.json: file is larger than 1 MB; this is not an optilab scenario"


@pytest.mark.skipif(not ROOT or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_a_folder_without_write_permission_is_named(tmp_path):
    """A child that keeps uid 0 but loses the capabilities to override file permissions."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    (folder / "out.csv").write_text(GOOD)
    os.chown(folder, 65534, 65534)
    code = textwrap.dedent(f"""
        from optilab import fileio
        try:
            fileio.write_text_atomic({str(folder / "out.csv")!r}, "new")
        except OSError as exc:
            print(exc)
    """)
    r = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", sys.executable, "-c",
                        code], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {r.stderr.strip()}")
    assert r.stdout == f"{folder}: permission denied; choose a folder you can write to\n"
    assert (folder / "out.csv").read_text() == GOOD and leftovers(folder) == []


def test_cli_output_to_a_full_disk_exits_2_and_keeps_the_old_file(tmpfs):
    mnt = tmpfs()
    (mnt / "out.csv").write_text(GOOD)
    with open(mnt / "filler", "wb", buffering=0) as filler:   # fill the disk to the last block
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "sgd", "--steps", "3", "-o", str(mnt / "out.csv"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "not enough space" in r.stderr
    assert (mnt / "out.csv").read_text() == GOOD and leftovers(mnt) == []
