"""Newton and L-BFGS in the surface lab's models (issue #16 item 4): listed, run, refused where they cannot work."""

from __future__ import annotations

import numpy as np
import pytest

from optilab import optim, stability, surfaces
from optilab.lab.stability import StabilityLab
from optilab.lab.surface import SurfaceLab
from optilab.training.config import SETTINGS


def test_the_surface_lab_runs_newton_and_lbfgs_and_the_training_lab_does_not_list_them():
    lab = SurfaceLab()
    lab.set_surface("saddle")
    lab.add_run("newton")
    lab.add_run("lbfgs")
    newton, lbfgs = lab.trajectories[-2:]
    assert newton.optimizer == "newton" and lbfgs.optimizer == "lbfgs"
    np.testing.assert_array_equal([newton.x[1], newton.y[1]], [0.0, 0.0])
    assert newton.step_note(1).code == "optim.newton_indefinite"
    # The training lab's optimizer field lists the gradient methods only (one declaration, both labs read it).
    assert SETTINGS["optimizer"].rule.choices == tuple(optim.names(network=True))
    assert "newton" not in SETTINGS["optimizer"].rule.choices and "lbfgs" not in SETTINGS["optimizer"].rule.choices


def test_a_refused_run_in_the_lab_is_a_record_with_its_reason_not_an_error():
    lab = SurfaceLab()
    lab.load_lesson("gd-vs-sgd")
    sgd_run = lab.runs[1]                        # its own minibatch surface (1 point per step)
    lab.runs[1] = type(sgd_run)("lbfgs", {}, surface=sgd_run.surface)
    lab.recompute()
    t = lab.trajectories[1]
    assert t.status == "refused" and t.n_points == 0
    assert "samples a minibatch gradient" in str(t.refusal)


def test_stability_maps_sweep_the_gradient_methods_only():
    assert stability.mappable() == optim.names(network=True)
    with pytest.raises(ValueError, match="stability map sweeps only the gradient methods") as info:
        stability.stability_map(surfaces.get("bowl"), "newton", x_values=[0.5, 1.0])
    assert "\n" not in str(info.value)
    lab = SurfaceLab()
    lab.set_surface("bowl")
    lab.add_run("sgd")
    lab.add_run("lbfgs")
    stab = StabilityLab(lab)
    stab.select(1)
    assert stab.request() is None and "L-BFGS reads the surface itself" in str(stab.refusal())
    stab.select(0)
    assert stab.refusal() is None and stab.request() is not None



def test_selecting_newton_after_a_momentum_map_keeps_the_model_consistent():
    lab = SurfaceLab()
    lab.load_lesson("newton-saddle")            # rows: Newton, GD, Momentum
    stab = StabilityLab(lab)
    stab.select(2)
    assert stab.y is not None and stab.y.key == "momentum"
    stab.select(0)                               # Newton has no μ: no mark, no request, its reason
    assert stab.current() is None and stab.request() is None and stab.refusal() is not None
    stab.select(1)
    assert stab.current() is not None and stab.request() is not None
