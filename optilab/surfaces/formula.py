"""A safe parser for a user's own surface f(x, y), with a symbolic gradient.

`parse` turns text such as ``"x**2/20 + y**2"`` or ``"sin(x)*exp(-y**2)"`` into
a `Surface` whose ``func`` evaluates f and whose ``gradient`` evaluates
(∂f/∂x, ∂f/∂y), both derived from an expression tree this module builds — the
text is never handed to ``eval``/``exec``/``compile``.

How it stays safe:

1. The text is checked for length (≤ 1000 characters) and control characters,
   then read with ``ast.parse(text, mode="eval")`` only to get a syntax tree.
2. The tree is walked with an explicit whitelist: numbers (int, float), the
   names ``x``, ``y``, ``pi``, ``e``, the operators ``+ - * / **`` and unary
   ``-``/``+``, and calls ``name(arg)`` of the functions in `FUNCTIONS` with
   exactly one positional argument.  Everything else (attributes, indexing,
   strings, lambdas, comprehensions, keywords, ...) raises `FormulaError` with
   the column and a reason.  Nesting deeper than 100 levels is refused.
3. Constant sub-expressions are folded with float arithmetic, after checking
   that a power cannot overflow (``9**9**9`` is refused as "number too large"
   without computing it).

The tree is then differentiated symbolically (sum, product, quotient, power
and chain rules).  Two conventions keep gradients finite where the limit is
0: a chain-rule term f′(u)·u′ is 0 wherever u′ = 0 (so ∇√(x² + y²) is (0, 0)
at the origin, as for Ackley), and the u^v·v′·ln(u) term of a power is 0
wherever u^v·v′ = 0 (so ∂(x^y)/∂y is 0 at x = 0).  A power u^v with a
non-constant exponent and u < 0 has a nan gradient (ln u is not real) unless
v′ is exactly 0 there.  Light simplification (0·a → 0, 1·a → a, a + 0 → a,
constant folding; f itself keeps the user's order of operations, so it
rounds exactly as written); equal sub-trees are shared, so f and its gradient compile
to short straight-line programs that run on Python floats (``math``) or numpy
arrays (vectorised, under ``np.errstate(all="ignore")``: log(−1) is nan).
"""

from __future__ import annotations

import ast
import math
import operator
import re
import warnings
from typing import Callable, Sequence

import numpy as np

from .base import Surface

__all__ = ["FormulaError", "parse", "gradient_text", "to_text", "FUNCTIONS", "CONSTANTS", "MAX_LENGTH", "MAX_DEPTH"]

#: Longest accepted formula, in characters.
MAX_LENGTH = 1000
#: Deepest accepted syntax tree.
MAX_DEPTH = 100

#: Allowed function names → canonical name (aliases: atan, asin, acos, ln).
FUNCTIONS: dict[str, str] = {
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "sqrt": "sqrt",
    "abs": "abs",
    "sign": "sign",
    "tanh": "tanh",
    "sinh": "sinh",
    "cosh": "cosh",
    "arctan": "arctan",
    "atan": "arctan",
    "arcsin": "arcsin",
    "asin": "arcsin",
    "arccos": "arccos",
    "acos": "arccos",
}
#: Allowed constant names.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
_VARIABLES = ("x", "y")

_HELP = "use x, y, pi, e and the functions " + ", ".join(
    dict.fromkeys(FUNCTIONS)  # keeps order, every spelling
)


class FormulaError(ValueError):
    """A formula that cannot be accepted.

    Attributes:
        reason: what is wrong, in words.
        position: 0-based column (character index) in the text, or None.

    ``str(error)`` is ``"col N: reason"`` with N = position + 1 (columns are
    counted from 1 for people, like editors do), or just the reason.
    """

    def __init__(self, reason: str, position: int | None = None) -> None:
        self.reason = reason
        self.position = position
        super().__init__(reason, position)

    def __str__(self) -> str:
        if self.position is None:
            return self.reason
        return f"col {self.position + 1}: {self.reason}"


# --- expression nodes ----------------------------------------------------------------


