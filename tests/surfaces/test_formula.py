"""The formula parser: values, precedence, symbolic gradients, refusals, safety."""

from __future__ import annotations

import ast
import builtins
import math
import warnings

import numpy as np
import pytest

from optilab.surfaces import FormulaError, Surface, parse
from optilab.surfaces.formula import gradient_text


def central_difference(f, x, y, h=1e-6):
    return (
        (f(x + h, y) - f(x - h, y)) / (2 * h),
        (f(x, y + h) - f(x, y - h)) / (2 * h),
    )


@pytest.mark.parametrize(
    "text, point, expected",
    [
        ("x**2/20 + y**2", (-7, 2), 49 / 20 + 4),
        ("sin(x)*exp(-y**2)", (math.pi / 2, 0), 1.0),
        ("sqrt(x**2 + y**2)", (3, 4), 5.0),
        ("log(e)", (0, 0), 1.0),
        ("ln(e**2)", (0, 0), 2.0),
        ("2**3**2", (0, 0), 512.0),
        ("(2**3)**2", (0, 0), 64.0),
        ("-x**2", (3, 0), -9.0),
        ("-2**2", (0, 0), -4.0),
        ("(-2)**2", (0, 0), 4.0),
        ("x/y/2", (8, 2), 2.0),
        ("x - y - 1", (5, 2), 2.0),
        ("2 + 3*x", (2, 0), 8.0),
        ("(2 + 3)*x", (2, 0), 10.0),
        ("x**-1", (4, 0), 0.25),
        ("+x - -y", (1, 2), 3.0),
        ("4*atan(1)", (0, 0), math.pi),
        ("4*arctan(y)", (0, 1), math.pi),
        ("abs(x - y)", (1, 4), 3.0),
        ("sign(x)*y", (-2, 5), -5.0),
        ("cosh(x) + sinh(x) + tanh(x)", (0, 0), 1.0),
        ("tan(pi/4)", (0, 0), 1.0),
        ("asin(1) + acos(1) + arcsin(0) + arccos(0)", (0, 0), math.pi),
        ("3", (7, 8), 3.0),
        ("pi", (0, 0), math.pi),
        ("1.5e2 * x", (2, 0), 300.0),
        ("  x + y  ", (1, 2), 3.0),
        ("(x\n + y)", (1, 2), 3.0),
    ],
)
def test_formula_values_match_hand_computation(text, point, expected):
    assert parse(text).f(*point) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "text, point, expected",
    [
        ("x**2*y", (3, 2), (12, 9)),  # (2xy, x²)
        ("x**2/20 + y**2", (-7, 2), (-0.7, 4)),
        ("sin(x)*cos(y)", (0, 0), (1, 0)),
        ("exp(x*y)", (1, 2), (2 * math.exp(2), math.exp(2))),
        ("log(x*y)", (2, 5), (0.5, 0.2)),
        ("x/y", (3, 2), (0.5, -0.75)),
        ("x**y", (2, 3), (3 * 4, 8 * math.log(2))),  # (y x^(y−1), x^y ln x)
        ("2**x", (3, 0), (8 * math.log(2), 0)),
        ("sqrt(x)", (4, 0), (0.25, 0)),
        ("abs(x)", (-3, 0), (-1, 0)),
        ("tanh(x)", (0, 0), (1, 0)),
        ("atan(x)", (1, 0), (0.5, 0)),
        ("arcsin(x) + arccos(y)", (0.6, 0.8), (1 / 0.8, -1 / 0.6)),
        ("tan(x)", (0, 0), (1, 0)),
        ("3", (1, 1), (0, 0)),
        ("x**3", (2, 7), (12, 0)),
    ],
)
def test_formula_gradients_match_hand_derivations(text, point, expected):
    assert parse(text).grad(*point) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "x**2/20 + y**2",
        "sin(x)*exp(-y**2) + x*y/3",
        "sqrt(1 + x**2 + y**2)",
        "log(1 + x**2) - cos(3*y)",
        "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
        "x**y",
        "tanh(x - y)**3 / (2 + sin(x*y))",
        "abs(x)**1.5 + cosh(y/2)",
        "2**(x/3) * exp(-abs(y))",
        "atan(x*y) + asin(x/10) + acos(y/10)",
        "tan(x/4) - sinh(y/3)",
        "1/(x**2 + y**2 + 1)",
    ],
)
def test_formula_gradient_matches_central_differences(text):
    s = parse(text)
    for x in (0.3, 1.7, 2.9):  # x > 0 keeps x**y real
        for y in (-1.3, 0.4, 2.2):
            num = central_difference(s.f, x, y)
            ana = s.grad(x, y)
            assert ana == pytest.approx(num, rel=1e-6, abs=1e-6), (text, x, y)


