"""Frame-time benchmark of the surface lab's animation (run under Xvfb).

    xvfb-run -a -s "-screen 0 1280x800x24 +extension GLX +render" python benchmarks/bench_surface_ui.py

Six optimizers, 1000 steps each, on the bowl.  A frame is what one tick of
the animation timer does — `SurfaceLabPane.set_step(k)` (setData on existing
items) — plus processing the paint events it causes, so the time includes
rendering (software GL under Xvfb).  Printed: p50/p95/max per frame for 2-D
only, 3-D only and both, and the time to recompute all six trajectories.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OPTIMIZERS = {
    "sgd": {"lr": 0.9},
    "momentum": {"lr": 0.1},
    "nesterov": {"lr": 0.1},
    "adagrad": {"lr": 1.5},
    "rmsprop": {"lr": 0.1},
    "adam": {"lr": 0.3},
}
STEPS = 1000
FRAMES = 300


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> int:
    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    app = create_app()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    for _ in range(10):
        app.processEvents()
    pane = window.surface_pane
    pane.set_surface("bowl")
    while pane.runs:
        pane.remove_run(0)
    for name, hparams in OPTIMIZERS.items():
        pane.add_run(name)
        for key, value in hparams.items():
            pane.set_hparam(len(pane.runs) - 1, key, value)
    pane.set_steps(STEPS)
    compute = []
    for _ in range(10):
        pane.recompute()
        compute.append(pane.last_compute_ms)
    print(f"surface lab, {len(pane.trajectories)} optimizers × {STEPS} steps, window 1280×800")
    print(f"recompute all trajectories: median {statistics.median(compute):.1f} ms")

    def measure(label: str, show_2d: bool, show_3d: bool) -> None:
        pane.show_views(show_2d=show_2d, show_3d=show_3d)
        pane.set_step(0)
        for _ in range(5):
            app.processEvents()
        times = []
        # As during playback: the timer is active (so the numbers panel is
        # refreshed at most every NUMBERS_INTERVAL), but never fires here.
        pane.timer.start(10**7)
        for k in range(1, FRAMES + 1):
            # Spread the frames over the whole run: late frames draw long paths.
            step = k * STEPS // FRAMES
            t0 = time.perf_counter()
            pane.set_step(step)
            app.processEvents()
            times.append((time.perf_counter() - t0) * 1e3)
        pane.timer.stop()
        print(
            f"{label:8s} frame time p50 {percentile(times, 50):6.2f} ms   "
            f"p95 {percentile(times, 95):6.2f} ms   max {max(times):6.2f} ms"
        )

    measure("2D only", True, False)
    measure("3D only", False, True)
    measure("both", True, True)
    pane.show_views(show_2d=True, show_3d=True)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
