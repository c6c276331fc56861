"""A safe parser for a user's own surface f(x, y), with a symbolic gradient and Hessian.

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

The tree is then differentiated symbolically (sum, product, quotient, power and
chain rules), and the gradient's nodes once more for the Hessian (f_xx, f_xy,
f_yy; the conventions below hold for those terms too). Two conventions keep
gradients finite where the limit is 0: a chain-rule term f′(u)·u′ is 0 wherever
u′ = 0 (so ∇√(x² + y²) is (0, 0) at the origin, as for Ackley), and the
u^v·v′·ln(u) term of a power is 0 wherever u^v·v′ = 0 (so ∂(x^y)/∂y is 0 at x =
0). A power u^v with a non-constant exponent and u < 0 has a nan gradient (ln u
is not real) unless v′ is exactly 0 there. Light simplification (0·a → 0, 1·a →
a, a + 0 → a, constant folding; f itself keeps the user's order of operations,
so it rounds exactly as written); equal sub-trees are shared, so f and its
gradient compile to short straight-line programs that run on Python floats
(``math``) or numpy arrays (vectorised, under ``np.errstate(all="ignore")``:
log(−1) is nan).
The nodes and the rules live in `optilab.surfaces.expr`, the programs in
`optilab.surfaces.program`.

Every refusal is a `FormulaError` whose reason is a declared message
(``formula.*``, `optilab.messages`), so the UI translates it by code.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Sequence

from optilab import messages
from optilab.messages import Message

from .base import Surface
from .expr import CONSTANTS, FUNCTIONS, TOO_LARGE, VARIABLES, Node, _Builder, to_text
from .formula_error import FormulaError
from .program import _Program

__all__ = ["CONSTANTS", "FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "FormulaError", "gradient_text", "parse", "to_text"]

#: Longest accepted formula, in characters.
MAX_LENGTH = 1000
#: Deepest accepted syntax tree.
MAX_DEPTH = 100

HELP = messages.declare("formula.help", "use x, y, pi, e and the functions {functions}")
_FUNCTION_LIST = ", ".join(dict.fromkeys(FUNCTIONS))  # keeps order, every spelling

OPERATOR = messages.declare("formula.operator", "operator '{symbol}' is not supported; use + - * / **")
OPERATOR_CARET = messages.declare(
    "formula.operator_caret", "operator '{symbol}' is not supported; use + - * / **; write ** for powers")
UNARY_OPERATOR = messages.declare("formula.unary_operator", "operator '{symbol}' is not supported")
NOT_ALLOWED = messages.declare("formula.not_allowed", "'{name}' is not allowed in a formula")
ATTRIBUTE = messages.declare("formula.attribute", "attribute access ('.{attr}') is not allowed")
COMPLEX = messages.declare("formula.complex", "complex numbers (like 1j) are not allowed")
QUOTED = messages.declare("formula.quoted", "text in quotes is not allowed")
LITERAL = messages.declare("formula.literal", "'{value}' is not allowed; use numbers, x, y, pi, e")
NEEDS_ARGUMENT = messages.declare(
    "formula.needs_argument", "'{name}' is a function and needs an argument: write {name}(x)")
UNKNOWN_NAME = messages.declare("formula.unknown_name", "unknown name '{name}'; {help}")
ONLY_NAMED = messages.declare("formula.only_named_calls", "only named functions can be called; {help}")
NOT_A_FUNCTION = messages.declare(
    "formula.not_a_function", "'{name}' is not a function; write {name}*(...) to multiply")
UNKNOWN_FUNCTION = messages.declare("formula.unknown_function", "unknown function '{name}'; {help}")
NO_KEYWORDS = messages.declare("formula.no_keywords", "{name}() takes no keyword arguments")
ONE_ARGUMENT = messages.declare("formula.one_argument", "{name}() takes exactly one argument ({count} given)")
TOO_LONG = messages.declare("formula.too_long", "formula is longer than {limit} characters")
CONTROL_CHARACTER = messages.declare("formula.control_character", "unexpected control character {char}")
EMPTY = messages.declare("formula.empty", "empty formula; type an expression in x and y, e.g. x**2 + y**2")
GLUED = messages.declare("formula.glued", "write {number}*{name} to multiply, not {number}{name}")
TOO_DEEP = messages.declare("formula.too_deep", "formula is nested too deeply")
TOO_DEEP_LEVELS = messages.declare("formula.too_deep_levels", "formula is nested too deeply (more than {limit} levels)")
UNREADABLE = messages.declare("formula.unreadable", "cannot read the formula: {reason}")
BAD_DOMAIN = messages.declare("surfaces.bad_domain", "domain must be (xmin, xmax, ymin, ymax), got {domain}")
EMPTY_DOMAIN = messages.declare(
    "surfaces.empty_domain", "domain must be finite with xmin < xmax and ymin < ymax, got {domain}")
BAD_START = messages.declare("surfaces.bad_start", "start must be (x, y), got {start}")
INFINITE_START = messages.declare("surfaces.infinite_start", "start must be finite, got {start}")
# Python's own syntax messages, as declared messages where their wording is known
_SYNTAX = (
    (re.compile(r"invalid syntax"), messages.declare("formula.syntax.invalid", "invalid syntax")),
    (re.compile(r"too many nested parentheses"),
     messages.declare("formula.syntax.nested_parentheses", "too many nested parentheses")),
    (re.compile(r"'(?P<bracket>.)' was never closed"),
     messages.declare("formula.syntax.never_closed", "'{bracket}' was never closed")),
    (re.compile(r"unmatched '(?P<bracket>.)'"), messages.declare("formula.syntax.unmatched", "unmatched '{bracket}'")),
    (re.compile(r"invalid decimal literal"),
     messages.declare("formula.syntax.invalid_decimal", "invalid decimal literal")),
    (re.compile(r"closing parenthesis '(?P<closing>.)' does not match opening parenthesis '(?P<opening>.)'"),
     messages.declare("formula.syntax.mismatch",
                      "closing parenthesis '{closing}' does not match opening parenthesis '{opening}'")),
)


def _help() -> Message:
    return HELP(functions=_FUNCTION_LIST)


def _syntax_reason(text: str) -> Message:
    """Python's SyntaxError text as a declared message (its own text under ``"text"`` when unknown)."""
    for pattern, spec in _SYNTAX:
        match = pattern.fullmatch(text)
        if match:
            return spec(**match.groupdict())
    return messages.TEXT(text=text)


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
# what each refused construct is called (attributes: ATTRIBUTE, which names the attribute)
_R_INDEXING = messages.declare("formula.refused.indexing", "indexing ('[...]') is not allowed")
_R_LAMBDA = messages.declare("formula.refused.lambda", "'lambda' is not allowed")
_R_CONDITIONAL = messages.declare(
    "formula.refused.conditional", "conditional expressions ('... if ... else ...') are not allowed")