def test_parsed_surface_fields():
    s = parse("x**2 + y**2")
    assert isinstance(s, Surface)
    assert s.name == "custom"
    assert s.title == "f(x, y) = x**2 + y**2"
    assert s.formula == "x**2 + y**2"
    assert s.domain == (-5.0, 5.0, -5.0, 5.0)
    assert s.start == pytest.approx((-3.5, 3.5))
    assert s.minima == ()
    assert s.log_color is False
    assert s.is_stochastic is False


def test_domain_and_start_keywords():
    s = parse("x + y", domain=(0, 10, -2, 2))
    assert s.domain == (0.0, 10.0, -2.0, 2.0)
    assert s.start == pytest.approx((1.5, 1.4))  # centre (5, 0) + 0.7·((0, 2) − (5, 0))
    s = parse("x + y", start=(1, 2))
    assert s.start == (1.0, 2.0)


@pytest.mark.parametrize(
    "domain, start",
    [((1, -1, 0, 1), None), ((0, 1, 0, math.inf), None), ((0, 1, 0), None), ((0, 1, 0, 1), (math.nan, 0))],
)
def test_bad_domain_or_start_is_a_value_error(domain, start):
    with pytest.raises(ValueError):
        parse("x", domain=domain, start=start)


def test_constant_formula_gives_arrays_of_the_input_shape():
    s = parse("3")
    X = np.zeros((4, 5))
    assert s.f(X, X).shape == (4, 5)
    assert np.all(s.f(X, X) == 3.0)
    gx, gy = s.grad(X, X)
    assert gx.shape == gy.shape == (4, 5)
    assert not gx.any() and not gy.any()
    assert s.f(1.0, 2.0) == 3.0
    assert s.grad(1.0, 2.0) == (0.0, 0.0)
    _, _, Z = s.grid(10, 7)
    assert Z.shape == (10, 7) and np.all(Z == 3.0)


def test_formula_of_x_only_broadcasts_over_y():
    s = parse("x**3")
    X = np.linspace(-1, 1, 6).reshape(2, 3)
    Y = np.full((2, 3), 5.0)
    assert np.allclose(s.f(X, Y), X**3)
    gx, gy = s.grad(X, Y)
    assert np.allclose(gx, 3 * X**2)
    assert gy.shape == (2, 3) and not gy.any()


def test_scalar_and_array_evaluation_agree():
    s = parse("sin(3*x)*exp(-y**2/4) + log(1 + x**2)*y - x**y")
    X = np.array([[0.5, 1.5], [2.5, 3.5]])
    Y = np.array([[-1.0, 0.25], [1.5, -2.0]])
    F = s.f(X, Y)
    GX, GY = s.grad(X, Y)
    for i in range(2):
        for j in range(2):
            x, y = float(X[i, j]), float(Y[i, j])
            assert isinstance(s.f(x, y), float)
            assert s.f(x, y) == pytest.approx(F[i, j], rel=1e-12)
            assert s.grad(x, y) == pytest.approx((GX[i, j], GY[i, j]), rel=1e-12)


