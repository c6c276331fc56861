"""Guard rails declared in pyproject.toml, run by the test command (issue #13 item 10).

- ruff: ``[tool.ruff]``, the lint rules;
- import-linter: ``[tool.importlinter]``, the Qt-free core, the two independent labs and
  the core's layers (docs/architecture.md#layers);
- mypy: ``[tool.mypy]``, types on the core packages as strict as each stays clean.

Each fails with one line saying what is wrong and what to run, then the tool's report.
A tool that is not installed is a skip with the reason shown in the summary (``-ra``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# While the redesign of issue #13 is under way, other files are being edited: these
# guards are expected to fail until then.  strict: once a guard passes, pytest reports
# XPASS(strict) as a failure, the reminder to delete this mark.


def _tool(name: str) -> str:
    """The tool beside this interpreter (the venv's), else on PATH; skip, saying how to install it."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _check(cmd: list[str], problem: str, timeout: float = 300) -> None:
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        report = (r.stdout + r.stderr).strip()
        lines = report.splitlines()
        if len(lines) > 60:
            report = "\n".join([*lines[:50], f"… {len(lines) - 50} more lines", *lines[-5:]])
        pytest.fail(f"{problem} (run `{' '.join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))}`)"
                    f"\n{report}", pytrace=False)


def test_ruff_finds_nothing() -> None:
    _check([_tool("ruff"), "check", "--no-cache", "--output-format", "concise"],   # the project, as configured
           "ruff: lint problems; `ruff check --fix` repairs the marked [*] ones, fix the rest by hand")


def test_ruff_config_is_valid() -> None:
    """The configuration itself parses (a typo in [tool.ruff] would otherwise hide behind lint failures)."""
    _check([_tool("ruff"), "check", "--no-cache", "--show-settings", "optilab/__init__.py"],
           "ruff: [tool.ruff] in pyproject.toml is not a valid configuration")


def _contract(contract: str) -> None:
    _check([_tool("lint-imports"), "--no-cache", "--contract", contract],
           f"import-linter: an import breaks the contract {contract!r} of [tool.importlinter] "
           "(docs/architecture.md#layers); move the code, not the contract")


def test_the_core_imports_no_qt_and_not_the_ui() -> None:
    _contract("qt-free-core")


def test_the_core_layers_import_only_downwards() -> None:
    _contract("layers")


def test_the_two_labs_ui_packages_are_independent() -> None:
    _contract("labs-independent")


def test_mypy_finds_nothing_in_the_core() -> None:
    _check([_tool("mypy"), "--no-incremental", "--cache-dir", "/dev/null"] if sys.platform != "win32"
           else [_tool("mypy"), "--no-incremental"],
           "mypy: type errors in the core packages ([tool.mypy] lists them and how strict each is)")
