"""Data-file, scenario, training-setting and schedule errors reach a Korean user in Korean.

Every message is the real one: the core is called on small synthetic files
(written under ``tmp_path``) or with bad values, and ``messages.of(exc)`` goes
through `i18n.tr_message` as the UI does (translated by its code, not its English).  No network: downloads use a fake
``urllib.request.urlopen``.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import importlib
import json
import os
import tempfile
import urllib.error
import urllib.request

import numpy as np
import pytest

from optilab import messages, optim, scenario
from optilab.data import files as data_files
from optilab.data import idx, sources
from optilab.data.errors import DataError, DownloadCancelled
from optilab.scenario import ScenarioError
from optilab.training.config import RunConfig
from optilab.ui import i18n

#: the module (``optilab.data.download`` is also the name of its function)
dl = importlib.import_module("optilab.data.download")


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def message(exc_type, fn, *args, **kwargs) -> messages.Message:
    with pytest.raises(exc_type) as info:
        fn(*args, **kwargs)
    return messages.of(info.value)


# ------------------------------------------------------------------ synthetic IDX files

def idx_bytes(array: np.ndarray) -> bytes:
    magic = {1: 0x00000801, 3: 0x00000803}[array.ndim]
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write(path, data: bytes, gz: bool = False):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def images(n: int, side: int = 28) -> np.ndarray:
    return np.random.default_rng(n).integers(0, 256, size=(n, side, side), dtype=np.uint8)


def labels(n: int, top: int = 9) -> np.ndarray:
    return (np.arange(n) % (top + 1)).astype(np.uint8)


def mnist_folder(folder, n_train: int = 12, n_test: int = 10):
    """The four standard files, tiny and not the official MNIST."""
    for kind, n in (("train", n_train), ("t10k", n_test)):
        write(folder / f"{kind}-images-idx3-ubyte.gz", idx_bytes(images(n)), gz=True)
        write(folder / f"{kind}-labels-idx1-ubyte.gz", idx_bytes(labels(n)), gz=True)
    return folder


def read_raw(tmp_path, data: bytes, name: str = "f-idx1-ubyte") -> str:
    return message(DataError, idx.read_idx, write(tmp_path / name, data))


def pair(tmp_path, image_array, label_array) -> str:
    im = write(tmp_path / "im-idx3-ubyte", idx_bytes(image_array))
    lb = write(tmp_path / "lb-idx1-ubyte", idx_bytes(label_array))
    return message(DataError, idx.load_mnist, im, lb)


def _corrupt_gzip(tmp_path):
    return read_raw(tmp_path, gzip.compress(idx_bytes(labels(50)))[:-12], "f-idx1-ubyte.gz")


def _cannot_read(tmp_path):
    write(tmp_path / "plain", b"x")
    return message(DataError, idx.read_idx, tmp_path / "plain" / "f-idx1-ubyte")


def _labels_as_images(tmp_path):
    lb = write(tmp_path / "lb-idx1-ubyte", idx_bytes(labels(5)))
    return message(DataError, idx.load_mnist, lb, lb)


def _images_as_labels(tmp_path):
    im = write(tmp_path / "im-idx3-ubyte", idx_bytes(images(5)))
    return message(DataError, idx.load_mnist, im, im)


def _sha256_mismatch(tmp_path, monkeypatch):
    monkeypatch.delenv(sources.ENV_VAR, raising=False)
    mnist_folder(sources.cache_dir())  # complete but not official: the cache must refuse it
    return message(DataError, sources.load)


DATA_CASES = {
    "file not found": lambda tmp, mp: message(DataError, idx.read_idx, tmp / "none-idx1-ubyte.gz"),
    "is a folder": lambda tmp, mp: message(DataError, idx.read_idx, tmp),
    "cannot read": lambda tmp, mp: _cannot_read(tmp),
    "corrupt gzip (bad data)": lambda tmp, mp: read_raw(tmp, b"\x1f\x8b" + b"\x00" * 30, "f-idx1-ubyte.gz"),
    "corrupt gzip (cut short)": lambda tmp, mp: _corrupt_gzip(tmp),
    "not gzip": lambda tmp, mp: read_raw(tmp, idx_bytes(labels(3)), "f-idx1-ubyte.gz"),
    "too short": lambda tmp, mp: read_raw(tmp, b"\x00\x00"),
    "wrong magic": lambda tmp, mp: read_raw(tmp, b"\x00\x00\x08\x02" + b"\x00" * 8),
    "header truncated": lambda tmp, mp: read_raw(tmp, (0x803).to_bytes(4, "big") + b"\x00\x00\x00\x01"),
    "empty array": lambda tmp, mp: read_raw(tmp, (0x801).to_bytes(4, "big") + b"\x00" * 4),
    "data truncated": lambda tmp, mp: read_raw(tmp, idx_bytes(labels(10))[:-3]),
    "trailing bytes": lambda tmp, mp: read_raw(tmp, idx_bytes(labels(10)) + b"\x00\x00"),
    "labels given as images": lambda tmp, mp: _labels_as_images(tmp),
    "images given as labels": lambda tmp, mp: _images_as_labels(tmp),
    "images not 28x28": lambda tmp, mp: pair(tmp, images(4, side=5), labels(4)),
    "count mismatch": lambda tmp, mp: pair(tmp, images(4), labels(3)),
    "label above 9": lambda tmp, mp: pair(tmp, images(12), labels(12, top=11)),
    "no such folder": lambda tmp, mp: message(DataError, sources.load_folder, tmp / "nowhere"),
    "file missing from folder": lambda tmp, mp: message(DataError, sources.load_folder, tmp),
    "sha256 mismatch": _sha256_mismatch,
    "sample split": lambda tmp, mp: message(ValueError, sources.sample_split, labels(5), 10),
}


# ------------------------------------------------------------------ downloads (fake urlopen)

GOOD = idx_bytes(labels(20))


class FakeResponse:
    def __init__(self, body: bytes = b"", length: int | None = None, error: BaseException | None = None):
        self.body, self.error = body, error
        self.headers = {} if length is None else {"Content-Length": str(length)}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, n: int = -1) -> bytes:
        if self.error is not None:
            raise self.error
        chunk, self.body = self.body, b""
        return chunk


def answer(kind: str, url: str):
    """What the fake server at ``url`` does for the failure ``kind``."""
    if kind == "http 404":
        raise urllib.error.HTTPError(url, 404, "Not Found", None, None)
    if kind == "no answer":
        raise urllib.error.URLError(TimeoutError("timed out"))
    if kind == "cannot connect":
        raise urllib.error.URLError("Connection refused")
    if kind == "stalled":
        return FakeResponse(error=TimeoutError("timed out"))
    if kind == "incomplete read":
        return FakeResponse(error=http.client.IncompleteRead(b"abc"))
    if kind == "connection failed":
        return FakeResponse(error=ConnectionResetError("connection reset by peer"))
    if kind == "short body":
        return FakeResponse(b"abc", length=100)
    if kind == "not gzip":
        return FakeResponse(b"plain bytes")
    if kind == "corrupt gzip":
        return FakeResponse(gzip.compress(GOOD)[:-12])
    if kind == "sha256 mismatch":
        return FakeResponse(gzip.compress(GOOD))
    raise AssertionError(kind)


def fake_server(monkeypatch, kinds_by_host: dict[str, str]):
    def urlopen(request, timeout=None):
        url = request.full_url
        host = url.split("/")[2]
        return answer(kinds_by_host[host], url)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)


FETCH_FAILURES = ["http 404", "no answer", "cannot connect", "stalled", "incomplete read", "connection failed",
                  "short body", "not gzip", "corrupt gzip", "sha256 mismatch"]


def _fetch_failure(tmp_path, monkeypatch, kind):
    fake_server(monkeypatch, {"mirror.invalid": kind})
    return message(DataError, dl.download, tmp_path / "dest", "https://mirror.invalid/mnist", timeout=0.5)


def _three_mirrors(tmp_path, monkeypatch):
    fake_server(monkeypatch, {"a.invalid": "http 404", "b.invalid": "sha256 mismatch", "c.invalid": "no answer"})
    return message(DataError, dl.download, tmp_path / "dest",
                   ["https://a.invalid/", "http://b.invalid/x", "https://c.invalid/"], timeout=2)


def _cancelled_while_fetching(tmp_path, monkeypatch):
    fake_server(monkeypatch, {"mirror.invalid": "sha256 mismatch"})
    polls = iter([False])
    return message(DownloadCancelled, dl.download, tmp_path / "dest", "https://mirror.invalid/",
                   cancel=lambda: next(polls, True))


def _disk_write_fails(tmp_path, monkeypatch):
    real_mkstemp = tempfile.mkstemp

    def read_only_mkstemp(*args, **kwargs):  # writing to it fails like a full disk would
        fd, name = real_mkstemp(*args, **kwargs)
        os.close(fd)
        return os.open(name, os.O_RDONLY), name

    monkeypatch.setattr(dl.tempfile, "mkstemp", read_only_mkstemp)
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout=None: FakeResponse(b"x" * 100_000))
    return message(DataError, dl.download, tmp_path / "dest", "https://mirror.invalid/")


def _rename_fails(tmp_path, monkeypatch):
    body = gzip.compress(GOOD)
    monkeypatch.setitem(data_files.SHA256, "train-images-idx3-ubyte", hashlib.sha256(GOOD).hexdigest())
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout=None: FakeResponse(body))
    (tmp_path / "dest" / "train-images-idx3-ubyte.gz").mkdir(parents=True)  # the final name is taken by a folder
    return message(DataError, dl.download, tmp_path / "dest", "https://mirror.invalid/")


def _cannot_create_folder(tmp_path, monkeypatch):
    write(tmp_path / "a-file", b"x")
    return message(DataError, dl.download, tmp_path / "a-file", "https://mirror.invalid/")


DOWNLOAD_CASES = {
    **{f"mirror: {kind}": (lambda tmp, mp, kind=kind: _fetch_failure(tmp, mp, kind)) for kind in FETCH_FAILURES},
    "three mirrors": _three_mirrors,
    "no mirror": lambda tmp, mp: message(DataError, dl.download, tmp, []),
    "cancelled before": lambda tmp, mp: message(DownloadCancelled, dl.download, tmp, "https://m.invalid/",
                                                cancel=lambda: True),
    "cancelled while fetching": _cancelled_while_fetching,
    "cannot create folder": _cannot_create_folder,
    "write fails": _disk_write_fails,
    "rename fails": _rename_fails,
}


# ------------------------------------------------------------------ scenario files

BASE = {"format": "optilab-scenario", "version": 1}


def scenario_error(tmp_path, doc=None, *, text: str | None = None, raw: bytes | None = None) -> str:
    path = tmp_path / "bad.json"
    if raw is None:
        raw = (text if text is not None else json.dumps({**BASE, **doc})).encode("utf-8")
    path.write_bytes(raw)
    return message(ScenarioError, scenario.load, path)


def _scenario_cannot_read(tmp_path):
    write(tmp_path / "plain", b"x")
    return message(ScenarioError, scenario.load, tmp_path / "plain" / "s.json")


def opt(**entry):
    return {"optimizers": [{"name": "sgd", **entry}]}


SCENARIO_DOCS = {
    # whole-file problems
    "not an optilab scenario": dict(text='{"format": "something else"}'),
    "newer version": dict(text='{"format": "optilab-scenario", "version": 99}'),
    "bad version": dict(text='{"format": "optilab-scenario", "version": "1"}'),
    "not UTF-8": dict(raw=b"\xff\xfe{}"),
    "nested too deeply": dict(text="[" * 100_000),
    "too large": dict(raw=b" " * 1_000_001),
    "JSON: expecting value": dict(text=""),
    "JSON: comma": dict(text="[1 2]"),
    "JSON: colon": dict(text='{"a" 1}'),
    "JSON: property name": dict(text="{1: 2}"),
    "JSON: unterminated": dict(text='{"format": "optil'),
    "JSON: control character": dict(text='"a\x01"'),
    "JSON: escape": dict(text='"\\q"'),
    "JSON: uXXXX escape": dict(text='"\\u12"'),
    "JSON: extra data": dict(text="{} {}"),
    "JSON: NaN": dict(text='{"steps": NaN}'),
    "JSON: Infinity": dict(text='{"steps": Infinity}'),
    "JSON: -Infinity": dict(text='{"steps": -Infinity}'),
    # fields
    "top level not an object": dict(text="[1, 2]"),
    "unknown field": dict(doc={"colour": "red"}),
    "surface not an object": dict(doc={"surface": 3}),
    "surface unknown field": dict(doc={"surface": {"name": "bowl", "size": 3}}),
    "surface name and formula": dict(doc={"surface": {"name": "bowl", "formula": "x"}}),
    "surface name unknown": dict(doc={"surface": {"name": "volcano"}}),
    "surface name not text": dict(doc={"surface": {"name": 5}}),
    "surface domain shape": dict(doc={"surface": {"formula": "x", "domain": [0, 1]}}),
    "surface domain number": dict(doc={"surface": {"formula": "x", "domain": [0, 1, "a", 2]}}),
    "surface domain order": dict(doc={"surface": {"formula": "x", "domain": [1, 0, 0, 1]}}),
    "formula error with column": dict(doc={"surface": {"formula": "x ^ 2"}}),
    "formula empty": dict(doc={"surface": {"formula": ""}}),
    "formula not real": dict(doc={"surface": {"formula": "sqrt(-1)"}}),
    "formula nested too deeply": dict(doc={"surface": {"formula": "-" * 300 + "x"}}),
    "formula unknown function": dict(doc={"surface": {"formula": "foo(x)"}}),
    "formula too many arguments": dict(doc={"surface": {"formula": "sin(x, y)"}}),
    "lesson unknown": dict(doc={"lesson": "no-such-lesson"}),
    "start not a pair": dict(doc={"start": [1]}),
    "start not finite": dict(doc={"start": [1, "a"]}),
    "steps out of range": dict(doc={"steps": 0}),
    "current step too large": dict(doc={"steps": 10, "current_step": 11}),
    "optimizers not a list": dict(doc={"optimizers": {"name": "sgd"}}),
    "optimizer not an object": dict(doc={"optimizers": [3]}),
    "optimizer unknown field": dict(doc=opt(colour="red")),
    "optimizer name unknown": dict(doc={"optimizers": [{"name": "no-such-optimizer"}]}),
    "optimizer name missing": dict(doc={"optimizers": [{}]}),
    "hparams not an object": dict(doc=opt(hparams=[1])),
    "hparam unknown": dict(doc=opt(hparams={"beta1": 0.9})),
    "hparam not a number": dict(doc=opt(hparams={"lr": "fast"})),
    "hparam out of range": dict(doc=opt(hparams={"lr": -1})),
    "bias_correction not bool": dict(doc={"optimizers": [{"name": "adam", "hparams": {"bias_correction": 1}}]}),
    "enabled not bool": dict(doc=opt(enabled="yes")),
    "label too long": dict(doc=opt(label="x" * 81)),
    "training not an object": dict(doc={"training": [1]}),
    "training unknown setting": dict(doc={"training": {"colour": "red"}}),
    "training dropout": dict(doc={"training": {"dropout": 2}}),
    "training iterations": dict(doc={"training": {"iterations": 0}}),
    "training init": dict(doc={"training": {"init": "random"}}),
    "training activation": dict(doc={"training": {"activation": "gelu"}}),
    "training optimizer": dict(doc={"training": {"optimizer": "no-such-optimizer"}}),
    "training hparam": dict(doc={"training": {"hparams": {"momentum": 2}}}),
    "training schedule": dict(doc={"training": {"schedule": "cyclic"}}),
    "training schedule setting": dict(doc={"training": {"schedule": "step", "schedule_args": {"gamma": 3}}}),
    "training hidden": dict(doc={"training": {"hidden": 100}}),
    "training dtype": dict(doc={"training": {"dtype": "float16"}}),
    "training neither length": dict(doc={"training": {"iterations": None, "epochs": None}}),
    "data_dir not text": dict(doc={"data_dir": 5}),
}

SCENARIO_CASES = {
    **{name: (lambda tmp, mp, kw=kw: scenario_error(tmp, **kw)) for name, kw in SCENARIO_DOCS.items()},
    "no such file": lambda tmp, mp: message(ScenarioError, scenario.load, tmp / "none.json"),
    "is a folder": lambda tmp, mp: message(ScenarioError, scenario.load, tmp),
    "cannot read": lambda tmp, mp: _scenario_cannot_read(tmp),
}


# ------------------------------------------------------------------ training settings and schedules

CONFIG_BAD = {
    "label": dict(label=5),
    "hparams mapping": dict(hparams=[1]),
    "schedule_args mapping": dict(schedule_args=3),
    "batchnorm": dict(batchnorm="maybe"),
    "optimizer": dict(optimizer="no-such-optimizer"),
    "hyperparameter name": dict(hparams={"beta1": 0.9}),
    "hyperparameter value": dict(hparams={"lr": 0.0}),
    "bias_correction": dict(optimizer="adam", hparams={"bias_correction": "maybe"}),
    "schedule": dict(schedule="cyclic"),
    "schedule setting": dict(schedule="cosine", schedule_args={"gamma": 0.5}),
    "hidden sizes": dict(hidden=(0,)),
    "activation": dict(activation="gelu"),
    "init": dict(init="random"),
    "dropout": dict(dropout=0.99),
    "weight_decay": dict(weight_decay=-1),
    "batch_size": dict(batch_size=0),
    "no length": dict(iterations=None, epochs=None),
    "epochs": dict(epochs=0),
    "iterations": dict(iterations=2.5),
    "train_size": dict(train_size=0),
    "val_fraction": dict(val_fraction=1),
    "eval_interval": dict(eval_interval=0),
    "eval_train_size": dict(eval_train_size=-5),
    "seed": dict(seed=-1),
    "dtype": dict(dtype="float16"),
}

CONFIG_CASES = {
    **{f"RunConfig {name}": (lambda tmp, mp, kw=kw: message(ValueError, RunConfig, **kw))
       for name, kw in CONFIG_BAD.items()},
    "from_dict unknown setting": lambda tmp, mp: message(ValueError, RunConfig.from_dict, {"colour": "red"}),
    "from_dict hidden not a list": lambda tmp, mp: message(ValueError, RunConfig.from_dict, {"hidden": 100}),
}


def make_schedule(name, **kwargs):
    return optim.create_schedule(name, optim.create("sgd", lr=0.1), **kwargs)


def _plateau_without_loss():
    schedule = make_schedule("plateau")
    return message(ValueError, schedule.step)


SCHEDULE_BAD = {
    "unknown schedule": ("cyclic", {}),
    "unknown setting": ("step", {"t_max": 3}),
    "constant takes no setting": ("constant", {"gamma": 0.5}),
    "not a number": ("exponential", {"gamma": "slow"}),
    "not finite": ("exponential", {"gamma": float("nan")}),
    "closed interval": ("step", {"gamma": 2}),
    "half-open interval": ("plateau", {"factor": 1.0}),
    "infinite interval": ("inverse-time", {"k": -1}),
    "min_lr": ("cosine", {"min_lr": -0.1}),
    "positive whole number": ("step", {"step_size": 0}),
    "whole number": ("warmup", {"warmup_steps": 2.5}),
    "t_max": ("cosine", {"t_max": 0}),
    "non-negative whole number": ("plateau", {"patience": -1}),
    "cooldown": ("plateau", {"cooldown": 0.5}),
    "threshold": ("plateau", {"threshold": 1.5}),
}

SCHEDULE_CASES = {
    **{name: (lambda tmp, mp, a=a: message(ValueError, make_schedule, a[0], **a[1]))
       for name, a in SCHEDULE_BAD.items()},
    "plateau step without loss": lambda tmp, mp: _plateau_without_loss(),
}

ALL_CASES = {
    f"{group}: {name}": case
    for group, cases in (("data", DATA_CASES), ("download", DOWNLOAD_CASES), ("scenario", SCENARIO_CASES),
                         ("settings", CONFIG_CASES), ("schedule", SCHEDULE_CASES))
    for name, case in cases.items()
}


@pytest.mark.parametrize("case", list(ALL_CASES))
def test_every_core_message_has_a_korean_translation(korean, tmp_path, monkeypatch, case):
    english = ALL_CASES[case](tmp_path, monkeypatch)
    translated = i18n.tr_message(english)
    assert translated != str(english), f"no Korean for {english!r}"
    assert has_hangul(translated), translated


@pytest.mark.parametrize("case", list(SCENARIO_CASES))
def test_scenario_messages_translate_the_field_part_too(korean, tmp_path, monkeypatch, case):
    translated = i18n.tr_message(SCENARIO_CASES[case](tmp_path, monkeypatch))
    assert "field '" not in translated and " must be " not in translated, translated


@pytest.mark.parametrize("case", list(ALL_CASES))
def test_english_stays_english(tmp_path, monkeypatch, case):
    english = ALL_CASES[case](tmp_path, monkeypatch)
    assert i18n.tr_message(english) == str(english)


# ------------------------------------------------------------------ whole sentences, fields carried over

def test_a_short_idx_file(korean, tmp_path):
    path = write(tmp_path / "t10k-labels-idx1-ubyte", b"\x00\x08")
    english = message(DataError, idx.read_idx, path)
    assert str(english) == (
        f"{path}: too short to be an IDX file (2 bytes); run 'optilab mnist download' to fetch a fresh copy")
    assert i18n.tr_message(english) == (
        f"{path}: IDX 파일이라기에는 너무 짧습니다 (2바이트). 'optilab mnist download'를 실행해 새로 받으세요")


def test_a_truncated_idx_file_keeps_its_numbers(korean, tmp_path):
    path = write(tmp_path / "train-labels-idx1-ubyte.gz", idx_bytes(labels(10))[:-3], gz=True)
    assert i18n.tr_message(message(DataError, idx.read_idx, path)) == (
        f"{path}: 파일이 잘렸습니다. 헤더에 따르면 데이터가 10바이트인데 파일에는 7바이트만 있습니다. "
        "파일이 손상되었습니다. 'optilab mnist download'를 실행해 새로 받으세요")


def test_a_missing_file_names_the_set(korean, tmp_path):
    mnist_folder(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    text = i18n.tr_message(message(DataError, sources.load_folder, tmp_path))
    assert text == (
        f"{tmp_path / 't10k-labels-idx1-ubyte.gz'}: 파일이 없습니다. 폴더에 train-images-idx3-ubyte[.gz], "
        "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]이(가) 있어야 합니다. "
        "파일을 그곳에 복사하거나 'optilab mnist download'를 실행하세요")


def test_every_mirror_failure_is_listed(korean, tmp_path, monkeypatch):
    text = i18n.tr_message(_three_mirrors(tmp_path, monkeypatch))
    assert text == (
        "train-images-idx3-ubyte.gz을(를) 내려받지 못했습니다: "
        "https://a.invalid/train-images-idx3-ubyte.gz: HTTP 오류 404 (Not Found); "
        "http://b.invalid/x/train-images-idx3-ubyte.gz: sha256이 맞지 않습니다; "
        "https://c.invalid/train-images-idx3-ubyte.gz: 2초 안에 응답이 없습니다. 다른 --mirror를 써 보세요")


def test_scenario_field_messages(korean, tmp_path):
    assert i18n.tr_message(scenario_error(tmp_path, {"steps": 0})) == (
        "bad.json: 'steps' 항목: 1부터 100,000까지의 정수여야 합니다. 입력: 0")
    assert i18n.tr_message(scenario_error(tmp_path, opt(hparams={"lr": -1}))) == (
        "bad.json: 'optimizers[0].hparams.lr' 항목: lr 값은 0보다 크고 1e6 이하인 수여야 합니다. 입력: -1")
    assert i18n.tr_message(scenario_error(tmp_path, {"training": {"init": "random"}})) == (
        "bad.json: 'training' 항목: init 값은 'zeros', 'xavier', 'he' 중 하나이거나 "
        "0 이상의 표준편차(실수)여야 합니다. 입력: 'random'")
    assert i18n.tr_message(scenario_error(tmp_path, text="[1 2]")) == (
        "bad.json: 올바른 JSON이 아닙니다 (1번째 줄, 4번째 칸): 쉼표(,)가 있어야 합니다. "
        "파일이 중간에 잘리지 않았는지 확인하세요")
    assert i18n.tr_message(scenario_error(tmp_path, text="[1]")) == (
        "bad.json: '(최상위)' 항목: 객체여야 합니다. 입력: 리스트")


def test_training_settings_and_schedules(korean):
    assert i18n.tr_message(message(ValueError, make_schedule, "step", gamma=2)) == (
        "gamma 값은 [0, 1] 범위의 수여야 합니다. 입력: 2")
    assert i18n.tr_message(message(ValueError, make_schedule, "constant", gamma=0.5)) == (
        "스케줄 'constant'에는 설정 'gamma'이(가) 없습니다. 쓸 수 있는 설정: 없음")
    assert i18n.tr_message(message(ValueError, RunConfig, activation="gelu")) == (
        "activation 값은 'relu', 'sigmoid', 'tanh', 'leaky_relu' 중 하나여야 합니다. 입력: 'gelu'")
    assert i18n.tr_message(message(ValueError, RunConfig, label=5)) == "label 값은 텍스트여야 합니다. 입력: 5"


def test_where_the_data_came_from(korean, tmp_path, monkeypatch):
    folder = mnist_folder(tmp_path / "digits")
    monkeypatch.setenv(sources.ENV_VAR, str(folder))
    source = sources.load().source_message
    assert i18n.tr_message(source) == (
        f"{folder} (OPTILAB_MNIST_DIR에서 지정)의 MNIST 형식 파일 (공식 MNIST가 아님: sha256이 다릅니다)")
    monkeypatch.delenv(sources.ENV_VAR)
    cache = mnist_folder(sources.cache_dir())
    for name in data_files.FILES:
        raw = gzip.decompress((cache / f"{name}.gz").read_bytes())
        monkeypatch.setitem(data_files.SHA256, name, hashlib.sha256(raw).hexdigest())
    assert i18n.tr_message(sources.load().source_message) == f"내려받기 캐시 {cache}의 전체 MNIST"


def test_a_cache_that_cannot_be_written_warns_in_korean(korean, tmp_path, monkeypatch):
    write(tmp_path / "not-a-folder", b"x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    with pytest.warns(RuntimeWarning) as record:
        sources.load_folder(mnist_folder(tmp_path / "digits"))
    english = messages.of(record[0].message)
    translated = i18n.tr_message(english)
    assert translated.endswith("(폴더가 아닙니다). 읽기는 되지만 계속 느립니다"), translated
