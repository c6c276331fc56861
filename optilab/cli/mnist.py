"""``optilab mnist info|path|download|clear-cache``: find, inspect, fetch and forget the MNIST digits."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from typing import TextIO

from optilab import messages
from optilab.cli.common import CLIError, parse_float

MIRROR_ONLY = messages.declare("cli.mnist.mirror_only", "--mirror only applies to 'optilab mnist download'")
SAMPLE_NO_DOWNLOAD = messages.declare(
    "cli.mnist.sample_no_download", "--sample cannot be downloaded, it ships with optilab; drop --sample")
CLEAR_OWN_CACHE = messages.declare(
    "cli.mnist.clear_own_cache",
    "clear-cache only deletes optilab's own cache (see 'optilab mnist path'); drop --data-dir and --sample")
SIGTERM = messages.declare(
    "cli.mnist.sigterm", "download stopped by SIGTERM; nothing was kept, run it again to resume")

_DESCRIPTION = (
    "Show which MNIST data optilab would train on (info), print the cache folder (path), "
    "download the full set into it (download), or delete the cache: downloaded files and the "
    "fast-loading copies of loaded folders (clear-cache). Without a download or --data-dir, "
    "optilab uses its bundled sample: 8,000 training and 2,000 test images taken from "
    "the official MNIST test set. The environment variable OPTILAB_MNIST_DIR may name "
    "a folder holding the four MNIST files. The cache folder is "
    "$XDG_CACHE_HOME/optilab/mnist (default ~/.cache/optilab/mnist) on Linux, "
    "~/Library/Caches/optilab/mnist on macOS, %LOCALAPPDATA%\\optilab\\Cache\\mnist on Windows."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``mnist`` subcommand to the ``optilab`` parser."""
    parser = subparsers.add_parser(
        "mnist", help="show, locate or download the MNIST digits", description=_DESCRIPTION,
    )
    parser.add_argument(
        "action", nargs="?", choices=("info", "path", "download", "clear-cache"),
        help="info: the source that would be used and its sizes; path: the cache folder; "
             "download: fetch the four files into the cache (or --data-dir); "
             "clear-cache: delete the cache folder's downloads and fast-loading copies",
    )
    parser.add_argument(
        "--mirror", action="append", metavar="URL",
        help="download from this server (a folder URL holding the four .gz files); "
             "may be repeated; default: the usual public mirrors",
    )
    parser.add_argument("--data-dir", metavar="DIR",
                        help="a folder holding the four MNIST files (info), or where to download them (download)")
    parser.add_argument("--sample", action="store_true", help="use the bundled sample (info)")
    parser.add_argument("--timeout", default="30", metavar="SECONDS",
                        help="give up on a server silent for this long, at most 3600 (download; default 30); "
                             "a transfer slower than 10 kB/s over 30 s is abandoned too")
    parser.set_defaults(func=_run, _mnist_parser=parser)


def _run(args: argparse.Namespace) -> int:
    if args.action is None:
        args._mnist_parser.print_help()
        return 0
    if args.mirror and args.action != "download":
        raise CLIError(MIRROR_ONLY())
    if args.sample and args.action == "download":
        raise CLIError(SAMPLE_NO_DOWNLOAD())
    if args.action == "clear-cache" and (args.data_dir is not None or args.sample):
        raise CLIError(CLEAR_OWN_CACHE())
    from optilab.data import DataError, check_timeout

    try:
        args.timeout = check_timeout(parse_float("--timeout", args.timeout), "--timeout")
        if args.action == "path":
            return _path()
        if args.action == "clear-cache":
            return _clear_cache()
        if args.action == "info":
            return _info(args)
        return _download(args)
    except (DataError, OSError) as exc:
        raise CLIError.of(exc) from None


def _path() -> int:
    from optilab.data import cache_dir

    print(cache_dir())
    return 0


def _clear_cache() -> int:
    from optilab.data import clear_cache

    folder, freed = clear_cache()
    from optilab.training.memory import format_bytes

    print(f"Cleared the MNIST cache in {folder} ({format_bytes(freed)} freed)")
    return 0


def _info(args: argparse.Namespace) -> int:
    from optilab.data import cache_dir, load

    start = time.perf_counter()
    data = load(args.data_dir, sample=args.sample)
    seconds = time.perf_counter() - start
    print(f"Source: {data.source}")
    print(f"Training images: {data.n_train:,}")
    print(f"Test images: {data.n_test:,}")
    print("Image size: 28×28 pixels, grey levels scaled to [0, 1]")
    print(f"Loaded in {seconds:.2f} s")
    if data.is_sample:
        print(
            f"This is the bundled sample: {data.n_train:,} training and {data.n_test:,} test images "
            "taken from the official MNIST test set (stratified split, seed 0). "
            "For the full 60,000/10,000 set run 'optilab mnist download' "
            f"(saves into {cache_dir()}) or pass --data-dir DIR."
        )
    return 0


class _ProgressLine:
    """One ``\\r``-updated line on a stream: file, bytes/total, rate."""

    def __init__(self, stream: TextIO, interval: float = 0.1) -> None:
        self.stream = stream
        self.interval = interval
        self.current: str | None = None
        self.last = 0.0
        self.width = 0
        self.pending: tuple[str, int, int | None, float] | None = None  # an update not drawn yet

    def __call__(self, file_name: str, done: int, total: int | None, rate: float) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if file_name != self.current:
            self.end()
            self.current = file_name
        elif not finished and now - self.last < self.interval:
            self.pending = (file_name, done, total, rate)
            return
        self.last = now
        self.pending = None
        from optilab.training.memory import format_bytes  # the one byte formatter (numpy loads only now)

        size = f"{format_bytes(done)}/{format_bytes(total)}" if total is not None else format_bytes(done)
        speed = f"  {format_bytes(rate)}/s" if rate > 0 else ("  already here, verified" if finished else "")
        text = f"{file_name}  {size}{speed}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def end(self) -> None:
        """Draw the last update (the bytes received, even without a total); finish the line with a newline."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.last = 0.0
            self(*pending)
        if self.current is not None:
            self.stream.write("\n")
            self.stream.flush()
            self.current = None
            self.width = 0


class _Terminated(BaseException):
    """Raised by the SIGTERM handler, so ``finally`` blocks delete the partial download."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated()


def _download(args: argparse.Namespace) -> int:
    from optilab.data import FILES, download

    line = _ProgressLine(sys.stderr)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)  # so the partial file is removed on a kill too
    try:
        folder = download(args.data_dir, mirrors=args.mirror, progress=line, timeout=args.timeout)
    except _Terminated:
        line.end()
        raise CLIError(SIGTERM(), code=128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        line.end()  # also on Ctrl-C, so the shell prompt starts on a fresh line
    print(f"MNIST is ready in {folder} ({len(FILES)} files verified)")
    return 0
