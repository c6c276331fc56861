"""Every optimizer hyperparameter, declared once (docs/equations.md#hyperparameters).

Each is a `Hyperparameter` — an `optilab.rules.Setting` (its bound, the book's
symbol, an English label and one-sentence description, the range a slider
offers) plus ``short``, the word the form field shows in parentheses.  The
optimizers check their values with these, `parse_spec` reads command-line
text with them, and the UI builds its fields from them (`field_label`):

    >>> HPARAMS["lr"].check("0.1", owner="sgd")
    0.1
    >>> field_label("lr"), field_label("beta1")
    ('η (lr)', 'β₁')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from optilab.rules import Flag, Number, Setting

__all__ = ["HPARAMS", "MAX_LR", "Hyperparameter", "field_label", "symbol"]

#: The largest learning rate accepted: beyond this every lesson is divergence.
MAX_LR = 1e6


@dataclass(frozen=True)
class Hyperparameter(Setting):
    """A `Setting` with the short word its form field shows after the symbol ("η (lr)")."""

    short: str = ""

    def field_label(self) -> str:
        """The English text of its form field: ``"η (lr)"``, ``"β₁"``, ``"bias correction (m̂, v̂)"``."""
        head = self.symbol or self.label
        return f"{head} ({self.short})" if self.short else head


_UNIT = Number(0.0, 1.0, high_open=True)  # [0, 1): a fraction kept from the last step

HPARAMS: Mapping[str, Hyperparameter] = MappingProxyType({h.key: h for h in (
    Hyperparameter(
        "lr", Number(0.0, MAX_LR, low_open=True), symbol="η", label="learning rate",
        description="How far each step moves against the gradient.",
        slider=(1e-4, 10.0, True), short="lr"),
    Hyperparameter(
        "momentum", _UNIT, symbol="μ", label="momentum",
        description="The fraction of the last velocity each step keeps.",
        slider=(0.0, 0.999, False), short="momentum"),
    Hyperparameter(
        "decay_rate", _UNIT, symbol="ρ", label="decay rate",
        description="The fraction of the running mean of squared gradients each step keeps.",
        slider=(0.0, 0.999, False), short="decay"),
    Hyperparameter(
        "beta1", _UNIT, symbol="β₁", label="first-moment decay",
        description="The fraction of the running mean of gradients (m) each step keeps.",
        slider=(0.0, 0.999, False)),
    Hyperparameter(
        "beta2", _UNIT, symbol="β₂", label="second-moment decay",
        description="The fraction of the running mean of squared gradients (v) each step keeps.",
        slider=(0.9, 0.9999, False)),
    Hyperparameter(
        "eps", Number(0.0, 1.0, low_open=True, high_open=True), symbol="ε", label="epsilon",
        description="A small number added to the root in the denominator so a step never divides by zero.",
        slider=(1e-10, 1e-1, True)),
    Hyperparameter(
        "weight_decay", Number(0.0, 1e3, high_open=True), symbol="λ", label="weight decay",
        description="How strongly each step shrinks the parameters toward zero, apart from the gradient.",
        slider=(1e-4, 1.0, True), short="weight decay"),
    Hyperparameter(
        "momentum_decay", Number(0.0, 1.0), symbol="ψ", label="momentum decay",
        description="How fast NAdam's momentum coefficient μₜ ramps up from β₁/2 towards β₁.",
        slider=(1e-4, 1e-1, True), short="momentum decay"),
    Hyperparameter(
        "bias_correction", Flag(), label="bias correction",
        description="Whether the moments are divided by 1 − βᵗ, so the first steps have the right size.",
        short="m̂, v̂"),
)})


def symbol(key: str) -> str:
    """The book's symbol of hyperparameter ``key`` (η, μ, …), or the key itself if it has none."""
    hp = HPARAMS.get(key)
    return hp.symbol if hp is not None and hp.symbol else key


def field_label(setting: Setting | str) -> str:
    """The English label of a hyperparameter's form field ("η (lr)", "ρ (decay)", "β₁").

    ``setting`` is a `Setting` (e.g. from ``get_class(name).settings()``) or a
    key of `HPARAMS`; a plain Setting shows its symbol, else its label, else
    its key.
    """
    if isinstance(setting, str):
        hp = HPARAMS.get(setting)
        return hp.field_label() if hp is not None else setting
    if isinstance(setting, Hyperparameter):
        return setting.field_label()
    return setting.symbol or setting.label or setting.key