class Node:
    """One node of an expression DAG: ``op`` is "const", "x", "y", a binary
    operator ("add", "sub", "mul", "div", "pow"), "neg" or a function name."""

    __slots__ = ("op", "args", "value", "index")

    def __init__(self, op: str, args: tuple["Node", ...], value: float | None, index: int):
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
    if op in _VARIABLES:
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
                raise FormulaError("division by zero", pos)
            if op == "pow":
                base, exponent = values
                if base == 0.0 and exponent < 0.0:
                    raise FormulaError("division by zero (0 to a negative power)", pos)
                if base not in (0.0, 1.0, -1.0) and exponent * math.log10(abs(base)) > _MAX_LOG10:
                    raise FormulaError("number too large", pos)
        with np.errstate(all="ignore"):
            result = float(_ARRAY_OPS[op](*(np.float64(v) for v in values)))
        if self.strict and not math.isfinite(result):
            if op == "log" and values[0] == 0.0:
                raise FormulaError("log(0) is −∞, so f is not defined; keep the argument of log above 0", pos)
            if math.isnan(result):
                what = f"{op}({values[0]:g})" if op in FUNCTIONS.values() else "this part"
                raise FormulaError(f"{what} is not a real number", pos)
            raise FormulaError("number too large", pos)
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
            raise FormulaError("division by zero", pos)
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
        if op == "const" or op in _VARIABLES:
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


# --- compiled straight-line programs ----------------------------------------------------


class _Program:
    """Evaluate one or more output nodes of a DAG; callable as ``program(x, y)``.

    Each node is computed once, in creation order (children before parents).
    Python float inputs run through ``math``; if that raises (log of a negative
    number, overflow, ...) or the inputs are arrays, numpy runs instead, with
    floating-point warnings silenced, so the result is inf/nan like numpy's.
    """

    __slots__ = ("_init", "_scode", "_acode", "_outputs", "_single")

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
            if n.op == "const" or n.op in _VARIABLES:
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


# --- reading the text -------------------------------------------------------------------

_BINOP_NAMES = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_OP_SYMBOLS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Not: "not",
    ast.Invert: "~",
}
_REFUSED = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "indexing ('[...]') is not allowed",
    ast.Lambda: "'lambda' is not allowed",
    ast.IfExp: "conditional expressions ('... if ... else ...') are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed",
    ast.List: "lists ('[...]') are not allowed",
    ast.Tuple: "a comma makes a tuple; a formula is a single expression",
    ast.Set: "sets ('{...}') are not allowed",
    ast.Dict: "dictionaries ('{...: ...}') are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.JoinedStr: "text (f-strings) is not allowed",
    ast.FormattedValue: "text (f-strings) is not allowed",
    ast.NamedExpr: "assignments (':=') are not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "slices are not allowed",
}


