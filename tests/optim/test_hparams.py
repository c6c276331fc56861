"""Every hyperparameter declared once (issue #13 item 3): bounds, symbols, field labels, sliders."""

from __future__ import annotations

import math

import pytest

from optilab import optim
from optilab.messages import OptilabError


def test_every_optimizers_hyperparameters_have_a_setting_in_order():
    for name in optim.names():
        cls = optim.get_class(name)
        assert [s.key for s in cls.settings()] == list(cls.defaults), name


@pytest.mark.parametrize("key,inside,outside", [
    ("lr", [1e-12, 1.0, optim.MAX_LR], [0.0, -1.0, optim.MAX_LR * 1.0001, math.nan, math.inf]),
    ("momentum", [0.0, 0.5, 0.999999], [1.0, -1e-9]),
    ("decay_rate", [0.0, 0.99], [1.0, -0.1]),
    ("beta1", [0.0, 0.9], [1.0, -0.1]),
    ("beta2", [0.0, 0.999], [1.0, 2.0]),
    ("eps", [1e-300, 0.5], [0.0, 1.0]),
    ("weight_decay", [0.0, 999.0], [1e3, -1e-9]),
])
def test_bounds_are_todays(key, inside, outside):
    setting = optim.HPARAMS[key]
    for value in inside:
        assert setting.check(value) == value
    for value in outside:
        with pytest.raises(OptilabError):
            setting.check(value)


def test_what_is_allowed_reads_as_the_rules_write_it():
    assert [str(optim.HPARAMS[k].describe()) for k in ("lr", "momentum", "eps", "weight_decay", "bias_correction")] == [
        "a number > 0 and ≤ 1e6", "a number in [0, 1)", "a number > 0 and < 1", "a number in [0, 1000)",
        "true or false"]


def test_field_labels_and_symbols_are_the_ui_texts():
    labels = {k: optim.field_label(k) for k in optim.HPARAMS}
    assert labels == {
        "lr": "η (lr)", "momentum": "μ (momentum)", "decay_rate": "ρ (decay)", "beta1": "β₁", "beta2": "β₂",
        "eps": "ε", "weight_decay": "λ (weight decay)", "momentum_decay": "ψ (momentum decay)",
        "bias_correction": "bias correction (m̂, v̂)"}
    assert [optim.symbol(k) for k in ("lr", "momentum", "decay_rate", "beta1", "beta2", "eps", "weight_decay")] == [
        "η", "μ", "ρ", "β₁", "β₂", "ε", "λ"]
    assert optim.symbol("bias_correction") == "bias_correction"
    assert all(s.label and s.description.endswith(".") for s in optim.HPARAMS.values())


def test_slider_ranges_lie_inside_the_bounds():
    sliders = {k: s.slider for k, s in optim.HPARAMS.items() if s.slider}
    assert sliders == {
        "lr": (1e-4, 10.0, True), "momentum": (0.0, 0.999, False), "decay_rate": (0.0, 0.999, False),
        "beta1": (0.0, 0.999, False), "beta2": (0.9, 0.9999, False), "eps": (1e-10, 1e-1, True),
        "weight_decay": (1e-4, 1.0, True), "momentum_decay": (1e-4, 1e-1, True)}
    for key, (low, high, _) in sliders.items():
        optim.HPARAMS[key].check(low)
        optim.HPARAMS[key].check(high)


def test_checked_converts_text_once_and_refuses_unknown_keys():
    assert optim.Adam.checked({"lr": "0.5", "bias_correction": "off"}) == {"lr": 0.5, "bias_correction": False}
    with pytest.raises(OptilabError) as info:
        optim.SGD.checked({"momentum": 0.9})
    assert info.value.code == "optim.no_hparam"
    assert str(info.value) == "sgd has no hyperparameter 'momentum'; valid ones are: lr"


@pytest.mark.parametrize("spec,code,text", [
    ("nope", "optim.unknown",
     "unknown optimizer 'nope'; choose one of: sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, nadam, "
     "adamw, amsgrad, lion, newton, lbfgs"),
    ("sgd:lr", "optim.bad_spec_item", "bad setting 'lr' in 'sgd:lr'; write key=value, e.g. sgd:lr=0.1"),
    ("sgd:foo=1", "optim.no_hparam", "sgd has no hyperparameter 'foo'; valid ones are: lr"),
    ("adam:beta2=1", "rules.out_of_range", "adam: beta2 must be a number in [0, 1), got 1"),
    ("sgd:lr=abc", "rules.out_of_range", "sgd: lr must be a number > 0 and ≤ 1e6, got abc"),
    ("adam:bias_correction=maybe", "rules.out_of_range", "adam: bias_correction must be true or false, got maybe"),
])
def test_parse_spec_errors_are_declared_messages(spec, code, text):
    with pytest.raises(OptilabError) as info:
        optim.parse_spec(spec)
    assert (info.value.code, str(info.value)) == (code, text)


def test_the_lr_setter_checks_with_the_same_rule():
    opt = optim.create("adam")
    with pytest.raises(OptilabError, match=r"^adam: lr must be a number > 0 and ≤ 1e6, got 0$"):
        opt.lr = 0
