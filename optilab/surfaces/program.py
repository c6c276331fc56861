"""Compiled straight-line programs of expression DAGs (`optilab.surfaces.expr`): f, ∇f, ∇²f of a formula."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .expr import _ARRAY_OPS, _SCALAR_OPS, VARIABLES, Node


# --- compiled straight-line programs ----------------------------------------------------
class _Program:
    """Evaluate one or more output nodes of a DAG; callable as ``program(x, y)``.

    Each node is computed once, in creation order (children before parents).
    Python float inputs run through ``math``; if that raises (log of a negative
    number, overflow, ...) or the inputs are arrays, numpy runs instead, with
    floating-point warnings silenced, so the result is inf/nan like numpy's.
    """

    __slots__ = ("_acode", "_init", "_outputs", "_scode", "_single")

    def __init__(self, outputs: Sequence[Node], x: Node, y: Node) -> None:
        seen = {x.index: x, y.index: y}
        stack = list(outputs)
        while stack:
            node = stack.pop()
            if node.index not in seen:
                seen[node.index] = node
                stack.extend(node.args)
        order = sorted(seen.values(), key=lambda n: n.index)  # x, y first (indices 0, 1)
        slot = {n.index: i for i, n in enumerate(order)}
        self._init = [n.value if n.op == "const" else None for n in order]
        self._scode = []
        self._acode = []
        for n in order:
            if n.op == "const" or n.op in VARIABLES:
                continue
            out = slot[n.index]
            a = slot[n.args[0].index]
            b = slot[n.args[1].index] if len(n.args) == 2 else -1
            self._scode.append((out, _SCALAR_OPS[n.op], a, b))
            self._acode.append((out, _ARRAY_OPS[n.op], a, b))
        self._outputs = tuple(slot[n.index] for n in outputs)
        self._single = len(outputs) == 1

    def _run(self, code, x, y):
        r = self._init[:]
        r[0] = x
        r[1] = y
        for out, fn, a, b in code:
            r[out] = fn(r[a]) if b < 0 else fn(r[a], r[b])
        return [r[o] for o in self._outputs]

    def __call__(self, x, y):
        if isinstance(x, (float, int)) and isinstance(y, (float, int)):
            x, y = float(x), float(y)
            try:
                values = self._run(self._scode, x, y)
            except (ArithmeticError, ValueError):
                with np.errstate(all="ignore"):
                    values = self._run(self._acode, np.float64(x), np.float64(y))
                values = [float(v) for v in values]
        else:
            with np.errstate(all="ignore"):
                x = np.asarray(x, dtype=float)
                y = np.asarray(y, dtype=float)
                shape = np.broadcast_shapes(x.shape, y.shape)
                values = [
                    np.broadcast_to(v, shape).astype(float)  # constants → full arrays
                    for v in self._run(self._acode, x, y)
                ]
                if shape == ():
                    values = [v[()] for v in values]
        return values[0] if self._single else tuple(values)
