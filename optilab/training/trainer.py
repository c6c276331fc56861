"""`Trainer`: one training run of the book's MLP, steppable, stoppable, observable.

The loop is the book's (ch. 6 ``Trainer``): draw a minibatch with
replacement, compute the gradient by backprop, let the optimizer update the
parameters in place, log the loss; evaluate accuracy once per epoch.  The
trainer never touches a GUI: it hands plain records to its observers, and a
Qt worker (in ``optilab.ui``) batches them into signals.

Threading: `run` may execute in a worker thread.  `request_stop`, `pause`,
`resume` and `set_lr` may be called from any thread; the loop checks the stop
flag every iteration.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from optilab import messages, optim
from optilab.data import Dataset
from optilab.data.augment import augment_batch
from optilab.data.table import TableData
from optilab.nn import MLP
from optilab.nn.layers import softmax
from optilab.training.config import RunConfig, split_sizes
from optilab.training.memory import EVAL_CHUNK, check_fits
from optilab.training.metrics import regression_metrics
from optilab.training.records import Evaluation, Finished, History, RunSummary, Step
from optilab.training.snapshots import SNAPSHOT_BYTES, Layout, Recorder, Snapshots

Observer = Callable[[Any], None]

NEEDS_DATASET = messages.declare(
    "training.pretrain_needs_dataset", "a run with pretrain needs the whole dataset, not a prepared split")


@dataclass(frozen=True)
class Split:
    """The arrays a run trains and evaluates on."""

    x_train: np.ndarray
    t_train: np.ndarray
    x_val: np.ndarray
    t_val: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    #: "regression" for a table with a numeric target (MSE loss, one output), else "classification"
    task: str = "classification"


def make_split(config: RunConfig, data: Dataset | TableData) -> Split:
    """First ``train_size`` training images (as the book's ``x_train[:300]``),
    then, if ``val_fraction`` > 0, a seeded shuffle holds out the validation
    share (as the book's hyperparameter search does).  With ``digits``, only
    the images of those digits (train and test) count, before all that; with
    ``per_class``, of the first ``train_size`` only the first N of each digit.

    A table (`data.table.TableData`) comes split already (70/15/15, standardised by its
    training rows): its splits are used as they are (``train_size``: its first training
    rows), ``val_fraction`` is not used."""
    if isinstance(data, TableData):
        n = len(data.x_train) if config.train_size is None else min(config.train_size, len(data.x_train))
        return Split(data.x_train[:n], data.t_train[:n], data.x_val, data.t_val, data.x_test, data.t_test,
                     data.task)
    x_all, t_all, x_test, t_test = data.x_train, data.t_train, data.x_test, data.t_test
    if config.digits is not None:
        keep, keep_test = np.isin(t_all, config.digits), np.isin(t_test, config.digits)
        x_all, t_all, x_test, t_test = x_all[keep], t_all[keep], x_test[keep_test], t_test[keep_test]
    if config.per_class is not None:
        head = t_all if config.train_size is None else t_all[:config.train_size]
        rank = np.zeros(len(head), dtype=np.int64)     # how many earlier images share each one's label
        for label in np.unique(head):
            where = np.flatnonzero(head == label)
            rank[where] = np.arange(len(where))
        pick = np.flatnonzero(rank < config.per_class)
        x_all, t_all = x_all[pick], t_all[pick]
    n_tr, n_val = split_sizes(len(x_all), config.train_size, config.val_fraction)
    n = n_tr + n_val
    x, t = x_all[:n], t_all[:n]
    if n_val:
        order = np.random.default_rng([config.seed, 1]).permutation(n)
        val, tr = order[:n_val], np.sort(order[n_val:])
        x_val, t_val, x, t = x[val], t[val], x[tr], t[tr]
    else:
        x_val, t_val = x[:0], t[:0]
    return Split(x, t, x_val, t_val, x_test, t_test)


def output_size(*labels: np.ndarray | None) -> int:
    """The network's outputs: one per class, the largest label in ``labels`` + 1 (1 with none)."""
    return int(max((int(t.max()) for t in labels if t is not None and len(t)), default=0)) + 1


def n_outputs(data: Dataset | TableData | Split) -> int:
    """The network's outputs: 1 for regression (the predicted value), else `output_size`."""
    if getattr(data, "task", "") == "regression":
        return 1
    return output_size(data.t_train, getattr(data, "t_val", None), data.t_test)


def network(config: RunConfig, input_size: int, outputs: int, task: str = "classification") -> MLP:
    """The MLP ``config`` trains (its weights drawn from its seed): softmax cross-entropy, or for a
    ``"regression"`` the MSE head; the one place a run's network is built from its settings."""
    return MLP(input_size=input_size, hidden=config.hidden, output_size=outputs, activation=config.activation,
               init=config.init, batchnorm=config.batchnorm, dropout=config.dropout,
               weight_decay=config.weight_decay, seed=config.seed, dtype=np.dtype(config.dtype),
               loss="mse" if task == "regression" else "softmax", l1=config.l1)


def check_memory(config: RunConfig, data: Dataset | TableData | Split, runs: int = 1,
                 snapshot_bytes: int = SNAPSHOT_BYTES) -> int:
    """Bytes the run of ``config`` on ``data`` needs (`memory.estimate_bytes`, its weight
    snapshots bounded by ``snapshot_bytes``); `memory.InsufficientMemory` (a ValueError, one
    line) when ``runs`` of them at once do not fit in the memory available."""
    x_val = getattr(data, "x_val", data.x_train[:0])
    n_classes = n_outputs(data)
    return check_fits(config, len(data.x_train) + len(x_val), data.x_train.shape[1], n_classes,
                      len(data.x_test), data.x_train.dtype, runs=runs, snapshot_bytes=snapshot_bytes)


class Trainer:
    """Runs one `RunConfig` on a `Dataset`.

    Attributes: ``net`` (the `MLP`), ``optimizer``, ``schedule``, ``history``,
    ``iteration`` (done so far), ``total_iterations``, ``iters_per_epoch``,
    ``status`` ("ready", "running", "paused", "finished", "stopped",
    "diverged"), ``diverged_at`` (first iteration whose loss was not finite),
    ``snapshots`` (the weights recorded for the loss landscape).

    ``snapshot_bytes`` bounds the run's weight snapshots (`snapshots.SNAPSHOT_BYTES`
    by default; a job of several runs gives each its share).
    """

    def __init__(self, config: RunConfig, data: Dataset | TableData | Split, observers: Iterable[Observer] = (),
                 snapshot_bytes: int = SNAPSHOT_BYTES) -> None:
        self.config = config
        check_memory(config, data, snapshot_bytes=snapshot_bytes)
        self.split = data if isinstance(data, Split) else make_split(config, data)
        self.observers = list(observers)
        dtype = np.dtype(config.dtype)
        s = self.split
        if s.x_train.dtype != dtype:
            arrays = [a.astype(dtype) if a.dtype.kind == "f" else a for a in
                      (s.x_train, s.t_train, s.x_val, s.t_val, s.x_test, s.t_test)]
            s = self.split = Split(*arrays, task=s.task)
        self.task = s.task
        self.n_train = len(s.x_train)
        self.net = network(config, s.x_train.shape[1], n_outputs(s), self.task)
        # The optimizer updates the layers above the frozen ones (all of them when none is).
        self._theta, self._grad, self._views = self.net.trainable(config.freeze)
        self._data = data if config.pretrain is not None else None
        self.pretrain_test_acc: float | None = None
        self._augment_rng = np.random.default_rng([config.seed, 5]) if config.augment else None
        self.optimizer = optim.create(config.optimizer, **config.hparams)
        self.schedule = optim.create_schedule(config.schedule, self.optimizer, **config.schedule_args)
        self._plateau = config.schedule == "plateau"
        self.iters_per_epoch = max(self.n_train // config.batch_size, 1)
        if config.epochs is not None:
            self.total_iterations = max(1, math.ceil(config.epochs * self.iters_per_epoch))
        else:
            self.total_iterations = int(config.iterations)
        self.eval_interval = config.eval_interval or self.iters_per_epoch
        self.history = History(capacity=min(self.total_iterations + 1, 4096))  # grows by doubling
        self.iteration = 0
        self.status = "ready"
        self.diverged_at: int | None = None
        self.elapsed = 0.0
        self._rng = np.random.default_rng([config.seed, 2])
        self._batch_x = np.empty((config.batch_size, s.x_train.shape[1]), dtype=dtype)
        self._batch_t = np.empty(config.batch_size, dtype=s.t_train.dtype)
        n_eval = config.eval_train_size
        if n_eval is not None and n_eval < self.n_train:
            pick = np.sort(np.random.default_rng([config.seed, 3]).choice(self.n_train, n_eval, replace=False))
            self._eval_train = (s.x_train[pick], s.t_train[pick])
        else:
            self._eval_train = (s.x_train, s.t_train)
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._pending_lr: float | None = None
        self._loss_since_eval = 0.0
        self._n_since_eval = 0
        self._snapshot_bytes = snapshot_bytes
        self._recorder = Recorder(Layout.of(self.net.params), self.total_iterations, config.snapshots,
                                  snapshot_bytes)
        self._recorder.record(0, self.net.params)

    # -- control (any thread) -------------------------------------------
    def request_stop(self) -> None:
        """Ask the loop to stop after the current iteration."""
        self._stop.set()
        self._running.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def set_lr(self, lr: float) -> None:
        """Change η live; takes effect at the next iteration (validated now)."""
        optim.create(self.config.optimizer, **{**self.config.hparams, "lr": lr})
        self._pending_lr = float(lr)

    @property
    def done(self) -> bool:
        return self.status in ("finished", "stopped", "diverged")

    @property
    def epoch(self) -> float:
        return self.iteration / self.iters_per_epoch

    # -- the loop ---------------------------------------------------------
    def _emit(self, record: Any) -> None:
        for observer in self.observers:
            observer(record)

    def evaluate(self) -> Evaluation:
        """Accuracy on the train (subset), validation and test images now (regression:
        RMSE, MAE and R² of each split, `metrics.regression_metrics`)."""
        net, s = self.net, self.split
        x_tr, t_tr = self._eval_train
        if self.task == "regression":
            parts = [regression_metrics(net, x, t, EVAL_CHUNK) for x, t in
                     ((x_tr, t_tr), (s.x_val, s.t_val), (s.x_test, s.t_test))]
            nan = float("nan")
            ev = Evaluation(self.config.label, self.iteration, self.epoch, nan, nan, nan,
                            *(p.rmse for p in parts), *(p.mae for p in parts), *(p.r2 for p in parts))
            self.history.add_evaluation(ev)
            self._emit(ev)
            return ev
        ev = Evaluation(
            run=self.config.label,
            iteration=self.iteration,
            epoch=self.epoch,
            train_acc=net.accuracy(x_tr, t_tr, EVAL_CHUNK),
            val_acc=net.accuracy(s.x_val, s.t_val, EVAL_CHUNK) if len(s.t_val) else float("nan"),
            test_acc=net.accuracy(s.x_test, s.t_test, EVAL_CHUNK) if len(s.t_test) else float("nan"),
        )
        self.history.add_evaluation(ev)
        self._emit(ev)
        return ev

    def step(self) -> bool:
        """One iteration (plus an evaluation when due).  Returns False when the run is over."""
        if self.done:
            return False
        if self.iteration == 0 and self.status == "ready":
            self.status = "running"
            if self.config.pretrain is not None:
                self._pretrain()
                if self._stop.is_set():
                    return True          # the loop sees the stop next
            self.evaluate()
        if self._pending_lr is not None:
            self.optimizer.lr, self._pending_lr = self._pending_lr, None
            self.schedule.base_lr = self.optimizer.lr
        s, bs = self.split, self.config.batch_size
        idx = self._rng.integers(0, self.n_train, bs)   # with replacement, as np.random.choice
        np.take(s.x_train, idx, axis=0, out=self._batch_x)
        np.take(s.t_train, idx, axis=0, out=self._batch_t)
        if self._augment_rng is not None:
            self._batch_x[...] = augment_batch(self._batch_x, self._augment_rng)
        with np.errstate(all="ignore"):
            loss = float(self.net.loss_and_gradient(self._batch_x, self._batch_t)[0])
            if not math.isfinite(loss):
                self.status = "diverged"
                self.diverged_at = self.iteration + 1
                return False
            lr = self.optimizer.lr
            self.optimizer.step_flat(self._theta, self._grad, self._views)  # all layers at once (but frozen ones)
        self.iteration += 1
        self._recorder.record(self.iteration, self.net.params)
        self.history.add_step(self.iteration, loss, lr)
        self._emit(Step(self.config.label, self.iteration, self.epoch, loss, lr))
        self._loss_since_eval += loss
        self._n_since_eval += 1
        if not self._plateau:
            self.schedule.step()
        last = self.iteration >= self.total_iterations
        if self.iteration % self.eval_interval == 0 or last:
            with np.errstate(all="ignore"):
                self.evaluate()
            if self._plateau:
                self.schedule.step(self._loss_since_eval / max(self._n_since_eval, 1))
            self._loss_since_eval, self._n_since_eval = 0.0, 0
        if last:
            self.status = "finished"
            return False
        return True

    def _pretrain(self) -> None:
        """Transfer learning: train `RunConfig.pretraining` to its end (stopped with this run), copy
        its ``freeze`` lowest layers into this network (they stay frozen), note its test accuracy."""
        config = self.config.pretraining()
        if config is None or self._data is None:
            return
        if isinstance(self._data, Split):
            raise NEEDS_DATASET.error()
        pre = Trainer(config, self._data, snapshot_bytes=0)

        def follow_stop(_record: Any) -> None:          # stopping this run stops its pre-training
            if self._stop.is_set():
                pre.request_stop()

        pre.observers.append(follow_stop)
        pre.run()
        self.net.copy_layers(pre.net.params, self.config.freeze)
        self.pretrain_test_acc = _finite_or_none(pre.history.last("test_acc"))
        self._recorder = Recorder(self._recorder.layout, self.total_iterations, self.config.snapshots,
                                  self._snapshot_bytes)
        self._recorder.record(0, self.net.params)     # θ₀ is the copied network

    def test_probabilities(self) -> np.ndarray:
        """The softmax probabilities of the test images now, (N_test, outputs) float32."""
        x = self.split.x_test
        out = np.empty((len(x), self.net.sizes[-1]), dtype=np.float32)
        for start in range(0, len(x), EVAL_CHUNK):
            out[start:start + EVAL_CHUNK] = softmax(self.net.predict(x[start:start + EVAL_CHUNK]))
        return out

    def run(self) -> Finished:
        """Train to the end, or until stopped or diverged; emits `Finished`."""
        start = time.perf_counter()
        try:
            while not self.done:
                if not self._running.is_set():
                    self.status = "paused"
                    paused_at = time.perf_counter()
                    self._running.wait()
                    start += time.perf_counter() - paused_at
                    if self.status == "paused":
                        self.status = "running"
                if self._stop.is_set():
                    self.status = "stopped"
                    break
                if not self.step():
                    break
        finally:
            self.elapsed += time.perf_counter() - start
        fin = Finished(self.config.label, self.status, self.iteration, self.diverged_at, self.elapsed)
        self._emit(fin)
        return fin

    @property
    def snapshots(self) -> Snapshots | None:
        """θ at the iterations recorded so far (`snapshots.Recorder`) — once the run is over,
        ending where it ended —, with the batch-norm running statistics; None when the config
        keeps none (``snapshots`` 0) or none fit the byte budget.  A diverged run's snapshots end
        before the step whose loss was not finite (its weights there gave that loss)."""
        running = tuple((bn.running_mean, bn.running_var) for bn in self.net.bn_layers)
        params = None if self.status == "diverged" else self.net.params
        return self._recorder.snapshots(self.iteration, params, running, ended=self.done)

    def summary(self) -> RunSummary:
        """Config and final metrics (`RunSummary.to_dict` is its JSON form)."""
        h = self.history
        return RunSummary(
            run=self.config.label,
            config=self.config.to_dict(),
            status=self.status,
            diverged_at=self.diverged_at,
            iterations=self.iteration,
            epochs=round(self.epoch, 4),
            elapsed_s=round(self.elapsed, 3),
            final_loss=_finite_or_none(h.last("loss")),
            train_acc=_finite_or_none(h.last("train_acc")),
            val_acc=_finite_or_none(h.last("val_acc")),
            test_acc=_finite_or_none(h.last("test_acc")),
            n_train=self.n_train,
            n_val=len(self.split.t_val),
            n_test=len(self.split.t_test),
            **self._regression_summary(),
        )

    def _regression_summary(self) -> dict[str, Any]:
        """The `RunSummary` regression fields of a regression run (none for classification)."""
        if self.task != "regression":
            return {}
        h = self.history
        last = {key: _finite_or_none(h.last(key)) for key in
                ("test_rmse", "test_mae", "test_r2", "train_rmse", "val_rmse", "train_r2", "val_r2")}
        return {"task": "regression", "rmse": last.pop("test_rmse"), "mae": last.pop("test_mae"),
                "r2": last.pop("test_r2"), **last}


def _finite_or_none(v: float) -> float | None:
    return v if math.isfinite(v) else None
