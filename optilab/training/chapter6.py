"""The book's chapter-6 lessons (docs/experiments.md), each a `Preset`.

Each is sized so that it shows the book's result on the bundled 8,000-image
sample in a wait a class accepts (measured in tests/audit/test_experiment_claims.py).
A preset may add ``quick`` overrides for a shorter mode only where that mode
still shows the lesson (`Preset.has_quick`).  Three are not MNIST training
runs: ``activation-histograms`` is a forward pass on synthetic data,
``gd-vs-sgd`` runs the trajectory engine on the least-squares surface, and
``random-search`` draws its trials at run time.
"""

from __future__ import annotations

import numpy as np

from optilab.training.config import RunConfig
from optilab.training.preset import BOOK_NET, Preset, variants

__all__ = ["PRESETS"]

def _scales(n: int) -> list[float]:
    return [float(s) for s in np.logspace(0, -4, n)]


# 1,000 of the book's 2,000 iterations (optimizer and init comparisons): the
# ordering is plain by then, and the runs take a wait a class accepts.
_OPT_BASE = RunConfig(hidden=BOOK_NET, batch_size=128, iterations=1000, eval_interval=100)
# Accuracy every 5 epochs (41 points over 201 epochs), not every epoch: the
# evaluations on 2,000 test images cost more than the 3 training steps of an
# epoch, and the final gap is the same (the last iteration is always evaluated).
_OVERFIT = RunConfig(hidden=(100,) * 6, train_size=300, batch_size=100, epochs=201, iterations=None,
                     optimizer="sgd", hparams={"lr": 0.01}, eval_train_size=None, eval_interval=15)
# Train accuracy on 2,000 of the images: the lesson is in the loss and η curves,
# and 21 evaluations on all 8,000 cost as much as a third of the training.
_SCHED_BASE = RunConfig(hidden=BOOK_NET, batch_size=128, iterations=1000, eval_interval=50,
                        optimizer="adam", hparams={"lr": 0.01}, eval_train_size=2000)
