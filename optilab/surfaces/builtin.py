"""The built-in test surfaces (docs/equations.md#surfaces), each with a hand-derived gradient.

Every ``f`` and ``gradient`` is written once, with plain operators, so the same
line works on Python floats (fast: the trajectory engine calls them thousands
of times per run) and on numpy arrays of any common shape (for plotting).
Surfaces that need ``cos``/``exp``/``sqrt`` pick the ``math`` module for real
scalars and ``numpy`` otherwise (see `_lib`), so scalars stay cheap without
writing the equation twice.

======================  ==================================================  =============
name                    f(x, y)                                             minimum
======================  ==================================================  =============
bowl                    x²/20 + y²  (the book's ch. 6 function)              (0, 0), f = 0
ill-conditioned         ½(λ₁u² + λ₂v²), (u, v) = (x, y) rotated by −30°,    (0, 0), f = 0
                        λ₁ = 0.05, λ₂ = 5 (κ = 100)
rosenbrock              (1 − x)² + 100(y − x²)²                              (1, 1), f = 0
beale                   (1.5 − x + xy)² + (2.25 − x + xy²)²                  (3, 0.5), f = 0
                        + (2.625 − x + xy³)²
himmelblau              (x² + y − 11)² + (x + y² − 7)²                       4 minima, f = 0
saddle                  x² − y²                                              none
monkey-saddle           x³ − 3xy²                                            none
rastrigin               20 + (x² − 10 cos 2πx) + (y² − 10 cos 2πy)          (0, 0), f = 0
ackley                  −20 exp(−0.2 √(½(x² + y²)))                          (0, 0), f = 0
                        − exp(½(cos 2πx + cos 2πy)) + e + 20
booth                   (x + 2y − 7)² + (2x + y − 5)²                        (1, 3), f = 0
goldstein-price         [1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]    (0, −1), f = 3
                        × [30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]
six-hump-camel          (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²             (±0.0898, ∓0.7126),
                                                                             f = −1.0316
======================  ==================================================  =============

The ``formula`` of each surface is written in the syntax of
`optilab.surfaces.formula.parse`, so a user can copy it into the custom box.
"""

from __future__ import annotations

import math

import numpy as np

from .base import Surface

__all__ = [
    "ACKLEY",
    "BEALE",
    "BOOTH",
    "BOWL",
    "BUILTIN",
    "GOLDSTEIN_PRICE",
    "HIMMELBLAU",
    "ILL_CONDITIONED",
    "MONKEY_SADDLE",
    "RASTRIGIN",
    "ROSENBROCK",
    "SADDLE",
    "SIX_HUMP_CAMEL",
]

_TWO_PI = 2.0 * math.pi


def _lib(x, y):
    """``math`` for two real scalars (fast), ``numpy`` for anything else (vectorised)."""
    if isinstance(x, (float, int)) and isinstance(y, (float, int)):
        return math
    return np


# --- bowl (the book's f(x, y) = x²/20 + y²) -----------------------------------------


def _bowl(x, y):
    """f = x²/20 + y²."""
    return x * x / 20.0 + y * y


def _bowl_grad(x, y):
    """∇f = (x/10, 2y)."""
    return x / 10.0, 2.0 * y


BOWL = Surface(
    name="bowl",
    title="Bowl (book)",
    formula="x**2/20 + y**2",
    domain=(-10.0, 10.0, -5.0, 5.0),
    minima=((0.0, 0.0),),
    start=(-7.0, 2.0),
    log_color=False,
    func=_bowl,
    gradient=_bowl_grad,
)

# --- ill-conditioned quadratic --------------------------------------------------------
#
# f = ½(λ₁u² + λ₂v²) with u = x cos θ + y sin θ, v = −x sin θ + y cos θ, θ = −30°:
# the shallow axis u runs from the upper left to the lower right, close to the
# start (−4, 3), so gradient descent zig-zags across the steep axis v while
# crawling along u.  Expanded, f = a x² + b xy + c y² with the constants below,
# and ∇f = H (x, y) with H = [[2a, b], [b, 2c]] (eigenvalues λ₁, λ₂).

