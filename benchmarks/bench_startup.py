"""Start-up benchmark: from process start to the main window on screen (run under Xvfb).

    xvfb-run -a -s "-screen 0 1280x800x24 +extension GLX +render" python benchmarks/bench_startup.py

Starts ``python -m optilab`` (the app, as a user starts it) five times and
polls the X server: with ``xwininfo`` (Debian's x11-utils) until a top-level
window titled "optilab" is viewable ("mapped"), then by grabbing the screen
until the 2-D map's viridis colours cover part of it ("painted": what a
user sees).  Prints each time and the medians.  For scale it also times a
bare ``python -c "import PySide6.QtWidgets"`` process, the floor no Qt app
can beat.  The issue's bar: the window appears in < 1.5 s.

Run it with the interpreter of a regular install (``pip install .``, as the
README's launch command does): an editable install whose environment sets
PYTHONDONTWRITEBYTECODE compiles every optilab module at each start (~0.2 s).
The script prints which one it measured.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 5
TIMEOUT = 30.0


def _viewable_optilab_window() -> tuple[int, int, int, int] | None:
    """(x, y, width, height) of a viewable window titled "optilab…", or None."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for match in re.finditer(r"^\s*(0x[0-9a-f]+) \"optilab[^\"]*\"", tree, re.MULTILINE):
        info = subprocess.run(["xwininfo", "-id", match.group(1)], capture_output=True, text=True).stdout
        if "IsViewable" in info:
            get = lambda key, info=info: int(re.search(key + r":\s+(-?\d+)", info).group(1))  # noqa: E731
            return get("Absolute upper-left X"), get("Absolute upper-left Y"), get("Width"), get("Height")
    return None


def _map_painted(screen, geometry: tuple[int, int, int, int]) -> bool:
    """Whether ≥ 3 % of the window shows viridis' dark purple-blue (the 2-D map is drawn)."""
    import numpy as np
    from PySide6.QtGui import QImage

    x, y, w, h = geometry
    image = screen.grabWindow(0, x, y, w, h).toImage().convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    bgr = raw[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].astype(int)
    b, g, r = bgr[..., 0], bgr[..., 1], bgr[..., 2]
    purple = (r < 80) & (g < 90) & (b > 70) & (b - g > 30)
    return purple.mean() > 0.03


def time_to_window(screen) -> tuple[float, float]:
    """Seconds from process start to (mapped, painted)."""
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="optilab-bench-"))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "optilab"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mapped = None
    try:
        while time.perf_counter() - t0 < TIMEOUT:
            # Poll gently: the polls share the machine's cores with the app.
            time.sleep(0.02)
            geometry = _viewable_optilab_window()
            if geometry is not None:
                if mapped is None:
                    mapped = time.perf_counter() - t0
                if _map_painted(screen, geometry):
                    return mapped, time.perf_counter() - t0
            if proc.poll() is not None:
                raise RuntimeError(f"optilab exited with code {proc.returncode} before showing a window")
        raise RuntimeError("no painted optilab window within the timeout")
    finally:
        proc.kill()
        proc.wait()


def time_bare_qt_import() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True)
    return time.perf_counter() - t0


def main() -> int:
    if "DISPLAY" not in os.environ:
        print("run under xvfb-run (needs an X display)", file=sys.stderr)
        return 2
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # only to grab the screen
    screen = app.primaryScreen()
    bare = statistics.median(time_bare_qt_import() for _ in range(3))
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    probe = subprocess.run([sys.executable, "-c", "import optilab, sys; print(optilab.__file__)"],
                           capture_output=True, text=True).stdout.strip()
    print(f"optilab from {probe}; bytecode writing {'off' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'on'}")
    results = [time_to_window(screen) for _ in range(RUNS)]
    mapped = [m for m, _ in results]
    painted = [p for _, p in results]
    print("window mapped after:  " + ", ".join(f"{t:.2f}" for t in mapped) + " s")
    print("map painted after:    " + ", ".join(f"{t:.2f}" for t in painted) + " s")
    print(f"median mapped {statistics.median(mapped):.2f} s, painted {statistics.median(painted):.2f} s "
          f"(bar < 1.5 s); bare 'import PySide6.QtWidgets' process: {bare:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
