"""The surfaces package: registry names, get, resolve and exports."""

from __future__ import annotations

import pytest

from optilab import surfaces

EXPECTED_NAMES = [
    "bowl",
    "ill-conditioned",
    "rosenbrock",
    "beale",
    "himmelblau",
    "saddle",
    "monkey-saddle",
    "rastrigin",
    "ackley",
    "booth",
    "goldstein-price",
    "six-hump-camel",
    "least-squares",
]


def test_names_are_the_registry_in_order():
    assert surfaces.names() == EXPECTED_NAMES


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_get_returns_the_named_surface(name):
    s = surfaces.get(name)
    assert isinstance(s, surfaces.Surface)
    assert s.name == name


def test_unknown_name_error_lists_the_choices():
    with pytest.raises(ValueError) as info:
        surfaces.get("foo")
    message = str(info.value)
    assert message.startswith("unknown surface 'foo'; choose one of: bowl, ill-conditioned, ")
    for name in EXPECTED_NAMES:
        assert name in message


def test_resolve_prefers_registry_names():
    assert surfaces.resolve("rosenbrock") is surfaces.get("rosenbrock")
    assert surfaces.resolve(" Bowl ") is surfaces.get("bowl")
    assert surfaces.resolve("least-squares") is surfaces.get("least-squares")


def test_resolve_parses_anything_else():
    s = surfaces.resolve("x**2 + 3*sin(y)")
    assert s.name == "custom"
    assert s.f(2.0, 0.0) == pytest.approx(4.0)
    assert surfaces.resolve("x").f(3.0, 1.0) == 3.0
    assert surfaces.resolve("e").f(0.0, 0.0) == pytest.approx(2.718281828459045)


def test_resolve_of_a_misspelt_name_suggests_the_registry():
    with pytest.raises(surfaces.FormulaError) as info:
        surfaces.resolve("rosenbrok")
    assert "unknown surface 'rosenbrok'" in str(info.value)
    assert "rosenbrock" in str(info.value) and "formula" in str(info.value)


def test_resolve_passes_formula_errors_on():
    with pytest.raises(surfaces.FormulaError) as info:
        surfaces.resolve("x + foo(y)")
    assert info.value.position == 4


def test_public_api_is_exported():
    for name in ("Surface", "get", "names", "resolve", "parse", "FormulaError", "least_squares", "LeastSquaresSurface"):
        assert hasattr(surfaces, name)
        assert name in surfaces.__all__
    assert issubclass(surfaces.FormulaError, ValueError)
    assert issubclass(surfaces.LeastSquaresSurface, surfaces.Surface)


def test_defined_at_says_where_f_is_a_finite_number():
    log_surface = surfaces.parse("log(x) + y**2")
    assert log_surface.defined_at(1.0, 0.0)          # log 1 + 0 = 0
    assert not log_surface.defined_at(-1.0, 0.0)     # log of a negative number
    assert not log_surface.defined_at(0.0, 0.0)      # log 0 = −∞
    bowl = surfaces.get("bowl")
    assert bowl.defined_at(-7.0, 2.0)
    assert not bowl.defined_at(float("nan"), 0.0)
    assert not bowl.defined_at(float("inf"), 0.0)