class _Reader:
    """Walk a syntax tree with the whitelist and build nodes with a `_Builder`."""

    def __init__(self, source: str, offset: int, builder: _Builder) -> None:
        self.source = source  # the text given to ast.parse
        self.offset = offset  # characters stripped in front of it
        self.lines = source.split("\n")
        self.b = builder

    def pos(self, lineno: int | None, col: int | None) -> int | None:
        """Character index in the original text of an AST (line, UTF-8 byte column)."""
        if lineno is None or col is None:
            return None
        lineno = min(max(lineno, 1), len(self.lines))
        start = sum(len(line) + 1 for line in self.lines[: lineno - 1])
        line = self.lines[lineno - 1]
        chars = len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))
        return self.offset + start + chars

    def start(self, node: ast.AST) -> int | None:
        return self.pos(getattr(node, "lineno", None), getattr(node, "col_offset", None))

    def end(self, node: ast.AST) -> int | None:
        return self.pos(getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))

    def operator_pos(self, node: ast.BinOp, symbol: str) -> int | None:
        """Where the operator of ``left OP right`` is (AST keeps no position for it)."""
        left_end, right_start = self.end(node.left), self.start(node.right)
        if left_end is not None and right_start is not None:
            full = " " * self.offset + self.source
            i = full.find(symbol, left_end, right_start)
            if i >= 0:
                return i
        return self.start(node)

    def read(self, node: ast.AST) -> Node:
        b = self.b
        if isinstance(node, ast.Expression):
            return self.read(node.body)
        if isinstance(node, ast.BinOp):
            kind = type(node.op)
            symbol = _OP_SYMBOLS.get(kind, "?")
            if kind not in _BINOP_NAMES:
                node = self._first_refused(node)   # x^2 + y^2 reads as (x ^ (2 + y)) ^ 2
                kind = type(node.op)
                symbol = _OP_SYMBOLS.get(kind, "?")
                hint = "; write ** for powers" if kind is ast.BitXor else ""
                raise FormulaError(
                    f"operator '{symbol}' is not supported; use + - * / **{hint}",
                    self.operator_pos(node, symbol),
                )
            left, right = self.read(node.left), self.read(node.right)
            method = getattr(b, _BINOP_NAMES[kind])
            return method(left, right, self.operator_pos(node, symbol))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return b.neg(self.read(node.operand), self.start(node))
            if isinstance(node.op, ast.UAdd):
                return self.read(node.operand)
            symbol = _OP_SYMBOLS.get(type(node.op), "?")
            raise FormulaError(f"operator '{symbol}' is not supported", self.start(node))
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        reason = _REFUSED.get(type(node), f"'{type(node).__name__}' is not allowed in a formula")
        if isinstance(node, ast.Attribute):
            reason = f"attribute access ('.{node.attr}') is not allowed"
        return self._refuse(reason, node)

    def _first_refused(self, node: ast.BinOp) -> ast.BinOp:
        """The leftmost refused operator within ``node`` (the one a reader meets first)."""
        found = [n for n in ast.walk(node) if isinstance(n, ast.BinOp) and type(n.op) not in _BINOP_NAMES]
        return min(found, key=lambda n: self.operator_pos(n, _OP_SYMBOLS.get(type(n.op), "?")) or 0)

    def _refuse(self, reason: str, node: ast.AST) -> Node:
        raise FormulaError(reason, self.start(node))

    def constant(self, node: ast.Constant) -> Node:
        value = node.value
        kind = type(value)
        if kind is complex:
            return self._refuse("complex numbers (like 1j) are not allowed", node)
        if kind in (str, bytes):
            return self._refuse("text in quotes is not allowed", node)
        if kind not in (int, float):  # bool, None, Ellipsis
            return self._refuse(f"'{value!r}' is not allowed; use numbers, x, y, pi, e", node)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            return self._refuse("number too large", node)
        return self.b.const(number)

    def name(self, node: ast.Name) -> Node:
        name = node.id
        if name == "x":
            return self.b.x
        if name == "y":
            return self.b.y
        if name in CONSTANTS:
            return self.b.const(CONSTANTS[name])
        if name in FUNCTIONS:
            return self._refuse(f"'{name}' is a function and needs an argument: write {name}(x)", node)
        return self._refuse(f"unknown name '{name}'; {_HELP}", node)

    def call(self, node: ast.Call) -> Node:
        func = node.func
        if not isinstance(func, ast.Name):
            self.read(func)  # refuses attributes, indexing, ... with their own reason
            return self._refuse(f"only named functions can be called; {_HELP}", func)
        name = func.id
        if name not in FUNCTIONS:
            if name in _VARIABLES or name in CONSTANTS:
                reason = f"'{name}' is not a function; write {name}*(...) to multiply"
            else:
                reason = f"unknown function '{name}'; {_HELP}"
            return self._refuse(reason, func)
        if node.keywords:
            return self._refuse(f"{name}() takes no keyword arguments", node.keywords[0])
        if len(node.args) != 1:
            return self._refuse(
                f"{name}() takes exactly one argument ({len(node.args)} given)", node
            )
        argument = self.read(node.args[0])
        return self.b.call(FUNCTIONS[name], argument, self.start(node))


