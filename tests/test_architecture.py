"""The core/UI boundary at run time: the core packages import and work with Qt blocked.

The static side of the rule (no core module imports PySide6, pyqtgraph, OpenGL or
optilab.ui, and the core's layers) is the import-linter contract ``qt-free-core`` in
pyproject.toml, checked by tests/guards/test_static_checks.py.  This test catches
what a static graph cannot: an import made at run time (``importlib``, a plugin).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CORE = ["optilab.messages", "optilab.rules", "optilab.fileio", "optilab.paths", "optilab.threads",
        "optilab.optim", "optilab.surfaces", "optilab.nn", "optilab.data", "optilab.trajectory",
        "optilab.training", "optilab.lessons", "optilab.scenario", "optilab.exporters", "optilab.lab",
        "optilab.desktop", "optilab.cli"]


def test_core_imports_with_qt_blocked():
    code = textwrap.dedent(f"""
        import importlib, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                qt = ('PySide6', 'pyqtgraph', 'OpenGL', 'shiboken6')
                if name.split('.')[0] in qt or name.startswith('optilab.ui'):
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