_R_COMPARISON = messages.declare("formula.refused.comparison", "comparisons are not allowed")
_R_AND_OR = messages.declare("formula.refused.and_or", "'and'/'or' are not allowed")
_R_LIST = messages.declare("formula.refused.list", "lists ('[...]') are not allowed")
_R_TUPLE = messages.declare("formula.refused.tuple", "a comma makes a tuple; a formula is a single expression")
_R_SET = messages.declare("formula.refused.set", "sets ('{{...}}') are not allowed")
_R_DICT = messages.declare("formula.refused.dict", "dictionaries ('{{...: ...}}') are not allowed")
_R_COMPREHENSION = messages.declare("formula.refused.comprehension", "comprehensions are not allowed")
_R_GENERATOR = messages.declare("formula.refused.generator", "generator expressions are not allowed")
_R_FSTRING = messages.declare("formula.refused.fstring", "text (f-strings) is not allowed")
_R_ASSIGNMENT = messages.declare("formula.refused.assignment", "assignments (':=') are not allowed")
_R_STARRED = messages.declare("formula.refused.starred", "'*' unpacking is not allowed")
_R_AWAIT = messages.declare("formula.refused.await", "'await' is not allowed")
_R_YIELD = messages.declare("formula.refused.yield", "'yield' is not allowed")
_R_SLICE = messages.declare("formula.refused.slice", "slices are not allowed")
_REFUSED: dict[type, messages.MessageSpec] = {
    ast.Subscript: _R_INDEXING,
    ast.Lambda: _R_LAMBDA,
    ast.IfExp: _R_CONDITIONAL,
    ast.Compare: _R_COMPARISON,
    ast.BoolOp: _R_AND_OR,
    ast.List: _R_LIST,
    ast.Tuple: _R_TUPLE,
    ast.Set: _R_SET,
    ast.Dict: _R_DICT,
    ast.ListComp: _R_COMPREHENSION,
    ast.SetComp: _R_COMPREHENSION,
    ast.DictComp: _R_COMPREHENSION,
    ast.GeneratorExp: _R_GENERATOR,
    ast.JoinedStr: _R_FSTRING,
    ast.FormattedValue: _R_FSTRING,
    ast.NamedExpr: _R_ASSIGNMENT,
    ast.Starred: _R_STARRED,
    ast.Await: _R_AWAIT,
    ast.Yield: _R_YIELD,
    ast.YieldFrom: _R_YIELD,
    ast.Slice: _R_SLICE,
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
                spec = OPERATOR_CARET if kind is ast.BitXor else OPERATOR
                raise FormulaError(spec(symbol=symbol), self.operator_pos(node, symbol))
            left, right = self.read(node.left), self.read(node.right)
            method = getattr(b, _BINOP_NAMES[kind])
            return method(left, right, self.operator_pos(node, symbol))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return b.neg(self.read(node.operand), self.start(node))
            if isinstance(node.op, ast.UAdd):
                return self.read(node.operand)
            symbol = _OP_SYMBOLS.get(type(node.op), "?")
            raise FormulaError(UNARY_OPERATOR(symbol=symbol), self.start(node))
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        refused = _REFUSED.get(type(node))
        reason = refused() if refused is not None else NOT_ALLOWED(name=type(node).__name__)
        if isinstance(node, ast.Attribute):
            reason = ATTRIBUTE(attr=node.attr)
        return self._refuse(reason, node)

    def _first_refused(self, node: ast.BinOp) -> ast.BinOp:
        """The leftmost refused operator within ``node`` (the one a reader meets first)."""
        found = [n for n in ast.walk(node) if isinstance(n, ast.BinOp) and type(n.op) not in _BINOP_NAMES]
        return min(found, key=lambda n: self.operator_pos(n, _OP_SYMBOLS.get(type(n.op), "?")) or 0)

    def _refuse(self, reason: Message, node: ast.AST) -> Node:
        raise FormulaError(reason, self.start(node))

    def constant(self, node: ast.Constant) -> Node:
        value = node.value
        kind = type(value)
        if kind is complex:
            return self._refuse(COMPLEX(), node)
        if kind in (str, bytes):
            return self._refuse(QUOTED(), node)
        if kind not in (int, float):  # bool, None, Ellipsis
            return self._refuse(LITERAL(value=repr(value)), node)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            return self._refuse(TOO_LARGE(), node)
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
            return self._refuse(NEEDS_ARGUMENT(name=name), node)
        return self._refuse(UNKNOWN_NAME(name=name, help=_help()), node)

    def call(self, node: ast.Call) -> Node:
        func = node.func
        if not isinstance(func, ast.Name):
            self.read(func)  # refuses attributes, indexing, ... with their own reason
            return self._refuse(ONLY_NAMED(help=_help()), func)
        name = func.id
        if name not in FUNCTIONS:
            if name in VARIABLES or name in CONSTANTS:
                reason = NOT_A_FUNCTION(name=name)
            else:
                reason = UNKNOWN_FUNCTION(name=name, help=_help())
            return self._refuse(reason, func)
        if node.keywords:
            return self._refuse(NO_KEYWORDS(name=name), node.keywords[0])
        if len(node.args) != 1:
            return self._refuse(ONE_ARGUMENT(name=name, count=len(node.args)), node)
        argument = self.read(node.args[0])
        return self.b.call(FUNCTIONS[name], argument, self.start(node))


def _syntax_tree(text: str) -> tuple[ast.Expression, str, int]:
    """``ast.parse`` the text (leading blanks stripped), errors as `FormulaError`."""
    if not isinstance(text, str):
        raise TypeError(f"formula must be a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(TOO_LONG(limit=MAX_LENGTH), MAX_LENGTH)
    for i, ch in enumerate(text):
        if (ch < " " and ch not in "\t\n\r") or ch == "\x7f":
            raise FormulaError(CONTROL_CHARACTER(char=repr(ch)), i)
    source = text.lstrip(" \t\n\r")
    offset = len(text) - len(source)
    if not source.strip():
        raise FormulaError(EMPTY(), 0)
    try:
        with warnings.catch_warnings():
            # e.g. "1if x else 2": SyntaxWarning "invalid decimal literal"
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        glued = _number_then_name(source, exc)
        if glued is not None:
            number, word, at = glued
            raise FormulaError(GLUED(number=number, name=word), offset + at) from None
        raise FormulaError(_syntax_reason(exc.msg or "invalid syntax"), _syntax_pos(source, offset, exc)) from None
    except (RecursionError, MemoryError):
        raise FormulaError(TOO_DEEP(), None) from None
    except ValueError as exc:  # e.g. a literal with too many digits
        raise FormulaError(UNREADABLE(reason=str(exc)), None) from None
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
            raise FormulaError(TOO_DEEP_LEVELS(limit=MAX_DEPTH), reader.start(placed))
        stack.extend((child, depth + 1, placed) for child in ast.iter_child_nodes(node))


def _check_box(
    domain: Sequence[float], start: Sequence[float] | None
) -> tuple[tuple[float, float, float, float], tuple[float, float]]:
    try:
        xmin, xmax, ymin, ymax = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise BAD_DOMAIN.error(domain=repr(domain)) from None
    if not all(map(math.isfinite, (xmin, xmax, ymin, ymax))) or not (xmin < xmax and ymin < ymax):
        raise EMPTY_DOMAIN.error(domain=repr(domain))
    if start is None:
        # 70 % of the way from the centre to the top-left corner.
        cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
        start = (cx + 0.7 * (xmin - cx), cy + 0.7 * (ymax - cy))
    try:
        sx, sy = (float(v) for v in start)
    except (TypeError, ValueError):
        raise BAD_START.error(start=repr(start)) from None
    if not (math.isfinite(sx) and math.isfinite(sy)):
        raise INFINITE_START.error(start=repr(start))
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
    # ∇²f: the same rules applied to the gradient's nodes (f_yx is f_xy: one is enough).
    hessian = (builder.diff(dfdx, builder.x, memo_x), builder.diff(dfdx, builder.y, memo_y),
               builder.diff(dfdy, builder.y, memo_y))
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
        curvature=_Program(list(hessian), builder.x, builder.y),
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
