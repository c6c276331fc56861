"""Expression DAGs of a formula f(x, y): nodes, simplification, symbolic derivatives, compiled programs.

`optilab.surfaces.formula` reads a user's text into these nodes with a
`_Builder`; `_Builder.diff` applies the sum, product, quotient, power and
chain rules (with the two conventions described in the formula module's
docstring) — to f for the gradient and to the gradient's own nodes for the
Hessian — and `optilab.surfaces.program._Program` runs the result as a
straight-line program on Python floats (``math``) or numpy arrays.  The rules: docs/equations.md#formula.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np

from optilab import messages

from .formula_error import FormulaError

#: Allowed function names → canonical name (aliases: atan, asin, acos, ln).
FUNCTIONS: dict[str, str] = {
    "sin": "sin", "cos": "cos", "tan": "tan", "exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt",
    "abs": "abs", "sign": "sign", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "arctan": "arctan",
    "atan": "arctan", "arcsin": "arcsin", "asin": "arcsin", "arccos": "arccos", "acos": "arccos",
}
#: Allowed constant names.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
#: The variables of f.
VARIABLES = ("x", "y")

# What a constant part of the formula cannot be (raised while folding it, with its column).
DIVISION_BY_ZERO = messages.declare("formula.division_by_zero", "division by zero")
ZERO_TO_NEGATIVE = messages.declare("formula.zero_to_negative", "division by zero (0 to a negative power)")
TOO_LARGE = messages.declare("formula.too_large", "number too large")
LOG_ZERO = messages.declare(
    "formula.log_zero", "log(0) is −∞, so f is not defined; keep the argument of log above 0")
NOT_REAL = messages.declare("formula.not_real", "{what} is not a real number")
THIS_PART = messages.declare("formula.this_part", "this part")


# --- expression nodes ----------------------------------------------------------------
class Node:
    """One node of an expression DAG: ``op`` is "const", "x", "y", a binary
    operator ("add", "sub", "mul", "div", "pow"), "neg" or a function name."""

    __slots__ = ("args", "index", "op", "value")

    def __init__(self, op: str, args: tuple[Node, ...], value: float | None, index: int):
        self.op = op
        self.args = args
        self.value = value
        self.index = index

    def is_const(self, v: float | None = None) -> bool:
        return self.op == "const" and (v is None or self.value == v)

    def __repr__(self) -> str:
        return f"Node({to_text(self)!r})"


_BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}
_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "dmul": 2, "xlog": 2, "div": 2, "neg": 3, "pow": 4}


def to_text(node: Node) -> str:
    """Render a node as formula text (parenthesised as needed); used for display."""
    op = node.op
    if op == "const":
        v = node.value
        return repr(v) if v >= 0 or math.isnan(v) else f"({v!r})"
    if op in VARIABLES:
        return op
    if op == "neg":
        inner = to_text(node.args[0])
        if _PRECEDENCE.get(node.args[0].op, 9) <= _PRECEDENCE["neg"]:
            inner = f"({inner})"
        return f"-{inner}"
    if op == "dmul":  # a·u′, 0 where u′ = 0: shown as the plain product
        op = "mul"
    if op in _BINARY:
        a, b = node.args
        p = _PRECEDENCE[op]
        left, right = to_text(a), to_text(b)
        pa, pb = _PRECEDENCE.get(a.op, 9), _PRECEDENCE.get(b.op, 9)
        if op == "pow":  # right-associative, binds tighter than unary minus on its left
            if pa <= p:
                left = f"({left})"
            if pb < p:
                right = f"({right})"
        else:
            if pa < p:
                left = f"({left})"
            if pb <= p:  # a - (b - c), and a*(b*c) keeps its rounding when read back
                right = f"({right})"
        return f"{left} {_BINARY[op]} {right}" if p == 1 else f"{left}{_BINARY[op]}{right}"
    if op == "xlog":  # p·ln(u), 0 where p = 0: shown as the plain product
        p, u = node.args
        left = to_text(p) if _PRECEDENCE.get(p.op, 9) >= 2 else f"({to_text(p)})"
        return f"{left}*log({to_text(u)})"
    return f"{op}({to_text(node.args[0])})"


# --- scalar and array implementations of each operation ---------------------------------
def _spow(a: float, b: float) -> float:
    r = a**b
    if r.__class__ is complex:  # negative base, fractional exponent: not real
        raise ValueError("complex power")
    return r


def _sxlog(p: float, u: float) -> float:
    return 0.0 if p == 0.0 else p * math.log(u)


def _axlog(p, u):
    """p·ln(u), and 0 where p = 0 (p = u^v v' in the derivative of u^v)."""
    return np.where(p == 0.0, 0.0, p * np.log(u))


def _sdmul(a: float, du: float) -> float:
    return 0.0 if du == 0.0 else a * du


def _admul(a, du):
    """a·du, and 0 where du = 0 (the chain-rule product of `_Builder.dmul`)."""
    return np.where(du == 0.0, 0.0, np.multiply(a, du))


def _ssign(a: float) -> float:
    return 1.0 if a > 0.0 else (-1.0 if a < 0.0 else a * 0.0)  # 0 → 0, nan → nan


# Python-float versions: exceptions (ValueError, ZeroDivisionError, OverflowError)
# send the evaluation to the numpy versions, which give inf/nan instead.
_SCALAR_OPS: dict[str, Callable] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": _spow,
    "xlog": _sxlog,
    "dmul": _sdmul,
    "neg": operator.neg,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "abs": abs,
    "sign": _ssign,
    "tanh": math.tanh,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "arctan": math.atan,
    "arcsin": math.asin,
    "arccos": math.acos,
}
_ARRAY_OPS: dict[str, Callable] = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.true_divide,
    "pow": np.power,
    "xlog": _axlog,
    "dmul": _admul,
    "neg": np.negative,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "sign": np.sign,
    "tanh": np.tanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "arctan": np.arctan,
    "arcsin": np.arcsin,
    "arccos": np.arccos,
}