_IC_THETA = -math.pi / 6.0  # −30°
_IC_L1, _IC_L2 = 0.05, 5.0  # Hessian eigenvalues: κ = λ₂/λ₁ = 100
_c, _s = math.cos(_IC_THETA), math.sin(_IC_THETA)
_IC_A = 0.5 * (_IC_L1 * _c * _c + _IC_L2 * _s * _s)  # coefficient of x²
_IC_B = (_IC_L1 - _IC_L2) * _c * _s  # coefficient of xy
_IC_C = 0.5 * (_IC_L1 * _s * _s + _IC_L2 * _c * _c)  # coefficient of y²
del _c, _s


def _ill(x, y):
    """f = a x² + b xy + c y² = ½(λ₁u² + λ₂v²) (see the comment above)."""
    return _IC_A * x * x + _IC_B * x * y + _IC_C * y * y


def _ill_grad(x, y):
    """∇f = (2a x + b y, b x + 2c y)."""
    return 2.0 * _IC_A * x + _IC_B * y, _IC_B * x + 2.0 * _IC_C * y


ILL_CONDITIONED = Surface(
    name="ill-conditioned",
    title="Ill-conditioned quadratic (κ = 100)",
    formula=(
        "0.5*(0.05*(x*cos(pi/6) - y*sin(pi/6))**2 + 5*(x*sin(pi/6) + y*cos(pi/6))**2)"
    ),
    domain=(-5.0, 5.0, -5.0, 5.0),
    minima=((0.0, 0.0),),
    start=(-4.0, 3.0),
    log_color=False,
    func=_ill,
    gradient=_ill_grad,
)

# --- Rosenbrock ----------------------------------------------------------------------


def _rosenbrock(x, y):
    """f = (1 − x)² + 100(y − x²)²."""
    a = 1.0 - x
    b = y - x * x
    return a * a + 100.0 * b * b


def _rosenbrock_grad(x, y):
    """∂f/∂x = −2(1 − x) − 400x(y − x²), ∂f/∂y = 200(y − x²)."""
    b = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * b, 200.0 * b


ROSENBROCK = Surface(
    name="rosenbrock",
    title="Rosenbrock",
    formula="(1 - x)**2 + 100*(y - x**2)**2",
    domain=(-2.0, 2.0, -1.0, 3.0),
    minima=((1.0, 1.0),),
    start=(-1.5, 2.0),
    log_color=True,
    func=_rosenbrock,
    gradient=_rosenbrock_grad,
)

# --- Beale ----------------------------------------------------------------------------


def _beale(x, y):
    """f = a² + b² + c², a = 1.5 − x + xy, b = 2.25 − x + xy², c = 2.625 − x + xy³."""
    y2 = y * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y2 * y
    return a * a + b * b + c * c


def _beale_grad(x, y):
    """∂f/∂x = 2a(y − 1) + 2b(y² − 1) + 2c(y³ − 1), ∂f/∂y = 2a·x + 2b·2xy + 2c·3xy²."""
    y2 = y * y
    y3 = y2 * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y3
    gx = 2.0 * (a * (y - 1.0) + b * (y2 - 1.0) + c * (y3 - 1.0))
    gy = 2.0 * x * (a + 2.0 * b * y + 3.0 * c * y2)
    return gx, gy


BEALE = Surface(
    name="beale",
    title="Beale",
    formula="(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
    domain=(-4.5, 4.5, -4.5, 4.5),
    minima=((3.0, 0.5),),
    start=(1.0, 1.5),
    log_color=True,
    func=_beale,
    gradient=_beale_grad,
)

# --- Himmelblau -----------------------------------------------------------------------


def _himmelblau(x, y):
    """f = a² + b², a = x² + y − 11, b = x + y² − 7."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return a * a + b * b


def _himmelblau_grad(x, y):
    """∂f/∂x = 4xa + 2b, ∂f/∂y = 2a + 4yb."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


HIMMELBLAU = Surface(
    name="himmelblau",
    title="Himmelblau",
    formula="(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    domain=(-5.0, 5.0, -5.0, 5.0),
    # (3, 2) is exact; the other three are roots of a cubic (Himmelblau 1972).
    minima=(
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.283185991286169),
        (3.5844283403304917, -1.8481265269644036),
    ),
    start=(0.0, 0.0),
    log_color=False,
    func=_himmelblau,
    gradient=_himmelblau_grad,
)

# --- saddles ---------------------------------------------------------------------------


def _saddle(x, y):
    """f = x² − y²."""
    return x * x - y * y