@pytest.mark.parametrize(
    "text, point, check",
    [
        ("log(x)", (-1.0, 0.0), math.isnan),
        ("log(x)", (0.0, 0.0), lambda v: v == -math.inf),
        ("sqrt(x)", (-4.0, 0.0), math.isnan),
        ("1/x", (0.0, 0.0), lambda v: v == math.inf),
        ("exp(x)", (1000.0, 0.0), lambda v: v == math.inf),
        ("x**(1/3)", (-8.0, 0.0), math.isnan),
        ("asin(x)", (2.0, 0.0), math.isnan),
        ("sin(x)", (math.inf, 0.0), math.isnan),
    ],
)
def test_undefined_points_give_inf_or_nan_without_warnings(text, point, check):
    s = parse(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = s.f(*point)
        assert isinstance(v, float)
        assert check(v)
        arr = s.f(np.array([point[0]]), np.array([point[1]]))
        assert check(float(arr[0]))
        s.grad(*point)  # no exception, no warning


# --- refusals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, position, words",
    [
        ("__import__('os')", 0, "unknown function '__import__'"),
        ("__import__('os').system('ls')", 0, "attribute"),
        ("x.real", 0, "attribute"),
        ("x + y.real", 4, "attribute"),
        ("x[0]", 0, "indexing"),
        ("lambda: 1", 0, "lambda"),
        ("foo(x)", 0, "unknown function 'foo'"),
        ("2 * foo", 4, "unknown name 'foo'"),
        ("sin(x, y)", 0, "one argument"),
        ("sin()", 0, "one argument"),
        ("sin(x=1)", 4, "keyword"),
        ("'a'", 0, "quotes"),
        ("x + b'a'", 4, "quotes"),
        ("1j", 0, "complex"),
        ("x * 2j", 4, "complex"),
        ("[x]", 0, "list"),
        ("x if y else 1", 0, "conditional"),
        ("x < y", 0, "comparison"),
        ("x and y", 0, "and"),
        ("9**9**9", 1, "number too large"),
        ("10.0**400", 4, "number too large"),
        ("1e400", 0, "number too large"),
        ("x + " + "9" * 400, 4, "number too large"),
        ("open", 0, "unknown name 'open'"),
        ("os", 0, "unknown name 'os'"),
        ("__builtins__", 0, "unknown name '__builtins__'"),
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("x +", 3, "syntax"),
        ("(x + y", 0, "never closed"),
        ("x + y)", 5, "unmatched"),
        ("sin(x", 3, "never closed"),
        ("x ^ 2", 2, "**"),
        ("x % 2", 2, "'%'"),
        ("x // 2", 2, "'//'"),
        ("~x", 0, "'~'"),
        ("x, y", 0, "tuple"),
        ("(x := 1)", 1, "assignment"),
        ("True", 0, "'True'"),
        ("None", 0, "'None'"),
        ("sin", 0, "function"),
        ("x(2)", 0, "not a function"),
        ("(x)(2)", 1, "not a function"),
        ("(x + 1)(2)", 1, "named functions"),
        ("sin(*x)", 4, "unpacking"),
        ("f'{x}'", 0, "f-string"),
        ("{x: 1}", 0, "dictionar"),
        ("[i for i in x]", 0, "comprehension"),
        ("1/0", 1, "division by zero"),
        ("x/(2 - 2)", 1, "division by zero"),
        ("log(-1)", 0, "not a real number"),
        ("x\x00", 1, "control character"),
        ("é + x", 0, "unknown name 'é'"),
        ("ééé % 2", 4, "'%'"),  # AST columns are UTF-8 bytes; positions are characters
    ],
)
def test_forbidden_constructs_are_refused_with_position_and_reason(text, position, words):
    with pytest.raises(FormulaError) as info:
        parse(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.position == position, (text, err.position, err.reason)
    assert words in err.reason
    assert str(err) == f"col {position + 1}: {err.reason}"


def test_unknown_name_message_lists_what_is_allowed():
    with pytest.raises(FormulaError) as info:
        parse("x + foo")
    message = str(info.value)
    assert message.startswith("col 5: unknown name 'foo'; use x, y, pi, e and the functions sin, cos")
    for name in ("exp", "log", "sqrt", "abs", "tanh", "arctan"):
        assert name in message


def test_formula_error_without_position_is_just_the_reason():
    err = FormulaError("something", None)
    assert str(err) == "something" and err.position is None and err.reason == "something"


def test_huge_power_is_refused_quickly():
    for text in ("9**9**9", "9**9**9**9", "x + 10**10**10", "(x + 99**99**99)", "0.5**-9999999"):
        # refused by checking the exponent's size before computing anything
        with pytest.raises(FormulaError, match="number too large"):
            parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "x" + "+x" * 600,
        "(" * 300 + "x" + ")" * 300,
        "-" * 999 + "x",
        "sin(" * 150 + "x" + ")" * 150,
        "x" * 1001,
        "[" * 400 + "]" * 400,
        "x**" * 300 + "x",
    ],
)
def test_pathological_texts_are_refused_not_crashing(text):
    with pytest.raises(FormulaError):
        parse(text)


