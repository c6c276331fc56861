"""Training engine: `RunConfig` → `Trainer` → records, experiments, exports.

    >>> from optilab import data, training
    >>> cfg = training.RunConfig(optimizer="adam", hparams={"lr": 0.001}, epochs=1, iterations=None)
    >>> trainer = training.Trainer(cfg, data.load(sample=True), observers=[print])
    >>> trainer.run()

Pure numpy.  `events` are what a job reports (typed, also across the process
boundary of `remote.JobProcess`); `optilab.lab.training.TrainingSession` is
the state of a job that the app's training lab shows.
"""

from optilab.training.config import ACTIVATIONS, RunConfig
from optilab.training.experiments import (
    PRESETS,
    ExperimentResult,
    Preset,
    RunResult,
    get,
    names,
    random_search_configs,
    run_preset,
    search_table,
)
from optilab.training.export import CSV_COLUMNS, loss_csv, summary_json
from optilab.training.records import Evaluation, Finished, History, RunSummary, Step
from optilab.training.trainer import Split, Trainer, make_split

__all__ = [
    "ACTIVATIONS",
    "CSV_COLUMNS",
    "PRESETS",
    "Evaluation",
    "ExperimentResult",
    "Finished",
    "History",
    "Preset",
    "RunConfig",
    "RunResult",
    "RunSummary",
    "Split",
    "Step",
    "Trainer",
    "get",
    "loss_csv",
    "make_split",
    "names",
    "random_search_configs",
    "run_preset",
    "search_table",
    "summary_json",
]