PRESETS: tuple[Preset, ...] = (
    Preset(
        "optimizer-compare",
        "Optimizer comparison on MNIST",
        "SGD is slowest; Momentum, AdaGrad and Adam fall much faster "
        "(AdaGrad slightly fastest in the book); RMSprop added beside them "
        "(with η 0.001: at the book's 0.01 it overshoots on this net).",
        # Every optimizer at its book default η, except RMSprop, which the
        # book's figure leaves out: at η 0.01 its first 500 iterations are
        # worse than SGD's (mean loss 1.20 vs 0.93 measured), at 0.001 it
        # sits with the fast ones.
        runs=variants(_OPT_BASE, [dict(optimizer=o, label=o, hparams={"lr": 0.001} if o == "rmsprop" else {})
                               for o in ("sgd", "momentum", "adagrad", "rmsprop", "adam")]),
        # No quick mode: after 40 iterations on 2,000 images Momentum's mean loss
        # (1.67) was too close to SGD's (2.24) to call SGD clearly last.
    ),
    Preset(
        "init-compare",
        "Weight initialisation on MNIST",
        "std 0.01 barely learns; Xavier learns; He learns fastest with ReLU.",
        runs=variants(_OPT_BASE.replace(optimizer="sgd", hparams={"lr": 0.01}),
                   [dict(init=0.01, label="std 0.01"), dict(init="xavier", label="Xavier"),
                    dict(init="he", label="He")]),
        # No quick mode: after 40 iterations the three losses were 2.30 / 2.28 / 2.13.
    ),
    Preset(
        "activation-histograms",
        "Activation histograms",
        "With std 1 sigmoid outputs pile up at 0 and 1 (vanishing gradients); "
        "std 0.01 collapses them to 0.5 (no expressiveness); Xavier (sigmoid, tanh) "
        "and He (ReLU) keep them spread in every layer.",
        kind="histograms",
        options=dict(activations=("sigmoid", "tanh", "relu"), inits=(1.0, 0.01, "xavier", "he"),
                     n_layers=5, width=100, n_samples=1000),
        quick_options=dict(n_samples=200),
    ),
    Preset(
        "batchnorm-compare",
        "Batch normalisation",
        "With batch norm the net learns at least as well as without it at most "
        "initial weight scales, and faster; without it, small scales never leave "
        "about 10 % and the largest ones blow up (diverge).",
        view="accuracy",
        # Every second scale of the book's logspace(0, -4, 16), 20 epochs: the
        # book's figure in half its runs.  No quick mode: after 2 epochs every
        # run was still near 10 %.
        runs=tuple(
            RunConfig(hidden=(100,) * 5, train_size=1000, batch_size=100, epochs=20, iterations=None,
                      optimizer="sgd", hparams={"lr": 0.01}, init=s, batchnorm=bn,
                      label=f"{'BN' if bn else 'no BN'} std={s:.2g}", eval_train_size=None)
            for s in _scales(16)[::2] for bn in (True, False)
        ),
        diverges_when=dict(batchnorm=False),
        diverged_note="diverged: without batch norm weights this large blow up (the expected result)",
    ),
    Preset(
        "overfit",
        "Overfitting",
        "On 300 training images a 7-layer net reaches 100 % train accuracy while "
        "test accuracy stays far below: a wide train–test gap.",
        view="accuracy",
        runs=(_OVERFIT.replace(label="no regularisation"),),
    ),
    Preset(
        "weight-decay",
        "Weight decay",
        "λ = 0.1 shrinks the train–test gap of the overfitting lesson.",
        view="accuracy",
        runs=(_OVERFIT.replace(label="no regularisation"),
              _OVERFIT.replace(weight_decay=0.1, label="weight decay λ=0.1")),
    ),
    Preset(
        "dropout",
        "Dropout",
        "Dropout (p = 0.2) narrows the gap too, and the fit is slower.",
        view="accuracy",
        runs=(_OVERFIT.replace(epochs=300, label="no regularisation"),
              _OVERFIT.replace(epochs=300, dropout=0.2, label="dropout p=0.2")),
    ),
    Preset(
        "random-search",
        "Hyperparameter random search",
        "The best runs all have η ≈ 1e-3…1e-2; their λ are spread over 1e-8…1e-4 "
        "(at this size weight decay matters little). Narrow η there and search again.",
        kind="random-search",
        view="accuracy",
        runs=(RunConfig(hidden=(100,) * 6, train_size=500, val_fraction=0.2, batch_size=100, epochs=50,
                        iterations=None, optimizer="sgd", eval_train_size=None, eval_interval=8),),
        # 20 of the book's 100 trials (a class will not wait for 100), accuracy every 2 epochs;
        # no quick mode: 4 trials of 2 epochs all ended at 6–12 %.
        options=dict(trials=20, lr_range=(-6.0, -2.0), wd_range=(-8.0, -4.0), top=10),
    ),
    Preset(
        "gd-vs-sgd",
        "GD vs SGD vs minibatch",
        "On the same least-squares data, full-batch GD walks smoothly, SGD (one "
        "point per step) jitters around the minimum, minibatches sit in between: "
        "noise against cost per step.",
        kind="trajectories",
        options=dict(n_points=100, batches=(None, 1, 10), steps=60, lr=0.15, seed=0),
        quick_options=dict(steps=20),
    ),
    Preset(
        "lr-schedules",
        "Learning-rate schedules",
        "Adam with η 0.01: every decay (step, exponential, 1/t, cosine) ends with a "
        "lower training loss than constant η; warm-up starts gently (higher loss at "
        "first); reduce-on-plateau halves η when the loss stalls.",
        # With SGD η 0.1 (before) constant η fitted the 8,000 images best and
        # plateau never cut η; Adam at 0.01 is noisy enough for decay to help.
        runs=(
            _SCHED_BASE.replace(label="constant"),
            _SCHED_BASE.replace(schedule="step", schedule_args={"step_size": 250, "gamma": 0.5}, label="step"),
            _SCHED_BASE.replace(schedule="exponential", schedule_args={"gamma": 0.1 ** (1 / 1000)},
                                label="exponential"),
            _SCHED_BASE.replace(schedule="inverse-time", schedule_args={"k": 0.01}, label="1/t"),
            _SCHED_BASE.replace(schedule="cosine", schedule_args={"t_max": 1000}, label="cosine"),
            _SCHED_BASE.replace(schedule="warmup", schedule_args={"warmup_steps": 100}, label="warm-up"),
            _SCHED_BASE.replace(schedule="plateau",
                                schedule_args={"factor": 0.5, "patience": 1, "threshold": 0.05},
                                label="plateau"),
        ),
        # No quick mode: in 40 iterations no schedule has changed anything yet.
        loss_axis="log",   # final losses 0.05 (constant) against 0.001–0.003 (decays)
    ),
)