# Largest finite power: |base|**exponent overflows when exponent·log10|base| > this.
_MAX_LOG10 = math.log10(np.finfo(float).max)


# --- building and differentiating ------------------------------------------------------
class _Builder:
    """Creates nodes with simplification, constant folding and sharing of equal sub-trees.

    In ``strict`` mode (while reading the user's text) a constant that folds to
    ±inf or nan is an error with a position; while differentiating, folding
    follows IEEE arithmetic silently.
    """

    def __init__(self) -> None:
        self._table: dict[tuple, Node] = {}
        self._count = 0
        self.strict = True
        self.x = self._make("x")
        self.y = self._make("y")
        self.zero = self.const(0.0)
        self.one = self.const(1.0)

    def _make(self, op: str, args: tuple[Node, ...] = (), value: float | None = None) -> Node:
        key = (op, None if value is None else value.hex(), tuple(a.index for a in args))
        node = self._table.get(key)
        if node is None:
            node = Node(op, args, value, self._count)
            self._count += 1
            self._table[key] = node
        return node

    def const(self, value: float) -> Node:
        return self._make("const", (), float(value))

    # -- constant folding --

    def _fold(self, op: str, args: tuple[Node, ...], pos: int | None) -> Node:
        values = [a.value for a in args]
        if self.strict:
            if op == "div" and values[1] == 0.0:
                raise FormulaError(DIVISION_BY_ZERO(), pos)
            if op == "pow":
                base, exponent = values
                if base == 0.0 and exponent < 0.0:
                    raise FormulaError(ZERO_TO_NEGATIVE(), pos)
                if base not in (0.0, 1.0, -1.0) and exponent * math.log10(abs(base)) > _MAX_LOG10:
                    raise FormulaError(TOO_LARGE(), pos)
        with np.errstate(all="ignore"):
            result = float(_ARRAY_OPS[op](*(np.float64(v) for v in values)))
        if self.strict and not math.isfinite(result):
            if op == "log" and values[0] == 0.0:
                raise FormulaError(LOG_ZERO(), pos)
            if math.isnan(result):
                what = f"{op}({values[0]:g})" if op in FUNCTIONS.values() else THIS_PART()
                raise FormulaError(NOT_REAL(what=what), pos)
            raise FormulaError(TOO_LARGE(), pos)
        return self.const(result)

    # -- operations with light simplification --

    def add(self, a: Node, b: Node, pos: int | None = None) -> Node:
        if a.is_const() and b.is_const():
            return self._fold("add", (a, b), pos)
        if a.is_const(0.0):
            return b
        if b.is_const(0.0):
            return a
        if b.op == "neg":
            return self._make("sub", (a, b.args[0]))
        return self._make("add", (a, b))

    def sub(self, a: Node, b: Node, pos: int | None = None) -> Node:
        if a.is_const() and b.is_const():
            return self._fold("sub", (a, b), pos)
        if b.is_const(0.0):
            return a
        if a.is_const(0.0):
            return self.neg(b)
        if b.op == "neg":
            return self.add(a, b.args[0])
        return self._make("sub", (a, b))

    def mul(self, a: Node, b: Node, pos: int | None = None) -> Node:
        if a.is_const() and b.is_const():
            return self._fold("mul", (a, b), pos)
        if a.is_const(0.0) or b.is_const(0.0):
            return self.zero
        if a.is_const(1.0):
            return b
        if b.is_const(1.0):
            return a
        if a.is_const(-1.0):
            return self.neg(b)
        if b.is_const(-1.0):
            return self.neg(a)
        if not self.strict:
            # Only in derivatives (the user's f keeps its own rounding):
            # constants first, and c₁·(c₂·u) → (c₁c₂)·u.
            if b.is_const():
                a, b = b, a
            if a.is_const() and b.op == "mul" and b.args[0].is_const():
                return self.mul(self.mul(a, b.args[0]), b.args[1])
        return self._make("mul", (a, b))

    def dmul(self, a: Node, du: Node) -> Node:
        """The chain-rule product a·u′, taken as 0 wherever u′ = 0 (even if a is ±∞ or nan).

        Where the inner derivative vanishes the term contributes nothing: e.g.
        ∇√(x² + y²) at the origin is (0, 0) rather than ∞·0 = nan, the same
        convention as the Ackley gradient.
        """
        if du.is_const():
            return self.zero if du.value == 0.0 else self.mul(a, du)
        if a.is_const(0.0):
            return self.zero
        if a.is_const(1.0):
            return du
        return self._make("dmul", (a, du))

    def xlog(self, p: Node, u: Node) -> Node:
        """p·ln(u), taken as 0 wherever p = 0 (see the power rule in `diff`)."""
        if p.is_const(0.0):
            return self.zero
        if u.is_const() and u.value > 0.0:  # an ordinary product with the number ln(u)
            return self.mul(p, self.const(math.log(u.value)))
        if p.is_const() and u.is_const():
            return self._fold("xlog", (p, u), None)
        return self._make("xlog", (p, u))

    def div(self, a: Node, b: Node, pos: int | None = None) -> Node:
        if a.is_const() and b.is_const():
            return self._fold("div", (a, b), pos)
        if b.is_const(0.0) and self.strict:
            raise FormulaError(DIVISION_BY_ZERO(), pos)
        if b.is_const(1.0):
            return a
        if a.is_const(0.0):
            return self.zero
        return self._make("div", (a, b))

    def pow(self, a: Node, b: Node, pos: int | None = None) -> Node:
        if a.is_const() and b.is_const():
            return self._fold("pow", (a, b), pos)
        if b.is_const(0.0) or a.is_const(1.0):
            return self.one
        if b.is_const(1.0):
            return a
        return self._make("pow", (a, b))

    def neg(self, a: Node, pos: int | None = None) -> Node:
        if a.is_const():
            return self._fold("neg", (a,), pos)
        if a.op == "neg":
            return a.args[0]
        return self._make("neg", (a,))

    def call(self, name: str, a: Node, pos: int | None = None) -> Node:
        if a.is_const():
            return self._fold(name, (a,), pos)
        return self._make(name, (a,))

    # -- symbolic differentiation --

    def diff(self, node: Node, var: Node, memo: dict[int, Node] | None = None) -> Node:
        """∂node/∂var by the sum, product, quotient, power and chain rules."""
        if memo is None:
            memo = {}
        done = memo.get(node.index)
        if done is not None:
            return done
        op, args = node.op, node.args
        if op == "const" or op in VARIABLES:
            d = self.one if node is var else self.zero
        elif op == "neg":
            d = self.neg(self.diff(args[0], var, memo))
        else:
            u = args[0]
            du = self.diff(u, var, memo)
            if op in ("add", "sub"):
                dv = self.diff(args[1], var, memo)
                d = self.add(du, dv) if op == "add" else self.sub(du, dv)
            elif op == "mul":  # (uv)' = u'v + uv'
                v = args[1]
                d = self.add(self.dmul(v, du), self.dmul(u, self.diff(v, var, memo)))
            elif op == "div":  # (u/v)' = u'/v − (u/v²) v'
                v = args[1]
                dv = self.diff(v, var, memo)
                d = self.sub(self.div(du, v), self.dmul(self.div(u, self.mul(v, v)), dv))
            elif op == "dmul":  # (a·u′)′ = a′u′ + a u″, each term 0 where its second factor is
                v = args[1]
                d = self.add(self.dmul(du, v), self.dmul(u, self.diff(v, var, memo)))
            elif op == "xlog":  # (p ln u)′ = p′ ln u + (p/u) u′ (0 where p′ = 0, resp. u′ = 0)
                v = args[1]
                d = self.add(self.xlog(du, v), self.dmul(self.div(u, v), self.diff(v, var, memo)))
            elif op == "pow":
                v = args[1]
                dv = self.diff(v, var, memo)
                if v.is_const():  # (u^c)' = c u^(c−1) u'
                    c = v.value
                    d = self.dmul(self.mul(v, self.pow(u, self.const(c - 1.0))), du)
                else:
                    # (u^v)' = u^v v' ln(u) + v u^(v−1) u'  (the first term alone when u is
                    # a constant).  The first term is taken as 0 where u^v v' = 0, as
                    # autodiff libraries do: 0^v (v > 0) has derivative 0, not 0·(−∞),
                    # and (−2)^v at a point where v' = 0 has no ln(−2) = nan term.
                    d = self.xlog(self.dmul(node, dv), u)
                    if not u.is_const():
                        d = self.add(
                            d, self.dmul(self.mul(v, self.pow(u, self.sub(v, self.one))), du)
                        )
            else:  # f(u)' = f'(u) u'
                d = self.dmul(self._outer_derivative(op, u, node), du)
        memo[node.index] = d
        return d

    def _outer_derivative(self, name: str, u: Node, fu: Node) -> Node:
        """f'(u) for the function ``name``; ``fu`` is the node f(u)."""
        one = self.one
        if name == "sin":
            return self.call("cos", u)
        if name == "cos":
            return self.neg(self.call("sin", u))
        if name == "tan":  # 1/cos²u
            return self.div(one, self.pow(self.call("cos", u), self.const(2.0)))
        if name == "exp":
            return fu
        if name == "log":
            return self.div(one, u)
        if name == "sqrt":  # 1/(2√u)
            return self.div(self.const(0.5), fu)
        if name == "abs":
            return self.call("sign", u)
        if name == "sign":
            return self.zero
        if name == "tanh":  # 1 − tanh²u
            return self.sub(one, self.pow(fu, self.const(2.0)))
        if name == "sinh":
            return self.call("cosh", u)
        if name == "cosh":
            return self.call("sinh", u)
        if name == "arctan":  # 1/(1 + u²)
            return self.div(one, self.add(one, self.pow(u, self.const(2.0))))
        if name in ("arcsin", "arccos"):  # ±1/√(1 − u²)
            root = self.call("sqrt", self.sub(one, self.pow(u, self.const(2.0))))
            d = self.div(one, root)
            return d if name == "arcsin" else self.neg(d)
        raise AssertionError(f"no derivative for {name}")  # pragma: no cover
