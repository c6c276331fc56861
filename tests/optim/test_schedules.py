"""Learning-rate schedules against their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import optim


def lrs(schedule, steps, metrics=None):
    out = []
    for t in range(steps):
        schedule.step(None if metrics is None else metrics[t])
        out.append(schedule.optimizer.lr)
    return out


def test_step_decay_multiplies_by_gamma_every_k_steps():
    s = optim.create_schedule("step", optim.create("sgd", lr=1.0), step_size=3, gamma=0.5)
    assert lrs(s, 7) == pytest.approx([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25])


def test_exponential_decay():
    s = optim.create_schedule("exponential", optim.create("sgd", lr=0.1), gamma=0.9)
    assert lrs(s, 4) == pytest.approx([0.1 * 0.9**t for t in range(1, 5)])


def test_inverse_time_decay():
    s = optim.create_schedule("inverse-time", optim.create("sgd", lr=0.1), k=0.5)
    assert lrs(s, 3) == pytest.approx([0.1 / 1.5, 0.1 / 2.0, 0.1 / 2.5])


def test_cosine_reaches_min_lr_at_t_max_and_stays():
    s = optim.create_schedule("cosine", optim.create("sgd", lr=1.0), t_max=4, min_lr=0.1)
    got = lrs(s, 6)
    want = [0.1 + 0.45 * (1 + math.cos(math.pi * t / 4)) for t in (1, 2, 3, 4, 4, 4)]
    assert got == pytest.approx(want)
    assert got[1] == pytest.approx(0.55)


def test_warmup_climbs_linearly_then_holds():
    opt = optim.create("sgd", lr=1.0)
    s = optim.create_schedule("warmup", opt, warmup_steps=3)
    assert opt.lr == pytest.approx(0.25)
    assert lrs(s, 4) == pytest.approx([0.5, 0.75, 1.0, 1.0])


def test_plateau_follows_pytorch_semantics():
    # patience 2: the 3rd evaluation in a row without a relative improvement
    # beyond 1e-4 cuts the rate; the counter then restarts.
    opt = optim.create("sgd", lr=1.0)
    s = optim.create_schedule("plateau", opt, factor=0.5, patience=2, min_lr=0.2)
    metrics = [1.0, 0.9, 0.9, 0.89999, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
    got = lrs(s, len(metrics), metrics)
    assert got == pytest.approx([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2])


def test_plateau_needs_a_metric():
    s = optim.create_schedule("plateau", optim.create("sgd"))
    with pytest.raises(ValueError):
        s.step()


def test_schedule_errors_list_choices():
    with pytest.raises(ValueError, match="choose one of: constant, step"):
        optim.create_schedule("linear", optim.create("sgd"))
    with pytest.raises(ValueError, match="valid ones are: step_size, gamma"):
        optim.create_schedule("step", optim.create("sgd"), gama=0.1)
    with pytest.raises(ValueError):
        optim.create_schedule("step", optim.create("sgd"), step_size=0)
    with pytest.raises(ValueError):
        optim.create_schedule("exponential", optim.create("sgd"), gamma=float("nan"))


def test_schedule_drives_an_optimizer_update():
    opt = optim.create("sgd", lr=1.0)
    s = optim.create_schedule("step", opt, step_size=1, gamma=0.5)
    p = {"x": np.array([0.0])}
    for _ in range(3):
        opt.step(p, {"x": np.array([1.0])})
        s.step()
    assert p["x"][0] == pytest.approx(-(1 + 0.5 + 0.25))


# -- parameters declared once (issue #13 item 3) ------------------------------

def test_every_schedule_declares_each_init_parameter_as_a_setting():
    import inspect

    for name in optim.schedule_names():
        cls = optim.schedule_class(name)
        params = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "optimizer")]
        assert [s.key for s in optim.schedule_settings(name)] == params, name
        assert all(s.label and s.description.endswith(".") for s in optim.schedule_settings(name)), name


def test_schedule_defaults_are_those_of_init():
    assert optim.schedule_defaults("step") == {"step_size": 1000, "gamma": 0.1}
    assert optim.schedule_defaults("plateau") == {
        "factor": 0.1, "patience": 10, "threshold": 1e-4, "min_lr": 0.0, "cooldown": 0}
    assert optim.schedule_defaults("constant") == {}


@pytest.mark.parametrize("name,kwargs,code,text", [
    ("linear", {}, "optim.schedule.unknown",
     "unknown schedule 'linear'; choose one of: constant, step, exponential, inverse-time, cosine, warmup, plateau"),
    ("step", {"gama": 0.1}, "optim.schedule.no_setting",
     "schedule 'step' has no setting 'gama'; valid ones are: step_size, gamma"),
    ("constant", {"gamma": 0.5}, "optim.schedule.no_setting",
     "schedule 'constant' has no setting 'gamma'; valid ones are: none"),
    ("step", {"gamma": 2}, "rules.out_of_range_bare", "gamma must be a number in [0, 1], got 2"),
    ("plateau", {"factor": 1.0}, "rules.out_of_range_bare", "factor must be a number in [0, 1), got 1.0"),
    ("inverse-time", {"k": -1}, "rules.out_of_range_bare", "k must be a number ≥ 0, got -1"),
    ("step", {"step_size": 0}, "rules.out_of_range_bare", "step_size must be a whole number ≥ 1, got 0"),
    ("warmup", {"warmup_steps": 2.5}, "rules.out_of_range_bare", "warmup_steps must be a whole number ≥ 1, got 2.5"),
    ("plateau", {"patience": -1}, "rules.out_of_range_bare", "patience must be a whole number ≥ 0, got -1"),
])
def test_schedule_errors_are_declared_messages(name, kwargs, code, text):
    from optilab.messages import OptilabError

    with pytest.raises(OptilabError) as info:
        optim.create_schedule(name, optim.create("sgd"), **kwargs)
    assert (info.value.code, str(info.value)) == (code, text)


def test_whole_numbers_given_as_floats_or_text_become_ints():
    s = optim.create_schedule("step", optim.create("sgd"), step_size=3.0, gamma="0.5")
    assert (s.step_size, type(s.step_size), s.gamma) == (3, int, 0.5)


def test_a_new_schedule_registers_itself_with_its_settings():
    from optilab.optim import schedules
    from optilab.rules import Number, Setting

    class Halving(optim.Schedule):
        """η_t = η₀ / 2^⌊t / n⌋."""

        name = "halving_test"
        order = 35
        parameters = (Setting("n", Number(1, integer=True), label="steps per halving",
                              description="The rate halves every n steps."),)

        def __init__(self, optimizer, n: int = 2) -> None:
            super().__init__(optimizer)
            self.n = self._check("n", n)

        def lr_at(self, t: int) -> float:
            return self.base_lr / 2 ** (t // self.n)

    try:
        assert optim.schedule_names().index("halving_test") == optim.schedule_names().index("exponential") + 1
        s = optim.create_schedule("halving_test", optim.create("sgd", lr=1.0), n="1")
        assert lrs(s, 3) == pytest.approx([0.5, 0.25, 0.125])
        with pytest.raises(ValueError, match=r"^n must be a whole number ≥ 1, got 0$"):
            optim.create_schedule("halving_test", optim.create("sgd"), n=0)
    finally:
        schedules._REGISTRY.pop("halving_test")


def test_a_schedule_whose_settings_miss_an_init_keyword_is_refused():
    with pytest.raises(TypeError, match="parameters must declare a Setting"):
        class Broken(optim.Schedule):
            name = "broken_test"

            def __init__(self, optimizer, rate: float = 0.5) -> None:
                super().__init__(optimizer)
