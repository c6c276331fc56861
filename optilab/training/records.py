"""What a training run reports: small records for observers, compact history.

Observers are callables that receive one record at a time: a `Step` after
every iteration, an `Evaluation` at each evaluation, a `Finished` at the
end.  `History` keeps the whole run in growing numpy arrays (not per-step
dicts), so a 20-epoch run costs a few hundred kilobytes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Step(NamedTuple):
    run: str
    iteration: int
    epoch: float
    loss: float
    lr: float


class Evaluation(NamedTuple):
    run: str
    iteration: int
    epoch: float
    train_acc: float
    val_acc: float          # nan when there is no validation split
    test_acc: float


class Finished(NamedTuple):
    run: str
    status: str             # "finished", "stopped" or "diverged"
    iteration: int
    diverged_at: int | None
    elapsed: float          # seconds spent training


class _Column:
    """A growable 1-D numpy array (amortised doubling)."""

    __slots__ = ("data", "n")

    def __init__(self, dtype: type, capacity: int = 1024) -> None:
        self.data = np.empty(capacity, dtype=dtype)
        self.n = 0

    def append(self, value: float) -> None:
        if self.n == len(self.data):
            grown = np.empty(2 * len(self.data), dtype=self.data.dtype)
            grown[: self.n] = self.data
            self.data = grown
        self.data[self.n] = value
        self.n += 1

    def view(self) -> np.ndarray:
        return self.data[: self.n]

    # Pickle only the filled part (results travel from the training process).
    def __getstate__(self) -> tuple[np.ndarray, int]:
        return self.data[: self.n].copy(), self.n

    def __setstate__(self, state: tuple[np.ndarray, int]) -> None:
        data, self.n = state
        self.data = data if len(data) else np.empty(16, dtype=data.dtype)


class History:
    """Per-iteration loss and lr, per-evaluation accuracies, as numpy arrays."""

    def __init__(self, capacity: int = 1024) -> None:
        self._it = _Column(np.int64, capacity)
        self._loss = _Column(np.float64, capacity)
        self._lr = _Column(np.float64, capacity)
        self._eval = {k: _Column(np.float64, 64) for k in ("iteration", "epoch", "train", "val", "test")}

    def add_step(self, iteration: int, loss: float, lr: float) -> None:
        self._it.append(iteration)
        self._loss.append(loss)
        self._lr.append(lr)

    def add_evaluation(self, ev: Evaluation) -> None:
        for key, value in zip(("iteration", "epoch", "train", "val", "test"),
                              (ev.iteration, ev.epoch, ev.train_acc, ev.val_acc, ev.test_acc)):
            self._eval[key].append(value)

    @property
    def iterations(self) -> np.ndarray:
        return self._it.view()

    @property
    def loss(self) -> np.ndarray:
        return self._loss.view()

    @property
    def lr(self) -> np.ndarray:
        return self._lr.view()

    @property
    def eval_iterations(self) -> np.ndarray:
        return self._eval["iteration"].view().astype(np.int64)

    @property
    def eval_epochs(self) -> np.ndarray:
        return self._eval["epoch"].view()

    @property
    def train_acc(self) -> np.ndarray:
        return self._eval["train"].view()

    @property
    def val_acc(self) -> np.ndarray:
        return self._eval["val"].view()

    @property
    def test_acc(self) -> np.ndarray:
        return self._eval["test"].view()

    def last(self, name: str) -> float:
        """The last value of ``loss``, ``train_acc``, ``val_acc`` or ``test_acc`` (nan if none)."""
        arr = getattr(self, name)
        return float(arr[-1]) if len(arr) else float("nan")
