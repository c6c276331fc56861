"""Training lab's "Show its loss landscape": event-loop lateness while it computes, Cancel, leaks.

Run under a display (``xvfb-run -a -s "-screen 0 1280x800x24" python benchmarks/bench_landscape_ui.py``).
On the bundled sample (what the app opens on), trains the book's 784-100×4-10 net (``--iterations``,
40 weight snapshots) in the app, then computes its 41×41 PCA slice on 2,000 images through the
pane's action (child process, progress dialog) and prints:

* the lateness of a 5 ms precise QTimer while the slice computes (p50 / p99 / max, ms): the bar is
  p99 < 16 ms (one frame), issue #14's performance item;
* the wall time of the slice in the app (child start and data load included);
* Cancel: from the progress dialog's Cancel to the job's end (bar < 1 s), over ``--cycles``
  compute/cancel cycles, and the threads and child processes left (bar: none) and resident memory.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import multiprocessing as mp

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

from optilab import data as datamod
from optilab import training
from optilab.landscape import LandscapeOptions
from optilab.ui.app import create_app, share_gl_contexts


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait(app, condition, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def lateness_while_computing(pane, app, options: LandscapeOptions) -> tuple[np.ndarray, float]:
    """(timer lateness samples in ms, wall seconds) of one landscape computed by the pane."""
    late: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(5)
    last = [0]

    def tick() -> None:
        now = clock.nsecsElapsed()
        if last[0]:
            late.append((now - last[0]) / 1e6 - 5.0)
        last[0] = now

    timer.timeout.connect(tick)
    loop = QEventLoop()
    pane.landscape_ready.connect(loop.quit)
    clock.start()
    timer.start()
    t0 = time.perf_counter()
    assert pane.landscape.compute(options)
    loop.exec()
    wall = time.perf_counter() - t0
    timer.stop()
    pane.landscape_ready.disconnect(loop.quit)
    return np.array(late), wall


def cancel_cycles(pane, app, options: LandscapeOptions, n: int) -> list[float]:
    """Seconds from Cancel to the job's end, for ``n`` compute/cancel cycles."""
    action = pane.landscape
    out = []
    for _ in range(n):
        action.session.cache.clear()
        assert action.compute(options)
        wait(app, lambda: action.session.points[0] > 0, 30)
        t0 = time.perf_counter()
        action.cancel()
        wait(app, lambda: not action.is_computing(), 5)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--grid", type=int, default=41)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()

    share_gl_contexts()
    app = create_app()
    from optilab.ui import MainWindow
    from optilab.ui.training_lab import install

    ds = datamod.load(sample=True)
    print(f"data: {ds.source} ({ds.n_train:,} train); cores: {os.cpu_count()}, "
          f"load average: {os.getloadavg()[0]:.2f}")
    win = MainWindow()
    pane = getattr(win, "training_pane", None) or install(win)
    win.resize(1280, 800)
    win.tabs.setCurrentWidget(pane)
    win.show()
    pane.set_dataset(ds)
    app.processEvents()

    cfg = training.RunConfig(optimizer="adam", hparams={"lr": 0.001}, batch_size=100,
                             iterations=args.iterations, eval_interval=None, snapshots=40)
    loop = QEventLoop()
    pane.finished.connect(loop.quit)
    pane.start(cfg)
    loop.exec()
    print(f"trained 784-{'-'.join(map(str, cfg.hidden))}-10, {cfg.iterations} iterations, "
          f"{len(pane.results[0].snapshots)} snapshots")

    options = LandscapeOptions(grid=args.grid, samples=args.samples)
    late, wall = lateness_while_computing(pane, app, options)
    print(f"{args.grid}×{args.grid} pca slice on {args.samples:,} images, in the app: {wall:.2f} s wall")
    print(f"5 ms timer lateness while computing: p50 {np.percentile(late, 50):.2f} ms, "
          f"p99 {np.percentile(late, 99):.2f} ms, max {late.max():.1f} ms over {len(late)} ticks   "
          f"(bar p99 < 16 ms)")

    threads_before = threading.active_count()
    rss_before = rss_mb()
    slow = LandscapeOptions(grid=81, samples=args.samples)
    times = cancel_cycles(pane, app, slow, args.cycles)
    print(f"Cancel → end over {len(times)} cycles: median {1000 * float(np.median(times)):.0f} ms, "
          f"max {1000 * max(times):.0f} ms   (bar < 1 s)")
    print(f"after the cycles: {threading.active_count() - threads_before} extra threads, "
          f"{len(mp.active_children())} child processes alive, RSS {rss_before:.0f} → {rss_mb():.0f} MB")
    pane.shutdown()
    win.close()


if __name__ == "__main__":
    main()
