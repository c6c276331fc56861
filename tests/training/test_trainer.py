"""Trainer: learning, stop/pause, divergence, determinism, live lr, evaluation."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from optilab import training
from optilab.training import Evaluation, Finished, RunConfig, Step, Trainer


def small(**kw) -> RunConfig:
    base = dict(hidden=(16,), batch_size=50, iterations=200, optimizer="sgd", hparams={"lr": 0.1})
    base.update(kw)
    return RunConfig(**base)


def test_trainer_learns_separable_blobs(blob_data):
    trainer = Trainer(small(), blob_data)
    fin = trainer.run()
    assert fin.status == "finished" and trainer.iteration == 200
    assert trainer.history.test_acc[-1] > 0.95
    assert trainer.history.train_acc[-1] > 0.95
    assert trainer.history.loss[-20:].mean() < trainer.history.loss[:20].mean() / 4


def test_records_reach_observers_in_order(blob_data):
    seen = []
    trainer = Trainer(small(iterations=40, eval_interval=20), blob_data, [seen.append])
    trainer.run()
    steps = [r for r in seen if isinstance(r, Step)]
    evals = [r for r in seen if isinstance(r, Evaluation)]
    assert [s.iteration for s in steps] == list(range(1, 41))
    assert [e.iteration for e in evals] == [0, 20, 40]
    assert isinstance(seen[-1], Finished) and seen[-1].status == "finished"
    assert all(s.lr == pytest.approx(0.1) for s in steps)
    np.testing.assert_array_equal(trainer.history.loss, [s.loss for s in steps])


def test_the_summary_is_a_typed_record_with_the_json_form_of_before(blob_data):
    import json
    import pickle

    trainer = Trainer(small(iterations=30, eval_interval=10, label="s"), blob_data)
    fin = trainer.run()
    s = trainer.summary()
    assert isinstance(s, training.RunSummary) and s.status == fin.status == "finished"
    assert (s.iterations, s.epochs, s.n_train, s.n_val, s.n_test) == (30, round(30 / (1000 // 50), 4), 1000, 0, 200)
    assert s.val_acc is None and s.test_acc == trainer.history.test_acc[-1]
    doc = json.loads(json.dumps(s.to_dict(), allow_nan=False))
    assert list(doc) == ["run", "config", "status", "diverged_at", "iterations", "epochs", "elapsed_s",
                         "final_loss", "train_acc", "val_acc", "test_acc", "n_train", "n_val", "n_test"]
    assert doc["config"]["hidden"] == [16] and s["status"] == "finished" and dict(s)["run"] == "s"
    assert pickle.loads(pickle.dumps(s)) == s and pickle.loads(pickle.dumps(fin)) == fin


def test_epochs_give_floor_n_over_batch_iterations_each(blob_data):
    trainer = Trainer(small(epochs=3, iterations=None, batch_size=300), blob_data)
    assert trainer.iters_per_epoch == 1000 // 300
    trainer.run()
    assert trainer.iteration == 9
    assert list(trainer.history.eval_iterations) == [0, 3, 6, 9]


def test_stop_flag_is_checked_every_iteration(blob_data):
    holder = {}

    def stop_at_7(rec):
        if isinstance(rec, Step) and rec.iteration == 7:
            holder["t"].request_stop()

    trainer = Trainer(small(iterations=1000), blob_data, [stop_at_7])
    holder["t"] = trainer
    fin = trainer.run()
    assert fin.status == "stopped" and trainer.iteration == 7


def test_pause_holds_the_loop_until_resume(blob_data):
    reached = threading.Event()
    trainer = Trainer(small(iterations=50), blob_data)

    def pause_at_10(rec):
        if isinstance(rec, Step) and rec.iteration == 10:
            trainer.pause()
            reached.set()

    trainer.observers.append(pause_at_10)
    worker = threading.Thread(target=trainer.run)
    worker.start()
    assert reached.wait(10)
    worker.join(0.3)
    assert worker.is_alive() and trainer.iteration == 10 and trainer.paused
    trainer.resume()
    worker.join(10)
    assert not worker.is_alive() and trainer.status == "finished" and trainer.iteration == 50


def test_huge_learning_rate_diverges_with_the_step(blob_data):
    trainer = Trainer(small(hparams={"lr": 1e5}, iterations=100), blob_data)
    fin = trainer.run()
    assert fin.status == "diverged"
    assert trainer.diverged_at == trainer.iteration + 1
    assert trainer.iteration < 100
    assert np.all(np.isfinite(trainer.history.loss))


def test_same_seed_gives_the_same_curves_and_another_seed_does_not(blob_data):
    def losses(seed):
        t = Trainer(small(seed=seed, iterations=30, dropout=0.2, batchnorm=True), blob_data)
        t.run()
        return t.history.loss.copy(), t.history.test_acc.copy()

    a, b, c = losses(3), losses(3), losses(4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_set_lr_takes_effect_at_the_next_iteration(blob_data):
    holder = {}

    def change(rec):
        if isinstance(rec, Step) and rec.iteration == 5:
            holder["t"].set_lr(0.02)

    trainer = Trainer(small(iterations=10), blob_data, [change])
    holder["t"] = trainer
    trainer.run()
    np.testing.assert_allclose(trainer.history.lr, [0.1] * 5 + [0.02] * 5)
    with pytest.raises(ValueError):
        trainer.set_lr(-1)


def test_schedule_sets_the_recorded_lr(blob_data):
    cfg = small(iterations=6, schedule="step", schedule_args={"step_size": 2, "gamma": 0.5})
    trainer = Trainer(cfg, blob_data)
    trainer.run()
    # PyTorch StepLR: iteration k uses η₀·γ^⌊(k−1)/2⌋
    np.testing.assert_allclose(trainer.history.lr, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_validation_split_and_train_size(blob_data):
    cfg = small(train_size=500, val_fraction=0.2, iterations=5)
    trainer = Trainer(cfg, blob_data)
    s = trainer.split
    assert len(s.x_train) == 400 and len(s.x_val) == 100 and len(s.x_test) == 200
    # the held-out rows are rows of the first 500 training images, disjoint from the rest
    first = {row.tobytes() for row in blob_data.x_train[:500]}
    assert all(r.tobytes() in first for r in s.x_val)
    assert not {r.tobytes() for r in s.x_val} & {r.tobytes() for r in s.x_train}
    trainer.run()
    assert np.all(np.isfinite(trainer.history.val_acc))


def test_weights_update_through_the_optimizer_in_place(blob_data):
    trainer = Trainer(small(optimizer="adam", hparams={"lr": 0.01}, iterations=3), blob_data)
    w = trainer.net.params["W1"]
    before = w.copy()
    trainer.run()
    assert trainer.net.params["W1"] is w and not np.array_equal(w, before)
    assert trainer.optimizer.state["W1"]["step"] == 3


@pytest.mark.parametrize(
    "bad",
    [dict(optimizer="sgdd"), dict(hparams={"lr": 0}), dict(batch_size=0), dict(hidden=()),
     dict(hidden=(10, -1)), dict(activation="softsign"), dict(init="glorot"), dict(dropout=1.0),
     dict(weight_decay=-1), dict(iterations=None, epochs=None), dict(val_fraction=0.95),
     dict(schedule="linear"), dict(schedule="step", schedule_args={"gama": 1}), dict(dtype="float16"),
     dict(seed=-1)],
)
def test_bad_config_raises_value_error(bad):
    with pytest.raises(ValueError):
        small(**bad)


def test_config_round_trips_through_dict():
    cfg = small(init=0.01, hidden=(30, 20), schedule="cosine", schedule_args={"t_max": 50})
    assert RunConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="unknown training setting"):
        RunConfig.from_dict({"optimiser": "sgd"})


def test_history_pickles_only_what_it_holds(blob_data):
    import pickle

    t = Trainer(small(iterations=30, eval_interval=10), blob_data)
    t.run()
    h = pickle.loads(pickle.dumps(t.history))
    np.testing.assert_array_equal(h.loss, t.history.loss)
    np.testing.assert_array_equal(h.iterations, t.history.iterations)
    np.testing.assert_array_equal(h.test_acc, t.history.test_acc)
    big = training.History(capacity=1_000_000)
    big.add_step(1, 0.5, 0.1)
    assert len(pickle.dumps(big)) < 10_000       # not the 24 MB of reserved capacity
    h.add_step(31, 0.1, 0.1)                      # still growable after unpickling
    assert h.loss[-1] == 0.1


# -- whole numbers given as floats, and splits that leave nothing to train on (issue #12) --

WHOLE = {"batch_size": 50.0, "iterations": 4.0, "train_size": 900.0, "eval_interval": 2.0,
         "eval_train_size": 300.0, "seed": 3.0}


def test_integral_floats_are_stored_as_ints_and_the_run_trains(blob_data):
    config = small(**WHOLE)
    assert {k: (type(getattr(config, k)), getattr(config, k)) for k in WHOLE} == {
        k: (int, int(v)) for k, v in WHOLE.items()}
    assert Trainer(config, blob_data).run().status == "finished"
    for name in WHOLE:
        with pytest.raises(ValueError, match=f"^{name} must be a whole number"):
            small(**{name: 100.5})


def test_a_scenario_with_float_training_numbers_loads_them_as_ints(blob_data):
    import json

    from optilab import scenario

    doc = json.loads(scenario.dumps(scenario.Scenario()))
    doc["training"].update(hidden=[16.0], **WHOLE)
    config = scenario.loads(json.dumps(doc)).training
    assert type(config.batch_size) is int and config.batch_size == 50 and config.hidden == (16,)
    assert Trainer(config, blob_data).run().status == "finished"
    doc["training"]["batch_size"] = 100.5
    with pytest.raises(ValueError, match="batch_size must be a whole number"):
        scenario.loads(json.dumps(doc))


def test_every_accepted_split_setting_trains(blob_data):
    """Fuzz: whatever RunConfig accepts, a Trainer on enough images constructs and steps."""
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @example(train_size=1, val=0.9, batch=100, eval_n=None, eval_every=None, epochs=None)
    @example(train_size=2, val=0.75, batch=1, eval_n=1, eval_every=1, epochs=1e-9)
    @given(train_size=st.one_of(st.none(), st.integers(1, 12), st.integers(1, 1200)), val=st.floats(0.0, 0.9),
           batch=st.integers(1, 2000), eval_n=st.one_of(st.none(), st.integers(1, 2000)),
           eval_every=st.one_of(st.none(), st.integers(1, 3)), epochs=st.one_of(st.none(), st.floats(1e-9, 0.01)))
    def check(train_size, val, batch, eval_n, eval_every, epochs):
        try:
            config = small(train_size=train_size, val_fraction=val, batch_size=batch, eval_train_size=eval_n,
                           eval_interval=eval_every, iterations=2, epochs=epochs)
        except ValueError as exc:
            assert "\n" not in str(exc)
            return
        trainer = Trainer(config, blob_data)
        assert trainer.n_train >= 1 and trainer.total_iterations >= 1
        trainer.step()

    check()



@pytest.mark.parametrize("eval_train_size", [500.0, None])
def test_the_settings_dock_shows_and_keeps_the_whole_numbers_given(qtbot, eval_train_size):
    pytest.importorskip("PySide6")
    from optilab.ui.training_lab.settings_dock import SettingsDock

    dock = SettingsDock()
    qtbot.addWidget(dock)
    given = RunConfig(batch_size=64.0, eval_train_size=eval_train_size, seed=5.0, iterations=300.0)
    dock.set_config(given)
    back = dock.config()
    assert (back.batch_size, back.eval_train_size, back.seed, back.iterations) == (64, eval_train_size, 5, 300)