def test_long_text_is_refused_by_length():
    with pytest.raises(FormulaError, match="longer than 1000"):
        parse("x + " * 300)


def test_moderately_deep_formula_is_accepted():
    text = "sin(" * 40 + "x" + ")" * 40
    s = parse(text)
    v = 0.7
    for _ in range(40):
        v = math.sin(v)
    assert s.f(0.7, 0.0) == pytest.approx(v, rel=1e-12)


INJECTIONS = [
    "__import__('os').system('echo hacked')",
    "().__class__.__bases__[0].__subclasses__()",
    "eval('1')",
    "exec('x = 1')",
    "compile('1', '', 'eval')",
    "open('/etc/passwd').read()",
    "globals()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "lambda: __import__('os')",
    "getattr(x, 'real')",
    "x.__class__",
    "breakpoint()",
]


def test_nothing_is_evaluated_while_parsing_or_evaluating():
    """eval/exec/import/open raise and compile may only build ASTs while we parse."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args[:1])
        raise AssertionError("user text reached eval/exec/import/open")

    real = {name: getattr(builtins, name) for name in ("eval", "exec", "__import__", "open", "compile")}

    def ast_only_compile(source, filename, mode, flags=0, *args, **kwargs):
        # ast.parse is compile(..., flags=PyCF_ONLY_AST); anything else would make code
        if not flags & ast.PyCF_ONLY_AST:
            calls.append(("compile", source))
            raise AssertionError("user text was compiled to code")
        return real["compile"](source, filename, mode, flags, *args, **kwargs)

    outcomes = []
    for name in ("eval", "exec", "__import__", "open"):
        setattr(builtins, name, refuse)
    builtins.compile = ast_only_compile
    try:  # no pytest machinery in here: it may import while reporting
        for text in INJECTIONS:
            try:
                parse(text)
                outcomes.append((text, "accepted"))
            except FormulaError:
                outcomes.append((text, "refused"))
            except BaseException as exc:  # noqa: BLE001 - reported below
                outcomes.append((text, repr(exc)))
        s = parse("sin(x)*exp(-y**2) + log(abs(x) + 1)")
        values = [s.f(0.5, 0.5), s.grad(0.5, 0.5), s.f(np.ones(3), np.ones(3)), s.grad(np.ones(3), np.ones(3))]
    finally:
        for name, fn in real.items():
            setattr(builtins, name, fn)
    assert calls == []
    assert outcomes == [(text, "refused") for text in INJECTIONS]
    assert values[0] == pytest.approx(math.sin(0.5) * math.exp(-0.25) + math.log(1.5))


def test_gradient_text_shows_the_simplified_derivatives():
    dx, dy = gradient_text("x**2*y + 3")
    # evaluate the rendered derivative with the parser itself: 2xy and x²
    assert parse(dx).f(3.0, 2.0) == pytest.approx(12.0)
    assert parse(dy).f(3.0, 2.0) == pytest.approx(9.0)
    assert gradient_text("5") == ("0.0", "0.0")
    assert gradient_text("x") == ("1.0", "0.0")


def test_chain_rule_terms_vanish_where_the_inner_derivative_is_zero():
    # the cone √(x² + y²) has no gradient at its tip; like Ackley, report 0, not nan
    s = parse("sqrt(x**2 + y**2)")
    assert s.grad(0.0, 0.0) == (0.0, 0.0)
    gx, gy = s.grad(np.zeros(2), np.zeros(2))
    assert not gx.any() and not gy.any()
    # x**y at x = 0, y = 2: ∂/∂x = y·x^(y−1) = 0 and ∂/∂y = x^y·ln x → 0 (0^y ≡ 0 for y > 0)
    assert parse("x**y").grad(0.0, 2.0) == (0.0, 0.0)
    # and away from those points the ordinary values: ∂(x^y)/∂y = x^y ln x
    assert parse("x**y").grad(2.0, 3.0) == pytest.approx((12.0, 8 * math.log(2.0)))
