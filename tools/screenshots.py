"""Refresh docs/screenshots/: the real app at 1280×800 under Xvfb, every lesson and experiment as it opens,
and the first loss-landscape lesson in the surface lab.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshots.py [OUT_DIR]

Runs on the bundled sample with temporary settings and caches, so it shows
what a new user sees.  The 3-D pictures are the view's own framebuffer.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HOME = tempfile.mkdtemp(prefix="optilab-shots-")
os.environ.update(XDG_CONFIG_HOME=f"{HOME}/config", XDG_CACHE_HOME=f"{HOME}/cache", XDG_DATA_HOME=f"{HOME}/data")
os.environ.pop("OPTILAB_MNIST_DIR", None)

from optilab import lessons  # noqa: E402
from optilab.threads import default_one_blas_thread  # noqa: E402
from optilab.training import RunConfig  # noqa: E402

default_one_blas_thread()

from optilab.ui.app import create_app  # noqa: E402
from optilab.ui.main_window import MainWindow  # noqa: E402

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots")


def _write(image, path: Path) -> None:
    """Save ``image`` (a QPixmap or QImage) as ``path``; stop with one line when it cannot be written."""
    if not image.save(str(path)):
        raise SystemExit(f"tools/screenshots.py: could not write {path}; choose a folder you can write to")
    print("wrote", path)


def landscape_shot(pane, save, spin) -> None:
    """The first landscape lesson (SGD's and Adam's paths on one plane) trained on the sample and
    shown in the surface lab, as "Show its loss landscape" opens it: landscape.png, landscape-3d.png."""
    from optilab import data
    from optilab.landscape import lessons as landscape_lessons
    from optilab.training.experiments import RunResult
    from optilab.training.trainer import Trainer, make_split

    lesson = landscape_lessons.get("landscape-optimizers")
    dataset = data.load(sample=True)
    results = []
    for config in lesson.configs:
        trainer = Trainer(config, make_split(config, dataset))
        trainer.run()
        results.append(RunResult.from_trainer(trainer))
    (landscape,) = landscape_lessons.landscapes(lesson, results, dataset)
    pane.show_landscape(landscape, lesson.caption)
    save("landscape.png")
    spin(0.3)
    _write(pane.view_3d.gl_view.grabFramebuffer(), OUT / "landscape-3d.png")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_app([])
    window = MainWindow()
    window.resize(1280, 800)
    window.show()

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def save(widget, name: str) -> None:
        spin(0.3)
        _write(widget.grab(), OUT / name)

    spin(1.0)
    pane = window.surface_pane
    for key in lessons.keys():
        pane.load_lesson(key)
        pane.set_step(pane.steps)
        save(window, f"{key}.png")
        spin(0.3)
        _write(pane.view_3d.gl_view.grabFramebuffer(), OUT / f"{key}-3d.png")

    landscape_shot(pane, lambda name: save(window, name), spin)

    training = window.ensure_training_lab()
    window.tabs.setCurrentWidget(training)

    def run_preset(name: str, shot: str, mid: str | None = None, **options: Any) -> None:
        training.start_preset(name, **options)
        if mid:
            spin(4.0)
            save(window, mid)
        end = time.monotonic() + 300
        while training.is_running() and time.monotonic() < end:
            spin(0.1)
        save(window, shot)

    run_preset("optimizer-compare", "training_finished.png", mid="training_running.png")
    # #15 item 2: three seeds per optimizer, each label's mean and ±1 sd band, the claim over the seeds.
    run_preset("optimizer-compare", "training_seeds.png", seeds=3, iterations=300)
    training.views.setCurrentIndex(training.views.indexOf(training.grad_view))
    save(window, "training_gradients.png")
    run_preset("weight-decay", "training_weight_decay.png")
    run_preset("activation-histograms", "training_histograms.png")
    run_preset("random-search", "training_random_search.png")
    run_preset("batchnorm-compare", "training_batchnorm.png")
    # #16: CS231n lecture 7's lessons (a decade loss axis for L1; the lesson table) and housing's regression view.
    run_preset("l1", "training_l1.png")
    run_preset("ensemble", "training_ensemble.png")
    run_preset("transfer", "training_transfer.png")
    run_preset("housing", "training_housing.png")

    training.start(RunConfig(optimizer="sgd", hparams={"lr": 50.0}, iterations=500))
    end = time.monotonic() + 60
    while training.is_running() and time.monotonic() < end:
        spin(0.1)
    save(window, "training_diverged.png")

    window.set_language("ko")
    run_preset("overfit", "ko-training.png")
    window.tabs.setCurrentWidget(pane)
    for key in ("book-figure", "lr-too-large"):
        pane.load_lesson(key)
        pane.set_step(pane.steps)
        save(window, f"ko-{key}.png")
    window.set_theme("dark")
    pane.load_lesson("momentum-overshoot")
    pane.set_step(pane.steps)
    save(window, "ko-dark-presentation.png")
    window.set_theme("light")
    guide = window.show_lesson_guide()
    save(guide, "ko-lesson-guide.png")
    guide.close()

    window.set_language("ja")    # the book's own language
    window.tabs.setCurrentWidget(training)
    run_preset("overfit", "ja-training.png")
    window.tabs.setCurrentWidget(pane)
    pane.load_lesson("book-figure")
    pane.set_step(pane.steps)
    save(window, "ja-book-figure.png")
    guide = window.show_lesson_guide()
    save(guide, "ja-lesson-guide.png")
    guide.close()
    window.set_language("en")
    window.close()
    window.deleteLater()          # freed while Qt and its GL context still exist, not at interpreter exit
    spin(0.5)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Every picture is written; skip interpreter teardown, where destroying the QApplication
    # after its GL widgets segfaults under Xvfb (the app itself quits through app.exec()).
    os._exit(code)
