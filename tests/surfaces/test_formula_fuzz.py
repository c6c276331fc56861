"""Fuzzing the formula parser with hypothesis.

(a) arbitrary text never escapes as anything but a Surface or a FormulaError;
(b) random valid expression trees, rendered to text, parse to a surface whose f
    matches an independent reference evaluator written here, and whose
    symbolic gradient matches central differences of that reference.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optilab.surfaces import FormulaError, Surface, parse
from optilab.surfaces.formula import gradient_text

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    "x", "y", "+", "-", "*", "/", "**", "(", ")", "sin", "cos", "exp", "log", "sqrt",
    "1", "2.5", "0", "1e308", "e", "pi", ",", ".", "_", "[", "]", "lambda", "import",
    "__import__", "'", '"', ":", "=", " ", "j", "9**9", "abs", "tanh", "real", "%",
    "^", "if", "else", "not", "@", "\n", "é", "\\", "#",
]


def check_outcome(text: str) -> None:
    try:
        s = parse(text)
    except FormulaError as err:
        assert isinstance(err.reason, str) and err.reason
        assert err.position is None or 0 <= err.position <= len(text)
        assert str(err)
        return
    assert isinstance(s, Surface)
    v = s.f(0.3, -0.7)
    g = s.grad(0.3, -0.7)
    assert isinstance(v, float) and len(g) == 2
    F = s.f(np.array([0.3, 1.1]), np.array([-0.7, 2.0]))
    assert np.shape(F) == (2,)


@FUZZ
@given(st.text(max_size=80))
def test_random_text_gives_a_surface_or_a_formula_error(text):
    check_outcome(text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_random_token_strings_give_a_surface_or_a_formula_error(text):
    check_outcome(text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_random_spaced_token_strings_give_a_surface_or_a_formula_error(text):
    check_outcome(text)


# --- (b) generated expression trees against a reference evaluator ---------------------

FUNCS = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "ln": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "arctan": np.arctan,
    "atan": np.arctan,
}
BINARY = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
    "**": np.power,
}

leaves = st.one_of(
    st.sampled_from([("var", "x"), ("var", "y"), ("const", "pi"), ("const", "e")]),
    st.sampled_from([0.5, 1.0, 2.0, 3.0, 0.25, 1.5, 7.0]).map(lambda v: ("num", v)),
)


def extend(children):
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from(sorted(BINARY)), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("call"), st.sampled_from(sorted(FUNCS)), children),
    )


trees = st.recursive(leaves, extend, max_leaves=12)


def render(tree) -> str:
    kind = tree[0]
    if kind == "var" or kind == "const":
        return tree[1]
    if kind == "num":
        return repr(tree[1])
    if kind == "neg":
        return f"(-{render(tree[1])})"
    if kind == "call":
        return f"{tree[1]}({render(tree[2])})"
    return f"({render(tree[2])} {tree[1]} {render(tree[3])})"


def reference(tree, x, y):
    """Evaluate the generated tree with numpy, independently of optilab."""
    kind = tree[0]
    if kind == "var":
        return x if tree[1] == "x" else y
    if kind == "const":
        return np.float64(math.pi if tree[1] == "pi" else math.e)
    if kind == "num":
        return np.float64(tree[1])
    if kind == "neg":
        return np.negative(reference(tree[1], x, y))
    if kind == "call":
        return FUNCS[tree[1]](reference(tree[2], x, y))
    return BINARY[tree[1]](reference(tree[2], x, y), reference(tree[3], x, y))


POINTS_X = np.array([0.3, 1.3, -0.8, 2.1, 0.45])
POINTS_Y = np.array([-0.7, 0.4, 1.7, 0.9, -1.6])


def parse_or_constant_trouble(text):
    """Parse; a FormulaError is only acceptable for a constant part that is not finite."""
    try:
        return parse(text)
    except FormulaError as err:
        assert any(
            words in err.reason
            for words in ("division by zero", "number too large", "not a real number", "f is not defined")
        ), (text, str(err))
        assume(False)


@FUZZ
@given(trees)
def test_generated_formulas_evaluate_like_the_reference(tree):
    text = render(tree)
    s = parse_or_constant_trouble(text)
    with np.errstate(all="ignore"):
        expected = np.broadcast_to(reference(tree, POINTS_X, POINTS_Y), POINTS_X.shape)
    got = s.f(POINTS_X, POINTS_Y)
    assert got.shape == POINTS_X.shape
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12, atol=0, err_msg=text)
    # scalars give the same (math on floats, numpy on failure)
    for i in np.flatnonzero(finite):
        v = s.f(float(POINTS_X[i]), float(POINTS_Y[i]))
        assert math.isclose(v, expected[i], rel_tol=1e-9, abs_tol=1e-9 * (1 + abs(expected[i]))) or (
            # math and numpy elementary functions may differ in the last bit,
            # which a cancelling subtraction can magnify: accept if the array
            # path itself is that sensitive (checked by a 1-ulp nudge of x).
            _sensitive(tree, POINTS_X[i], POINTS_Y[i])
        ), (text, v, expected[i])


def _sensitive(tree, x, y) -> bool:
    with np.errstate(all="ignore"):
        a = reference(tree, np.float64(x), np.float64(y))
        b = reference(tree, np.nextafter(np.float64(x), np.inf), np.float64(y))
    return not math.isclose(a, b, rel_tol=1e-9)


def all_parts_finite(tree, x, y):
    """Where every sub-expression is finite (numpy's 1**nan = 1 and nan**0 = 1 can
    hide a non-finite part from f, but not from its derivative)."""
    with np.errstate(all="ignore"):
        mask = np.isfinite(np.broadcast_to(reference(tree, x, y), np.shape(x)))
    for child in tree[1:]:
        if isinstance(child, tuple):
            mask &= all_parts_finite(child, x, y)
    return mask


def has_var(tree) -> bool:
    return tree[0] == "var" or any(isinstance(t, tuple) and has_var(t) for t in tree[1:])


def negative_base_of_variable_power(tree, x, y):
    """Where some u**v with v depending on x, y has u < 0 (u**v is then real only for
    integer v, and ∂/∂v = u**v ln u is undefined: nan is the honest gradient)."""
    mask = np.zeros(np.shape(x), dtype=bool)
    children = [t for t in tree[1:] if isinstance(t, tuple)]
    for child in children:
        mask |= negative_base_of_variable_power(child, x, y)
    if tree[0] == "bin" and tree[1] == "**" and has_var(tree[3]):
        with np.errstate(all="ignore"):
            base = np.broadcast_to(reference(tree[2], x, y), np.shape(x))
        mask |= base < 0
    return mask


@FUZZ
@given(trees)
def test_generated_formulas_have_gradients_matching_central_differences(tree):
    text = render(tree)
    s = parse_or_constant_trouble(text)
    gx, gy = s.grad(POINTS_X, POINTS_Y)
    assert gx.shape == gy.shape == POINTS_X.shape

    def ref(x, y):
        with np.errstate(all="ignore"):
            return np.broadcast_to(reference(tree, x, y), POINTS_X.shape)

    f0 = ref(POINTS_X, POINTS_Y)
    for axis, g in ((0, gx), (1, gy)):
        estimates = []
        for h in (1e-5, 2e-5):
            dx, dy = (h, 0.0) if axis == 0 else (0.0, h)
            plus = ref(POINTS_X + dx, POINTS_Y + dy)
            minus = ref(POINTS_X - dx, POINTS_Y - dy)
            with np.errstate(all="ignore"):
                estimates.append((plus - minus) / (2 * h))
        d1, d2 = estimates
        with np.errstate(all="ignore"):
            scale = 1.0 + np.abs(d1) + 1e-5 * np.abs(f0)
            # compare only where the function is smooth and well-scaled here:
            # both step sizes agree, everything is finite
            smooth = (
                np.isfinite(d1)
                & np.isfinite(d2)
                & np.isfinite(f0)
                & (np.abs(d1 - d2) <= 1e-6 * scale)
                & (np.abs(f0) < 1e6)
                & ~negative_base_of_variable_power(tree, POINTS_X, POINTS_Y)
                & all_parts_finite(tree, POINTS_X, POINTS_Y)
            )
        for i in np.flatnonzero(smooth):
            assert np.isfinite(g[i]), (text, axis, i)
            assert abs(g[i] - d1[i]) <= 1e-4 * scale[i], (text, axis, POINTS_X[i], POINTS_Y[i], g[i], d1[i])


@FUZZ
@given(trees)
def test_rendered_gradient_text_evaluates_like_the_gradient(tree):
    """`gradient_text` renders the derivative trees; parsing them back gives the same numbers."""
    text = render(tree)
    s = parse_or_constant_trouble(text)
    gx, gy = s.grad(POINTS_X, POINTS_Y)
    for rendered, g in zip(gradient_text(text), (gx, gy), strict=True):
        try:
            back = parse(rendered)
        except FormulaError as err:
            # a derivative may fold to an inf/nan constant, or be longer or deeper
            # than a user may type; nothing else may fail to read back
            allowed = (
                "unknown name 'inf'",
                "unknown name 'nan'",
                "longer than",
                "nested too deeply",
                # e.g. d/dx 0**x = 0**x*log(0): a constant part that is not finite
                "number too large",
                "not a real number",
                "division by zero",
                "f is not defined",          # log(0) is −∞
            )
            assert any(w in err.reason for w in allowed), (rendered, str(err))
            continue
        values = back.f(POINTS_X, POINTS_Y)
        # where u**v = 0 the gradient takes u**v*log(u) as 0, the plain text gives nan
        finite = np.isfinite(g) & np.isfinite(values)
        np.testing.assert_allclose(values[finite], g[finite], rtol=1e-9, atol=1e-12, err_msg=rendered)