def _syntax_tree(text: str) -> tuple[ast.Expression, str, int]:
    """``ast.parse`` the text (leading blanks stripped), errors as `FormulaError`."""
    if not isinstance(text, str):
        raise TypeError(f"formula must be a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    for i, ch in enumerate(text):
        if (ch < " " and ch not in "\t\n\r") or ch == "\x7f":
            raise FormulaError(f"unexpected control character {ch!r}", i)
    source = text.lstrip(" \t\n\r")
    offset = len(text) - len(source)
    if not source.strip():
        raise FormulaError("empty formula; type an expression in x and y, e.g. x**2 + y**2", 0)
    try:
        with warnings.catch_warnings():
            # e.g. "1if x else 2": SyntaxWarning "invalid decimal literal"
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        glued = _number_then_name(source, exc)
        if glued is not None:
            number, word, at = glued
            raise FormulaError(f"write {number}*{word} to multiply, not {number}{word}", offset + at) from None
        raise FormulaError(exc.msg or "invalid syntax", _syntax_pos(source, offset, exc)) from None
    except (RecursionError, MemoryError):
        raise FormulaError("formula is nested too deeply", None) from None
    except ValueError as exc:  # e.g. a literal with too many digits
        raise FormulaError(f"cannot read the formula: {exc}", None) from None
    return tree, source, offset


_GLUED = re.compile(r"(?<![\w.])(\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?)([A-Za-z_]\w*)")


def _number_then_name(source: str, exc: SyntaxError) -> tuple[str, str, int] | None:
    """(number, name, index of the name) when a SyntaxError comes from a number
    written against a name, as in ``2x`` or ``3sin(x)`` ("invalid decimal literal")."""
    if not exc.msg or not exc.msg.startswith("invalid") or "literal" not in exc.msg or not exc.lineno:
        return None
    lines = source.split("\n")
    if exc.lineno > len(lines):
        return None
    line_start = sum(len(line) + 1 for line in lines[: exc.lineno - 1])
    column = (exc.offset or 1) - 1
    for m in _GLUED.finditer(lines[exc.lineno - 1]):
        if m.start(1) <= column <= m.start(2):
            return m.group(1), m.group(2), line_start + m.start(2)
    return None


def _syntax_pos(source: str, offset: int, exc: SyntaxError) -> int:
    """Character index of a SyntaxError (its ``offset`` is a 1-based character column)."""
    lines = source.split("\n")
    if not exc.lineno or not exc.offset or exc.offset < 1 or exc.lineno > len(lines):
        return offset + len(source)  # unexpected end of the formula
    start = sum(len(line) + 1 for line in lines[: exc.lineno - 1])
    return min(offset + start + exc.offset - 1, offset + len(source))


def _check_depth(tree: ast.AST, reader: _Reader) -> None:
    """Refuse trees deeper than MAX_DEPTH, pointing at the innermost placed node."""
    stack: list[tuple[ast.AST, int, ast.AST]] = [(tree, 1, tree)]
    while stack:
        node, depth, placed = stack.pop()
        if hasattr(node, "col_offset"):
            placed = node  # operator nodes (ast.Add, ...) carry no position
        if depth > MAX_DEPTH:
            raise FormulaError(
                f"formula is nested too deeply (more than {MAX_DEPTH} levels)",
                reader.start(placed),
            )
        stack.extend((child, depth + 1, placed) for child in ast.iter_child_nodes(node))


def _check_box(
    domain: Sequence[float], start: Sequence[float] | None
) -> tuple[tuple[float, float, float, float], tuple[float, float]]:
    try:
        xmin, xmax, ymin, ymax = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise ValueError(f"domain must be (xmin, xmax, ymin, ymax), got {domain!r}") from None
    if not all(map(math.isfinite, (xmin, xmax, ymin, ymax))) or not (xmin < xmax and ymin < ymax):
        raise ValueError(f"domain must be finite with xmin < xmax and ymin < ymax, got {domain!r}")
    if start is None:
        # 70 % of the way from the centre to the top-left corner.
        cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
        start = (cx + 0.7 * (xmin - cx), cy + 0.7 * (ymax - cy))
    try:
        sx, sy = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError(f"start must be (x, y), got {start!r}") from None
    if not (math.isfinite(sx) and math.isfinite(sy)):
        raise ValueError(f"start must be finite, got {start!r}")
    return (xmin, xmax, ymin, ymax), (sx, sy)


def parse(
    text: str,
    *,
    domain: Sequence[float] = (-5.0, 5.0, -5.0, 5.0),
    start: Sequence[float] | None = None,
) -> Surface:
    """A `Surface` for the user's formula f(x, y), with its symbolic gradient.

    ``domain`` is ``(xmin, xmax, ymin, ymax)``; ``start`` defaults to the point
    70 % of the way from the domain's centre to its top-left corner, (−3.5, 3.5)
    for the default domain.  Raises `FormulaError` (with ``position`` and
    ``reason``) for anything outside the whitelist described in the module
    docstring, and ValueError for a bad domain or start.
    """
    box, start_point = _check_box(domain, start)
    tree, source, offset = _syntax_tree(text)
    builder = _Builder()
    reader = _Reader(source, offset, builder)
    _check_depth(tree, reader)
    f = reader.read(tree)
    builder.strict = False  # derivatives may fold to inf/nan: that is the math
    memo_x: dict[int, Node] = {}
    memo_y: dict[int, Node] = {}
    dfdx = builder.diff(f, builder.x, memo_x)
    dfdy = builder.diff(f, builder.y, memo_y)
    formula = text.strip()
    return Surface(
        name="custom",
        title=f"f(x, y) = {formula}",
        formula=formula,
        domain=box,
        minima=(),
        start=start_point,
        log_color=False,
        func=_Program([f], builder.x, builder.y),
        gradient=_Program([dfdx, dfdy], builder.x, builder.y),
    )


def gradient_text(text: str) -> tuple[str, str]:
    """The symbolic (∂f/∂x, ∂f/∂y) of a formula, as text (for display and teaching)."""
    tree, source, offset = _syntax_tree(text)
    builder = _Builder()
    reader = _Reader(source, offset, builder)
    _check_depth(tree, reader)
    f = reader.read(tree)
    builder.strict = False
    return to_text(builder.diff(f, builder.x)), to_text(builder.diff(f, builder.y))
