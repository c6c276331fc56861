"""Adding an optimizer touches one module: the registry fills itself (issue #13 item 7)."""

from __future__ import annotations

import sys
import textwrap
from typing import Any, ClassVar

import numpy as np
import pytest

from optilab import optim
from optilab.optim import registry
from optilab.rules import Number, Setting

SIGN_SGD = '''
"""signSGD: x ← x − η sign(g) — a tiny optimizer written as a newcomer would."""

import numpy as np

from optilab.optim.base import Optimizer


class SignSGD(Optimizer):
    """signSGD: x ← x − η sign(g)."""

    name = "signsgd_test"
    title = "signSGD"
    defaults = {"lr": 0.5}
    equation = "x ← x − η sign(g)"
    order = 15

    def _update(self, x, g, st, tmp, hp):
        np.sign(g, out=tmp)
        tmp *= hp["lr"]
        x -= tmp
'''


@pytest.fixture
def new_module(tmp_path, monkeypatch):
    """``optim/signsgd_test.py`` in a second folder of the package's path, imported as the package does."""
    (tmp_path / "signsgd_test.py").write_text(textwrap.dedent(SIGN_SGD), encoding="utf-8")
    monkeypatch.setattr(optim, "__path__", [*optim.__path__, str(tmp_path)])
    optim.discover()
    yield sys.modules["optilab.optim.signsgd_test"]
    registry.unregister("signsgd_test")
    del sys.modules["optilab.optim.signsgd_test"]


def test_a_new_module_in_the_package_registers_its_optimizer(new_module):
    # Listed in teaching order (order 15: after SGD, before Momentum), made, parsed and stepped.
    assert optim.names()[:3] == ["sgd", "signsgd_test", "momentum"]
    assert optim.parse_spec("SignSGD_test:lr=0.25") == ("signsgd_test", {"lr": 0.25})
    opt = optim.create("signsgd_test", lr=0.25)
    p = {"w": np.array([1.0, 1.0])}
    opt.step(p, {"w": np.array([3.0, -0.5])})           # x − 0.25·sign(g) = (0.75, 1.25)
    np.testing.assert_array_equal(p["w"], [0.75, 1.25])
    # Its lr is checked by the one declared learning-rate rule.
    with pytest.raises(ValueError, match=r"signsgd_test: lr must be a number > 0 and ≤ 1e6, got -1"):
        optim.parse_spec("signsgd_test:lr=-1")
    # The numbers panel falls back to the class's equation and the two points.
    n = optim.StepNumbers(1, (1.0, 1.0), (0.75, 1.25), (3.0, -0.5))
    assert optim.get_class("signsgd_test").step_lines(n) == ["x ← x − η sign(g): (1, 1) → (0.75, 1.25)"]
    assert [s.key for s in optim.get_class("signsgd_test").settings()] == ["lr"]


def test_a_hyperparameter_of_its_own_is_declared_in_the_class():
    class Decayed(optim.Optimizer):
        name = "decayed_test"
        defaults: ClassVar[dict[str, Any]] = {"lr": 0.1, "rate": 0.5}
        own_settings = (Setting("rate", Number(0.0, 1.0), symbol="r", label="rate"),)

    try:
        assert "decayed_test" in optim.names()
        assert optim.parse_spec("decayed_test:rate=1") == ("decayed_test", {"rate": 1.0})
        with pytest.raises(ValueError, match=r"decayed_test: rate must be a number in \[0, 1\], got 2"):
            optim.parse_spec("decayed_test:rate=2")
        assert optim.field_label(Decayed.settings()[1]) == "r"
    finally:
        registry.unregister("decayed_test")


def test_a_hyperparameter_without_a_setting_is_refused_when_the_class_is_written():
    with pytest.raises(TypeError, match="no Setting for hyperparameter 'speed'"):
        class Fast(optim.Optimizer):
            name = "fast_test"
            defaults: ClassVar[dict[str, Any]] = {"lr": 0.1, "speed": 2.0}
    assert "fast_test" not in optim.names()


def test_two_optimizers_may_not_share_a_name():
    with pytest.raises(TypeError, match=r"'adam'.* is taken by Adam"):
        class Other(optim.Optimizer):
            name = "adam"
            defaults: ClassVar[dict[str, Any]] = {"lr": 0.1}
    assert optim.get_class("adam") is optim.Adam
