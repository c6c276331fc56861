"""The core/UI boundary: core packages import without Qt or pyqtgraph."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CORE = ["optilab.optim", "optilab.surfaces", "optilab.trajectory", "optilab.nn", "optilab.data",
        "optilab.training", "optilab.lessons", "optilab.cli"]


def test_core_imports_with_qt_blocked():
    code = textwrap.dedent(f"""
        import importlib, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'OpenGL', 'shiboken6') or name.startswith('optilab.ui'):
                    raise ImportError('blocked: ' + name)
        sys.meta_path.insert(0, Block())
        for mod in {CORE!r}:
            importlib.import_module(mod)
        from optilab.cli import build_parser
        build_parser()
        bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'OpenGL')]
        assert not bad, bad
        print('ok')
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


def test_ui_is_not_imported_by_core_sources():
    from pathlib import Path

    import optilab

    root = Path(optilab.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] == "ui":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("import PySide6", "from PySide6", "import pyqtgraph", "from pyqtgraph", "from optilab.ui",
                       "import optilab.ui"):
            if needle in text:
                offenders.append(f"{rel}: {needle}")
    # the CLI opens the GUI lazily inside a function: allowed, and only there
    offenders = [o for o in offenders if not o.startswith("cli/__init__.py: from optilab.ui")]
    assert not offenders, offenders
