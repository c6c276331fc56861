"""The built-in test surfaces (docs/equations.md#surfaces), each with a hand-derived gradient.

Every ``f``, ``gradient`` and Hessian (``curvature``: f_xx, f_xy, f_yy, for
Newton's method) is written once, with plain operators, so the same line works
on Python floats (fast: the trajectory engine calls them thousands of times per
run) and on numpy arrays of any common shape (for plotting).  Rastrigin, Ackley,
Goldstein–Price and the six-hump camel live in `optilab.surfaces.builtin_multimodal`.

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

from .base import Surface
from .builtin_multimodal import ACKLEY, GOLDSTEIN_PRICE, RASTRIGIN, SIX_HUMP_CAMEL

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

# --- bowl (the book's f(x, y) = x²/20 + y²) -----------------------------------------


def _bowl(x, y):
    """f = x²/20 + y²."""
    return x * x / 20.0 + y * y


def _bowl_grad(x, y):
    """∇f = (x/10, 2y)."""
    return x / 10.0, 2.0 * y


def _bowl_hess(x, y):
    """∇²f = [[1/10, 0], [0, 2]] (constant)."""
    return 0.1, 0.0, 2.0


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
    curvature=_bowl_hess,
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


def _ill_hess(x, y):
    """∇²f = [[2a, b], [b, 2c]] (constant; eigenvalues λ₁ = 0.05, λ₂ = 5)."""
    return 2.0 * _IC_A, _IC_B, 2.0 * _IC_C


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
    curvature=_ill_hess,
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


def _rosenbrock_hess(x, y):
    """f_xx = 2 − 400(y − x²) + 800x² = 2 − 400y + 1200x², f_xy = −400x, f_yy = 200."""
    return 2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x, 200.0


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
    curvature=_rosenbrock_hess,
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


def _beale_hess(x, y):
    """f = a² + b² + c² gives f_ij = 2 Σ (u_i u_j + u u_ij) over u = a, b, c, with
    a_x = y − 1, a_y = x, a_xy = 1; b_x = y² − 1, b_y = 2xy, b_xy = 2y, b_yy = 2x;
    c_x = y³ − 1, c_y = 3xy², c_xy = 3y², c_yy = 6xy (and u_xx = 0, a_yy = 0)."""
    y2 = y * y
    y3 = y2 * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y3
    ax, bx, cx = y - 1.0, y2 - 1.0, y3 - 1.0
    ay, by, cy = x, 2.0 * x * y, 3.0 * x * y2
    fxx = 2.0 * (ax * ax + bx * bx + cx * cx)
    fxy = 2.0 * (ax * ay + a + bx * by + 2.0 * b * y + cx * cy + 3.0 * c * y2)
    fyy = 2.0 * (ay * ay + by * by + 2.0 * b * x + cy * cy + 6.0 * c * x * y)
    return fxx, fxy, fyy


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
    curvature=_beale_hess,
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


def _himmelblau_hess(x, y):
    """f_xx = 4a + 8x² + 2, f_xy = 4x + 4y, f_yy = 2 + 4b + 8y²."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * a + 8.0 * x * x + 2.0, 4.0 * (x + y), 2.0 + 4.0 * b + 8.0 * y * y


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
    curvature=_himmelblau_hess,
)

# --- saddles ---------------------------------------------------------------------------


def _saddle(x, y):
    """f = x² − y²."""
    return x * x - y * y


def _saddle_grad(x, y):
    """∇f = (2x, −2y)."""
    return 2.0 * x, -2.0 * y


def _saddle_hess(x, y):
    """∇²f = [[2, 0], [0, −2]] (constant, indefinite: the saddle at (0, 0))."""
    return 2.0, 0.0, -2.0


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
    curvature=_saddle_hess,
)


def _monkey(x, y):
    """f = x³ − 3xy²."""
    return x * x * x - 3.0 * x * y * y


def _monkey_grad(x, y):
    """∇f = (3x² − 3y², −6xy)."""
    return 3.0 * (x * x - y * y), -6.0 * x * y


def _monkey_hess(x, y):
    """∇²f = [[6x, −6y], [−6y, −6x]] (zero at the origin: a degenerate saddle)."""
    return 6.0 * x, -6.0 * y, -6.0 * x


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
    curvature=_monkey_hess,
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


def _booth_hess(x, y):
    """∇²f = [[10, 8], [8, 10]] (constant; eigenvalues 2 and 18)."""
    return 10.0, 8.0, 10.0


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
    curvature=_booth_hess,
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
