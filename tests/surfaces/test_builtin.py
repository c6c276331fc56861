"""Built-in surfaces: gradients vs central differences, known values, the table of docs/equations.md#surfaces."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import surfaces
from optilab.surfaces import builtin

BUILTIN_NAMES = [
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
]

# docs/equations.md#surfaces: domain, start, log colouring.
SURFACE_TABLE = {
    "bowl": ((-10, 10, -5, 5), (-7, 2), False),
    "ill-conditioned": ((-5, 5, -5, 5), (-4, 3), False),
    "rosenbrock": ((-2, 2, -1, 3), (-1.5, 2), True),
    "beale": ((-4.5, 4.5, -4.5, 4.5), (1, 1.5), True),
    "himmelblau": ((-5, 5, -5, 5), (0, 0), False),
    "saddle": ((-2, 2, -2, 2), (-1.5, 1e-3), False),
    "monkey-saddle": ((-2, 2, -2, 2), (1, 0.1), False),
    "rastrigin": ((-5.12, 5.12, -5.12, 5.12), (3.3, 2.9), False),
    "ackley": ((-5, 5, -5, 5), (3, 3.5), False),
    "booth": ((-10, 10, -10, 10), (-8, 8), False),
    "goldstein-price": ((-2, 2, -2, 2), (1.5, 1.5), True),
    "six-hump-camel": ((-3, 3, -2, 2), (-2, 1.5), False),
}

# Known minima and their values, from the literature (not from the code).
KNOWN_MINIMA = {
    "bowl": ([(0, 0)], 0.0),
    "ill-conditioned": ([(0, 0)], 0.0),
    "rosenbrock": ([(1, 1)], 0.0),
    "beale": ([(3, 0.5)], 0.0),
    "himmelblau": ([(3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)], 0.0),
    "saddle": ([], None),
    "monkey-saddle": ([], None),
    "rastrigin": ([(0, 0)], 0.0),
    "ackley": ([(0, 0)], 0.0),
    "booth": ([(1, 3)], 0.0),
    "goldstein-price": ([(0, -1)], 3.0),
    "six-hump-camel": ([(0.0898, -0.7126), (-0.0898, 0.7126)], -1.0316),
}


def grid_points(surface, n=8):
    """n×n points strictly inside the domain, off the symmetric points (origin, axes)."""
    xmin, xmax, ymin, ymax = surface.domain
    fr = (np.arange(n) + 0.37) / n
    xs = xmin + fr * (xmax - xmin)
    ys = ymin + fr[::-1] * (ymax - ymin)
    return [(float(x), float(y)) for x in xs for y in ys]


def central_difference(f, x, y, h):
    gx = (f(x + h, y) - f(x - h, y)) / (2 * h)
    gy = (f(x, y + h) - f(x, y - h)) / (2 * h)
    return gx, gy


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_analytic_gradient_matches_central_differences(name):
    s = surfaces.get(name)
    points = grid_points(s)
    assert len(points) >= 50
    for x, y in points:
        h = 1e-5 * max(1.0, abs(x), abs(y))
        num = central_difference(s.f, x, y, h)
        ana = s.grad(x, y)
        fval = abs(s.f(x, y))
        for a, n in zip(ana, num, strict=True):
            # relative 1e-5, plus the rounding error of the difference (~eps·|f|/h)
            assert abs(a - n) <= 1e-5 * abs(n) + 1e-9 * (1 + fval), (name, x, y, ana, num)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_table_matches_spec(name):
    s = surfaces.get(name)
    domain, start, log_color = SURFACE_TABLE[name]
    assert s.name == name
    assert s.domain == pytest.approx(domain)
    assert s.start == pytest.approx(start)
    assert s.log_color is log_color
    assert s.title and s.formula
    xmin, xmax, ymin, ymax = s.domain
    for x, y in (s.start, *s.minima):
        assert xmin <= x <= xmax and ymin <= y <= ymax


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_minima_are_the_known_ones_with_zero_gradient(name):
    s = surfaces.get(name)
    known, value = KNOWN_MINIMA[name]
    assert len(s.minima) == len(known)
    for (x, y), (kx, ky) in zip(sorted(s.minima), sorted(known), strict=True):
        assert x == pytest.approx(kx, abs=1e-4) and y == pytest.approx(ky, abs=1e-4)
        assert s.f(x, y) == pytest.approx(value, abs=1e-4)
        gx, gy = s.grad(x, y)
        assert abs(gx) < 1e-6 and abs(gy) < 1e-6
        # and it is a local minimum: no lower value nearby
        for dx, dy in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3), (7e-4, 7e-4), (-7e-4, 7e-4)):
            assert s.f(x + dx, y + dy) > s.f(x, y)


def test_six_hump_camel_minimum_value_to_literature_precision():
    s = surfaces.get("six-hump-camel")
    for x, y in s.minima:
        assert s.f(x, y) == pytest.approx(-1.0316284534898, abs=1e-12)


def test_goldstein_price_minimum_is_exactly_three():
    assert surfaces.get("goldstein-price").f(0.0, -1.0) == 3.0


@pytest.mark.parametrize(
    "name, point, expected",
    [
        ("bowl", (-7, 2), 49 / 20 + 4),
        ("bowl", (10, -5), 100 / 20 + 25),
        ("rosenbrock", (0, 0), 1.0),
        ("rosenbrock", (-1.5, 2), 2.5**2 + 100 * (2 - 2.25) ** 2),
        ("beale", (0, 0), 1.5**2 + 2.25**2 + 2.625**2),
        ("beale", (1, 1), 1.5**2 + 2.25**2 + 2.625**2),
        ("himmelblau", (0, 0), 121 + 49),
        ("saddle", (1, 2), -3),
        ("monkey-saddle", (1, 2), 1 - 12),
        ("rastrigin", (1, 1), 20 + 1 - 10 + 1 - 10),
        ("rastrigin", (0.5, 0), 20 + 0.25 + 10 - 10),
        ("ackley", (1, 0), 20 * (1 - math.exp(-0.2 * math.sqrt(0.5)))),
        ("ackley", (0.5, 0.5), -20 * math.exp(-0.1) - math.exp(-1) + math.e + 20),
        ("booth", (0, 0), 49 + 25),
        ("goldstein-price", (0, 0), 20 * 30),
        ("goldstein-price", (1, 1), (1 + 9 * 3) * (30 + 1 * 37)),  # A = 3, B = 37
        ("six-hump-camel", (1, 0), 4 - 2.1 + 1 / 3),
        ("six-hump-camel", (0, 1), 0.0),
        ("six-hump-camel", (1, 1), 4 - 2.1 + 1 / 3 + 1 + 0),
    ],
)
def test_values_at_hand_computed_points(name, point, expected):
    assert surfaces.get(name).f(*point) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "name, point, expected",
    [
        ("bowl", (-7, 2), (-0.7, 4)),
        ("rosenbrock", (0, 0), (-2, 0)),
        ("saddle", (1, 2), (2, -4)),
        ("monkey-saddle", (1, 2), (3 - 12, -12)),
        ("booth", (0, 0), (2 * -7 + 4 * -5, 4 * -7 + 2 * -5)),
        ("rastrigin", (0.25, 0), (0.5 + 20 * math.pi, 0)),
        ("six-hump-camel", (1, 1), (8 - 8.4 + 2 + 1, 1 - 8 + 16)),
        ("himmelblau", (0, 0), (2 * -7, 2 * -11)),
    ],
)
def test_gradients_at_hand_computed_points(name, point, expected):
    assert surfaces.get(name).grad(*point) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_ill_conditioned_has_eigenvalues_005_and_5_rotated_by_minus_30_degrees():
    s = surfaces.get("ill-conditioned")
    c, sn = math.cos(math.radians(30)), math.sin(math.radians(30))
    shallow = (c, -sn)  # the u axis for θ = −30°
    steep = (sn, c)
    for t in (0.5, -2.0, 3.0):
        assert s.f(t * shallow[0], t * shallow[1]) == pytest.approx(0.5 * 0.05 * t * t, rel=1e-12)
        assert s.f(t * steep[0], t * steep[1]) == pytest.approx(0.5 * 5.0 * t * t, rel=1e-12)
    # Hessian by differences of the gradient; condition number 100
    h = 1e-4
    H = np.array(
        [
            np.subtract(s.grad(h, 0.0), s.grad(-h, 0.0)) / (2 * h),
            np.subtract(s.grad(0.0, h), s.grad(0.0, -h)) / (2 * h),
        ]
    )
    eig = np.linalg.eigvalsh((H + H.T) / 2)
    assert eig == pytest.approx([0.05, 5.0], rel=1e-8)
    assert eig[1] / eig[0] == pytest.approx(100.0)


def test_ackley_gradient_at_the_origin_is_zero_not_nan():
    s = surfaces.get("ackley")
    assert s.grad(0.0, 0.0) == (0.0, 0.0)
    assert s.grad(0, 0) == (0.0, 0.0)
    xs = np.array([[0.0, 1.0], [0.0, -2.0]])
    ys = np.array([[0.0, 0.5], [1.0, 0.0]])
    with np.errstate(all="raise"):  # no 0/0 anywhere, even masked
        gx, gy = s.grad(xs, ys)
    assert gx[0, 0] == 0.0 and gy[0, 0] == 0.0
    assert np.all(np.isfinite(gx)) and np.all(np.isfinite(gy))
    assert s.f(0.0, 0.0) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_scalar_and_array_evaluation_agree(name):
    s = surfaces.get(name)
    rng = np.random.default_rng(1)
    xmin, xmax, ymin, ymax = s.domain
    X = rng.uniform(xmin, xmax, size=(3, 4))
    Y = rng.uniform(ymin, ymax, size=(3, 4))
    F = s.f(X, Y)
    GX, GY = s.grad(X, Y)
    assert np.shape(F) == np.shape(GX) == np.shape(GY) == (3, 4)
    for i in range(3):
        for j in range(4):
            x, y = float(X[i, j]), float(Y[i, j])
            fx = s.f(x, y)
            assert isinstance(fx, float)
            assert fx == pytest.approx(F[i, j], rel=1e-12, abs=1e-12)
            gx, gy = s.grad(x, y)
            assert isinstance(gx, float) and isinstance(gy, float)
            assert gx == pytest.approx(GX[i, j], rel=1e-12, abs=1e-12)
            assert gy == pytest.approx(GY[i, j], rel=1e-12, abs=1e-12)
    # numpy scalars and 1-D arrays work too
    assert float(s.f(np.float64(X[0, 0]), np.float64(Y[0, 0]))) == pytest.approx(F[0, 0], rel=1e-12, abs=1e-12)
    assert s.f(X[0], Y[0]) == pytest.approx(F[0], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_grid_has_the_domain_shape_and_finite_values(name):
    _, _, Z = surfaces.get(name).grid(30, 20)
    assert Z.shape == (30, 20)
    assert np.all(np.isfinite(Z))


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_formula_text_parses_to_the_same_surface(name):
    """Two independent implementations (hand-written and parsed) must agree."""
    s = surfaces.get(name)
    p = surfaces.parse(s.formula)
    for x, y in grid_points(s, 6):
        assert p.f(x, y) == pytest.approx(s.f(x, y), rel=1e-9, abs=1e-9)
        assert p.grad(x, y) == pytest.approx(s.grad(x, y), rel=1e-7, abs=1e-7)


def test_log_colored_surfaces_are_beale_rosenbrock_goldstein_price():
    logged = {s.name for s in builtin.BUILTIN if s.log_color}
    assert logged == {"beale", "rosenbrock", "goldstein-price"}


