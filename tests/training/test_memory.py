"""The memory estimate of a training run, checked against what the run really allocates."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pytest

from optilab.training import RunConfig, Trainer
from optilab.training.memory import InsufficientMemory, check_fits, estimate_bytes, format_bytes
from optilab.training.trainer import Split

N_TRAIN, N_TEST, D = 3000, 1000, 784


def split() -> Split:
    rng = np.random.default_rng(0)
    x, xt = rng.random((N_TRAIN, D), dtype=np.float32), rng.random((N_TEST, D), dtype=np.float32)
    t, tt = rng.integers(0, 10, N_TRAIN), rng.integers(0, 10, N_TEST)
    return Split(x, t, x[:0], t[:0], xt, tt)


@pytest.mark.parametrize("settings", [
    dict(hidden=(100, 100, 100, 100)),
    dict(hidden=(512, 512), batch_size=2000, optimizer="adam"),
    dict(hidden=(1024, 1024), batch_size=500, optimizer="adam", batchnorm=True),
    dict(hidden=(300, 300), batch_size=1000, dropout=0.5, activation="tanh", optimizer="momentum"),
    dict(hidden=(2048,), batch_size=3000, activation="sigmoid", eval_train_size=1500),
    dict(hidden=(64,), batch_size=10, dtype="float64", optimizer="rmsprop"),
])
def test_estimate_is_within_a_factor_of_two_of_the_measured_peak(settings):
    config = RunConfig(iterations=6, eval_interval=3, **settings)
    data = split()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        Trainer(config, data).run()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    estimate = estimate_bytes(config, N_TRAIN, D, 10, N_TEST, np.float32)
    assert 0.5 * peak <= estimate <= 2 * peak, (estimate, peak)


def test_optimizer_state_counts_once_per_copy_of_the_parameters():
    sizes = (784, 100, 10)
    params = sum(a * b + b for a, b in itertools.pairwise(sizes))
    size = {name: estimate_bytes(RunConfig(hidden=(100,), optimizer=name), N_TRAIN, D, 10) for name in
            ("sgd", "momentum", "adagrad", "adam")}
    assert size["momentum"] - size["sgd"] == params * 4 == size["adagrad"] - size["sgd"]
    assert size["adam"] - size["sgd"] == 4 * params * 4      # m, v, m̂, v̂


def test_the_issue_s_big_network_is_estimated_near_its_measured_8_6_gb():
    need = estimate_bytes(RunConfig(hidden=(4096,) * 20, optimizer="adam"), 60_000, D, 10, 10_000, np.float32)
    assert 8.6e9 / 2 <= need <= 8.6e9 * 2


def test_a_run_that_does_not_fit_is_refused_in_one_line():
    config = RunConfig(hidden=(4096,) * 4, optimizer="adam", batch_size=100_000)
    with pytest.raises(InsufficientMemory) as err:
        check_fits(config, N_TRAIN, D, 10, N_TEST, available=3_100_000_000)
    assert str(err.value) == ("this run needs about 34.8 GB of memory but only 3.1 GB is available; "
                              "use fewer/smaller hidden layers or a smaller batch")
    assert isinstance(err.value, ValueError)   # shown as the run's error by the app and the CLI
    # messages as data (issue #13 item 4): the code, the sizes, and the advice a message of its own
    assert err.value.code == "training.memory.too_much"
    assert err.value.params["need"] == "34.8 GB" and err.value.params["available"] == "3.1 GB"
    assert err.value.params["advice"].code == "training.memory.advice.smaller_network"


def test_parallel_runs_that_do_not_fit_are_one_message():
    config = RunConfig(hidden=(10,), iterations=10)
    need = check_fits(config, N_TRAIN, D, 10, N_TEST, available=None)
    with pytest.raises(InsufficientMemory) as err:
        check_fits(config, N_TRAIN, D, 10, N_TEST, available=need, runs=2)
    assert err.value.code == "training.memory.parallel" and err.value.params["runs"] == 2
    assert str(err.value).endswith("is available; use fewer parallel jobs")


@pytest.mark.parametrize("n, text", [
    (0, "0 B"), (812, "812 B"), (999, "999 B"), (1000, "1.0 kB"), (28_900, "28.9 kB"), (4_500, "4.5 kB"),
    (9_600_000, "9.6 MB"), (350_000_000, "350.0 MB"), (34_800_000_000, "34.8 GB"), (-5, "0 B"),
])
def test_the_one_byte_formatter(n, text):
    """Decimal units, one decimal above a kilobyte (the MNIST progress line's and the memory message's rule)."""
    assert format_bytes(n) == text


def test_a_history_too_long_for_memory_gets_its_own_advice():
    config = RunConfig(hidden=(10,), iterations=100_000_000)
    with pytest.raises(InsufficientMemory, match="fewer iterations"):
        check_fits(config, N_TRAIN, D, 10, N_TEST, available=1_000_000_000)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_available_memory_respects_rlimit_as_and_the_trainer_refuses_beyond_it():
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "import numpy as np\n"
        "from optilab.training import RunConfig, Trainer\n"
        "from optilab.training.memory import available_bytes\n"
        "from optilab.training.trainer import Split\n"
        "print(available_bytes())\n"
        "x = np.zeros((100, 784), np.float32); t = np.zeros(100, np.int64)\n"
        "try:\n"
        "    Trainer(RunConfig(hidden=(4096,) * 8, optimizer='adam'), Split(x, t, x[:0], t[:0], x, t))\n"
        "except ValueError as exc:\n"
        "    print(exc)\n"
    )
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    available, message = r.stdout.splitlines()
    assert 0 < int(available) < 2**30
    assert message.startswith("this run needs about 3.") and "of memory but only" in message



def test_the_app_s_training_process_reports_the_refusal_as_the_run_s_error(blob_data):
    from optilab.training.events import Failed, RunInfo
    from optilab.training.memory import available_bytes
    from optilab.training.remote import DataSpec, JobProcess

    config = RunConfig(hidden=(4096,) * 20, optimizer="adam", batch_size=100_000)
    available = available_bytes()
    if available is not None and estimate_bytes(config, 1000, 20, 3, 200) < available:
        pytest.skip("this machine could hold the run")
    proc = JobProcess([config], DataSpec("dataset", dataset=blob_data))
    proc.start()
    try:
        msgs, end = [], time.monotonic() + 60
        while not proc.done and time.monotonic() < end:
            msgs.extend(proc.messages(0.05))
    finally:
        proc.close()
    errors = [m.message for m in msgs if isinstance(m, Failed)]   # typed events (issue #13 item 5)
    assert len(errors) == 1 and errors[0].code == "training.memory.too_much"
    text = str(errors[0])
    assert text.startswith("this run needs about ") and "\n" not in text
    assert not any(isinstance(m, RunInfo) for m in msgs)
