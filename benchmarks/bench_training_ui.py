"""Training lab benchmark: event-loop lateness, app vs headless throughput, plot update cost.

Run under a display (``xvfb-run -a -s "-screen 0 1280x800x24" python benchmarks/bench_training_ui.py``).
Uses the full MNIST from /work/shared/data/mnist (or $OPTILAB_BENCH_MNIST) when present, else the
bundled sample.  Prints:

* the lateness of a 5 ms precise QTimer while the app trains at full speed (p50 / p99 / max, ms):
  the bar is p99 < 16 ms (one frame);
* training throughput in the app (worker thread, live curves) vs a headless `Trainer` in the same
  process, same config and, like `optilab train`, one BLAS thread (ratio; the bar is ≥ 0.8),
  alternating the two to average out machine noise;
* the cost of one curve update (append a 100-step batch + repaint) as the curve grows to 10⁶ points;
* 50 start/stop cycles: threads left and resident memory growth.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

if "--blas-threads" in sys.argv:       # must be set before numpy loads OpenBLAS
    os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[sys.argv.index("--blas-threads") + 1]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The headless reference is `optilab train`, which (like the app's training
# process) runs one BLAS thread unless the environment says otherwise.
from optilab.threads import default_one_blas_thread

default_one_blas_thread()

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402

from optilab import data as datamod  # noqa: E402
from optilab import training  # noqa: E402
from optilab.ui.app import create_app, share_gl_contexts  # noqa: E402

MNIST = Path(os.environ.get("OPTILAB_BENCH_MNIST", "/work/shared/data/mnist"))


def load_data() -> datamod.Dataset:
    if MNIST.is_dir():
        try:
            return datamod.load(data_dir=MNIST)
        except datamod.DataError as exc:
            print(f"full MNIST not usable ({exc}); using the sample")
    return datamod.load(sample=True)


def headless(cfg: training.RunConfig, ds: datamod.Dataset) -> float:
    trainer = training.Trainer(cfg, ds)
    trainer.run()
    return trainer.iteration / trainer.elapsed


def app_run(pane, cfg, app) -> tuple[float, np.ndarray]:
    """Train in the app; returns (it/s measured by the trainer, timer lateness samples in ms)."""
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
    pane.finished.connect(loop.quit)
    clock.start()
    timer.start()
    pane.start(cfg)
    loop.exec()
    timer.stop()
    pane.finished.disconnect(loop.quit)
    s = pane.results[0].summary
    return s.iterations / s.elapsed_s, np.array(late)


def plot_cost(app) -> list[tuple[int, float]]:
    from optilab.ui.training_lab.plots import CurvesView

    view = CurvesView()
    view.resize(900, 600)
    view.show()
    run = view.add_run("bench")
    rng = np.random.default_rng(0)
    out = []
    n, batch = 0, 100
    marks = [1_000, 10_000, 100_000, 1_000_000]
    while marks:
        it = np.arange(n + 1, n + batch + 1, dtype=np.float64)
        loss = 2.3 * np.exp(-it / 2e5) + 0.1 * rng.random(batch)
        lr = np.full(batch, 1e-3)
        if n + batch >= marks[0]:
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                view.append(run, it, loss, lr, [])
                view.loss_widget.repaint()
                view.lr_widget.repaint()
                times.append(time.perf_counter() - t0)
                n += batch
                it = it + batch
            out.append((n, 1000 * statistics.median(times)))
            marks.pop(0)
        else:
            view.append(run, it, loss, lr, [])
            n += batch
    view.close()
    return out


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cycles(pane, ds, app, n=50) -> tuple[int, float, float]:
    cfg = training.RunConfig(optimizer="sgd", hparams={"lr": 0.05}, hidden=(100,), iterations=10_000_000,
                             batch_size=100, eval_interval=10_000_000)
    threads_before = threading.active_count()
    rss = []
    for i in range(n):
        loop = QEventLoop()
        pane.finished.connect(loop.quit)
        pane.start(cfg)
        deadline = time.perf_counter() + 5
        while not (pane.curves.runs and pane.curves.runs[-1].it.n >= 3) and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        pane.stop()
        loop.exec()
        pane.finished.disconnect(loop.quit)
        if i in (9, n - 1):
            rss.append(rss_mb())
    return threading.active_count() - threads_before, rss[0], rss[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OpenBLAS threads (1 avoids spinning BLAS threads on a busy machine)")
    args = parser.parse_args()

    share_gl_contexts()
    app = create_app()
    from optilab.ui import MainWindow
    from optilab.ui.training_lab import install

    ds = load_data()
    print(f"data: {ds.source} ({ds.n_train:,} train)")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    win = MainWindow()
    pane = getattr(win, "training_pane", None) or install(win)
    win.resize(1270, 760)
    win.tabs.setCurrentWidget(pane)
    win.show()
    pane.set_dataset(ds)
    app.processEvents()

    cfg = training.RunConfig(optimizer="adam", hparams={"lr": 0.001}, batch_size=100,
                             iterations=args.iterations, eval_interval=500)
    headless(cfg.replace(iterations=100), ds)      # warm-up
    hl, ap, lateness = [], [], []
    for _ in range(args.repeats):
        hl.append(headless(cfg, ds))
        rate, late = app_run(pane, cfg, app)
        ap.append(rate)
        lateness.append(late)
    late = np.concatenate(lateness)
    ratio = statistics.median(a / h for a, h in zip(ap, hl, strict=False))
    print(f"\nconfig: {cfg.optimizer}, 784-{'-'.join(map(str, cfg.hidden))}-10, batch {cfg.batch_size}, "
          f"{cfg.iterations} iterations, evaluation every {cfg.eval_interval}")
    print(f"headless  it/s: {', '.join(f'{v:,.0f}' for v in hl)}")
    print(f"app       it/s: {', '.join(f'{v:,.0f}' for v in ap)}")
    print(f"throughput ratio app/headless (median of pairs): {ratio:.2f}   (bar ≥ 0.80)")
    print(f"5 ms timer lateness during training: p50 {np.percentile(late, 50):.2f} ms, "
          f"p99 {np.percentile(late, 99):.2f} ms, max {late.max():.1f} ms over {len(late)} ticks   (bar p99 < 16 ms)")

    print("\nplot update (append 100 steps + repaint loss and lr plots), median ms:")
    for n, ms in plot_cost(app):
        print(f"  {n:>9,} points: {ms:6.2f} ms")

    extra, rss10, rss50 = cycles(pane, ds, app)
    print(f"\n50 start/stop cycles: {extra} extra threads; RSS after 10 cycles {rss10:.0f} MB, "
          f"after 50 {rss50:.0f} MB ({rss50 - rss10:+.1f} MB)")
    pane.shutdown()
    win.close()


if __name__ == "__main__":
    main()
