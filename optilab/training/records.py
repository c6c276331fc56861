"""What a training run reports: small records for observers, compact history.

Observers are callables that receive one record at a time: a `Step` after
every iteration, an `Evaluation` at each evaluation, a `Finished` at the
end; `Trainer.summary` gives the `RunSummary` of the run.  The records are
frozen dataclasses: they travel to the app's process as themselves (pickled,
see `optilab.training.events`).  `History` keeps the whole run in growing
numpy arrays (not per-step dicts), so a 20-epoch run costs a few hundred
kilobytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class Step:
    """One iteration: the minibatch loss and the η it was taken with."""

    run: str
    iteration: int
    epoch: float
    loss: float
    lr: float


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Accuracies at one evaluation (book ch. 6: once per epoch unless told)."""

    run: str
    iteration: int
    epoch: float
    train_acc: float
    val_acc: float          # nan when there is no validation split
    test_acc: float
    # regression (a table with a numeric target): RMSE, MAE, R² per split; nan otherwise
    train_rmse: float = float("nan")
    val_rmse: float = float("nan")
    test_rmse: float = float("nan")
    train_mae: float = float("nan")
    val_mae: float = float("nan")
    test_mae: float = float("nan")
    train_r2: float = float("nan")
    val_r2: float = float("nan")
    test_r2: float = float("nan")


@dataclass(frozen=True, slots=True)
class Finished:
    """The end of a run: how it ended, after how many iterations and seconds."""

    run: str
    status: str             # "finished", "stopped" or "diverged"
    iteration: int
    diverged_at: int | None
    elapsed: float          # seconds spent training


@dataclass(frozen=True)
class RunSummary(Mapping[str, Any]):
    """A run's config and final metrics (None where not measured or not finite).

    A typed record; `to_dict` is its JSON form (the ``runs`` of a summary
    JSON).  It reads as that mapping too (``summary["status"]``), so code
    written for the former plain dict keeps working.
    """

    run: str
    config: Mapping[str, Any]
    status: str
    diverged_at: int | None
    iterations: int
    epochs: float
    elapsed_s: float
    final_loss: float | None
    train_acc: float | None
    val_acc: float | None
    test_acc: float | None
    n_train: int
    n_val: int
    n_test: int
    #: "classification" (accuracies) or "regression" (a table's numeric target: the test split's
    #: ``rmse``, ``mae``, ``r2``, and RMSE and R² of the training and validation splits)
    task: str = "classification"
    rmse: float | None = None
    mae: float | None = None
    r2: float | None = None
    train_rmse: float | None = None
    val_rmse: float | None = None
    train_r2: float | None = None
    val_r2: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields in order, the config as a plain dict; a classification run's
        JSON has no regression fields (``task`` onwards), as before tables existed."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.task == "classification":
            for key in REGRESSION_SUMMARY_KEYS:
                del out[key]
        out["config"] = dict(self.config)
        return out

    def __getitem__(self, key: str) -> Any:
        if key not in _SUMMARY_KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_SUMMARY_KEYS)

    def __len__(self) -> int:
        return len(_SUMMARY_KEYS)


_SUMMARY_KEYS = tuple(f.name for f in fields(RunSummary))
#: The summary fields only a regression run writes to its JSON.
REGRESSION_SUMMARY_KEYS = _SUMMARY_KEYS[_SUMMARY_KEYS.index("task"):]
#: The per-evaluation regression columns (`Evaluation` fields, `History` properties, loss CSV columns).
REGRESSION_COLUMNS = tuple(f"{split}_{metric}" for metric in ("rmse", "mae", "r2")
                           for split in ("train", "val", "test"))


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

    def extend(self, values: np.ndarray) -> None:
        need = self.n + len(values)
        if need > len(self.data):
            grown = np.empty(max(need, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n:need] = values
        self.n = need

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
        self._eval = {k: _Column(np.float64, 64) for k in ("iteration", "epoch", "train", "val", "test",
                                                           *REGRESSION_COLUMNS)}

    def add_step(self, iteration: int, loss: float, lr: float) -> None:
        self._it.append(iteration)
        self._loss.append(loss)
        self._lr.append(lr)

    def add_steps(self, iterations: np.ndarray, loss: np.ndarray, lr: np.ndarray) -> None:
        """Several steps at once (a `events.StepBatch`)."""
        self._it.extend(iterations)
        self._loss.extend(loss)
        self._lr.extend(lr)

    def add_evaluation(self, ev: Evaluation) -> None:
        for key, value in zip(("iteration", "epoch", "train", "val", "test"),
                              (ev.iteration, ev.epoch, ev.train_acc, ev.val_acc, ev.test_acc), strict=False):
            self._eval[key].append(value)
        for key in REGRESSION_COLUMNS:
            self._eval[key].append(getattr(ev, key))

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
        """The last value of ``loss``, ``train_acc``, ``val_acc``, ``test_acc`` or of a regression
        column (`REGRESSION_COLUMNS`: ``test_rmse``, …) (nan if none)."""
        arr = self.regression(name) if name in REGRESSION_COLUMNS else getattr(self, name)
        return float(arr[-1]) if len(arr) else float("nan")

    def regression(self, name: str) -> np.ndarray:
        """The regression column ``name`` (`REGRESSION_COLUMNS`, e.g. "val_rmse") per evaluation;
        nan at every evaluation of a classification run."""
        if name not in REGRESSION_COLUMNS:
            raise KeyError(name)
        col = self._eval.get(name)
        if col is None:          # a History pickled before regression columns existed
            return np.full(len(self.eval_iterations), np.nan)
        return col.view()