def _saddle_grad(x, y):
    """∇f = (2x, −2y)."""
    return 2.0 * x, -2.0 * y


SADDLE = Surface(
    name="saddle",
    title="Saddle",
    formula="x**2 - y**2",
    domain=(-2.0, 2.0, -2.0, 2.0),
    minima=(),
    start=(-1.5, 1e-3),
    log_color=False,
    func=_saddle,
    gradient=_saddle_grad,
)


def _monkey(x, y):
    """f = x³ − 3xy²."""
    return x * x * x - 3.0 * x * y * y


def _monkey_grad(x, y):
    """∇f = (3x² − 3y², −6xy)."""
    return 3.0 * (x * x - y * y), -6.0 * x * y


MONKEY_SADDLE = Surface(
    name="monkey-saddle",
    title="Monkey saddle",
    formula="x**3 - 3*x*y**2",
    domain=(-2.0, 2.0, -2.0, 2.0),
    minima=(),
    start=(1.0, 0.1),
    log_color=False,
    func=_monkey,
    gradient=_monkey_grad,
)

# --- Rastrigin -------------------------------------------------------------------------


def _rastrigin(x, y):
    """f = 20 + (x² − 10 cos 2πx) + (y² − 10 cos 2πy)."""
    m = _lib(x, y)
    return 20.0 + x * x - 10.0 * m.cos(_TWO_PI * x) + y * y - 10.0 * m.cos(_TWO_PI * y)


def _rastrigin_grad(x, y):
    """∂f/∂x = 2x + 20π sin 2πx (and likewise in y)."""
    m = _lib(x, y)
    k = 10.0 * _TWO_PI
    return 2.0 * x + k * m.sin(_TWO_PI * x), 2.0 * y + k * m.sin(_TWO_PI * y)


RASTRIGIN = Surface(
    name="rastrigin",
    title="Rastrigin",
    formula="20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
    domain=(-5.12, 5.12, -5.12, 5.12),
    minima=((0.0, 0.0),),
    start=(3.3, 2.9),
    log_color=False,
    func=_rastrigin,
    gradient=_rastrigin_grad,
)

# --- Ackley ----------------------------------------------------------------------------


def _ackley(x, y):
    """f = −20 exp(−0.2 r) − exp(½(cos 2πx + cos 2πy)) + e + 20, r = √(½(x² + y²))."""
    m = _lib(x, y)
    r = m.sqrt(0.5 * (x * x + y * y))
    return (
        -20.0 * m.exp(-0.2 * r)
        - m.exp(0.5 * (m.cos(_TWO_PI * x) + m.cos(_TWO_PI * y)))
        + math.e
        + 20.0
    )


def _ackley_grad(x, y):
    """∂f/∂x = 2x exp(−0.2 r)/r + π sin(2πx) exp(½(cos 2πx + cos 2πy)), likewise in y.

    The first term is the derivative of the cone −20 exp(−0.2 r): 4 exp(−0.2 r) ∂r/∂x
    with ∂r/∂x = x/(2r).  At the origin the cone has no gradient (its limit
    depends on the direction); by symmetry we return 0 there, never NaN.
    """
    m = _lib(x, y)
    r = m.sqrt(0.5 * (x * x + y * y))
    e_cos = m.exp(0.5 * (m.cos(_TWO_PI * x) + m.cos(_TWO_PI * y)))
    if m is math:
        cone = 2.0 * math.exp(-0.2 * r) / r if r > 0.0 else 0.0
    else:
        r_safe = np.where(r > 0.0, r, 1.0)
        cone = np.where(r > 0.0, 2.0 * np.exp(-0.2 * r) / r_safe, 0.0)
    return (
        cone * x + math.pi * m.sin(_TWO_PI * x) * e_cos,
        cone * y + math.pi * m.sin(_TWO_PI * y) * e_cos,
    )


ACKLEY = Surface(
    name="ackley",
    title="Ackley",
    formula=(
        "-20*exp(-0.2*sqrt(0.5*(x**2 + y**2)))"
        " - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20"
    ),
    domain=(-5.0, 5.0, -5.0, 5.0),
    minima=((0.0, 0.0),),
    start=(3.0, 3.5),
    log_color=False,
    func=_ackley,
    gradient=_ackley_grad,
)

# --- Booth -----------------------------------------------------------------------------


