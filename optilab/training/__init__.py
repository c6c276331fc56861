"""Training engine: `RunConfig` → `Trainer` → records, experiments, exports.

    >>> from optilab import data, training
    >>> cfg = training.RunConfig(optimizer="adam", hparams={"lr": 0.001}, epochs=1, iterations=None)
    >>> trainer = training.Trainer(cfg, data.load(sample=True), observers=[print])
    >>> trainer.run()

Pure numpy; the app's Qt worker wraps a `Trainer`.
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
from optilab.training.records import Evaluation, Finished, History, Step
from optilab.training.trainer import Split, Trainer, make_split

__all__ = [
    "ACTIVATIONS", "RunConfig", "PRESETS", "ExperimentResult", "Preset", "RunResult", "get", "names",
    "random_search_configs", "run_preset", "search_table", "CSV_COLUMNS", "loss_csv", "summary_json",
    "Evaluation", "Finished", "History", "Step", "Split", "Trainer", "make_split",
]