def _booth(x, y):
    """f = a² + b², a = x + 2y − 7, b = 2x + y − 5."""
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return a * a + b * b


def _booth_grad(x, y):
    """∇f = (2a + 4b, 4a + 2b)."""
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b


BOOTH = Surface(
    name="booth",
    title="Booth",
    formula="(x + 2*y - 7)**2 + (2*x + y - 5)**2",
    domain=(-10.0, 10.0, -10.0, 10.0),
    minima=((1.0, 3.0),),
    start=(-8.0, 8.0),
    log_color=False,
    func=_booth,
    gradient=_booth_grad,
)

# --- Goldstein–Price --------------------------------------------------------------------
#
# f = P·Q with P = 1 + s²A, s = x + y + 1, A = 19 − 14x + 3x² − 14y + 6xy + 3y²
#          and Q = 30 + t²B, t = 2x − 3y, B = 18 − 32x + 12x² + 48y − 36xy + 27y².
# ∂A/∂x = ∂A/∂y = −14 + 6x + 6y, so ∂P/∂x = ∂P/∂y = 2sA + s²(−14 + 6x + 6y);
# ∂Q/∂x = 4tB + t²(−32 + 24x − 36y), ∂Q/∂y = −6tB + t²(48 − 36x + 54y).


def _gp_parts(x, y):
    s = x + y + 1.0
    t = 2.0 * x - 3.0 * y
    A = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    B = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    return s, t, A, B


def _goldstein_price(x, y):
    """f = [1 + s²A]·[30 + t²B] (see the comment above)."""
    s, t, A, B = _gp_parts(x, y)
    return (1.0 + s * s * A) * (30.0 + t * t * B)


def _goldstein_price_grad(x, y):
    """∇f = (P_x Q + P Q_x, P_y Q + P Q_y) (see the comment above)."""
    s, t, A, B = _gp_parts(x, y)
    P = 1.0 + s * s * A
    Q = 30.0 + t * t * B
    P_xy = 2.0 * s * A + s * s * (-14.0 + 6.0 * x + 6.0 * y)
    Q_x = 4.0 * t * B + t * t * (-32.0 + 24.0 * x - 36.0 * y)
    Q_y = -6.0 * t * B + t * t * (48.0 - 36.0 * x + 54.0 * y)
    return P_xy * Q + P * Q_x, P_xy * Q + P * Q_y


GOLDSTEIN_PRICE = Surface(
    name="goldstein-price",
    title="Goldstein–Price",
    formula=(
        "(1 + (x + y + 1)**2*(19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2))"
        "*(30 + (2*x - 3*y)**2*(18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2))"
    ),
    domain=(-2.0, 2.0, -2.0, 2.0),
    minima=((0.0, -1.0),),
    start=(1.5, 1.5),
    log_color=True,
    func=_goldstein_price,
    gradient=_goldstein_price_grad,
)

# --- six-hump camel ---------------------------------------------------------------------


def _camel(x, y):
    """f = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²."""
    x2 = x * x
    y2 = y * y
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2


def _camel_grad(x, y):
    """∂f/∂x = 8x − 8.4x³ + 2x⁵ + y, ∂f/∂y = x − 8y + 16y³."""
    x2 = x * x
    return (
        x * (8.0 - 8.4 * x2 + 2.0 * x2 * x2) + y,
        x + y * (-8.0 + 16.0 * y * y),
    )


SIX_HUMP_CAMEL = Surface(
    name="six-hump-camel",
    title="Six-hump camel",
    formula="(4 - 2.1*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2",
    domain=(-3.0, 3.0, -2.0, 2.0),
    minima=(
        (0.08984201310031807, -0.7126564030207396),
        (-0.08984201310031807, 0.7126564030207396),
    ),
    start=(-2.0, 1.5),
    log_color=False,
    func=_camel,
    gradient=_camel_grad,
)

#: The deterministic built-ins in registry order.
BUILTIN: tuple[Surface, ...] = (
    BOWL,
    ILL_CONDITIONED,
    ROSENBROCK,
    BEALE,
    HIMMELBLAU,
    SADDLE,
    MONKEY_SADDLE,
    RASTRIGIN,
    ACKLEY,
    BOOTH,
    GOLDSTEIN_PRICE,
    SIX_HUMP_CAMEL,
)
