"""The built-in surfaces with many local minima or steep walls (docs/equations.md#surfaces):
Rastrigin, Ackley, Goldstein–Price and the six-hump camel, each with its hand-derived
gradient and Hessian (`optilab.surfaces.builtin` lists every built-in).

Surfaces that need ``cos``/``exp``/``sqrt`` pick the ``math`` module for real
scalars and ``numpy`` otherwise (see `_lib`), so scalars stay cheap without
writing the equation twice.
"""

from __future__ import annotations

import math

import numpy as np

from .base import Surface

__all__ = ["ACKLEY", "GOLDSTEIN_PRICE", "RASTRIGIN", "SIX_HUMP_CAMEL"]

_TWO_PI = 2.0 * math.pi


def _lib(x, y):
    """``math`` for two real scalars (fast), ``numpy`` for anything else (vectorised)."""
    if isinstance(x, (float, int)) and isinstance(y, (float, int)):
        return math
    return np


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


def _rastrigin_hess(x, y):
    """f_xx = 2 + 40π² cos 2πx, f_xy = 0, f_yy = 2 + 40π² cos 2πy (indefinite between the bumps)."""
    m = _lib(x, y)
    k = 10.0 * _TWO_PI * _TWO_PI
    return 2.0 + k * m.cos(_TWO_PI * x), 0.0 * x, 2.0 + k * m.cos(_TWO_PI * y)


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
    curvature=_rastrigin_hess,
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


def _ackley_hess(x, y):
    """The cone's gradient is C(r)·(x, y), C = 2 exp(−0.2 r)/r, C′ = −2 exp(−0.2 r)(0.2 r + 1)/r²,
    ∂r/∂x = x/(2r): its part is C + x²C′/(2r), xyC′/(2r), C + y²C′/(2r).  The ripple's part is
    (2π² cos 2πx − π² sin² 2πx)·E, −π² sin 2πx sin 2πy·E, likewise in y, E = exp(½(cos 2πx + cos 2πy)).
    At the origin the cone's tip has no Hessian (C → ∞): nan there."""
    m = _lib(x, y)
    pi2 = math.pi * math.pi
    r = m.sqrt(0.5 * (x * x + y * y))
    e_cos = m.exp(0.5 * (m.cos(_TWO_PI * x) + m.cos(_TWO_PI * y)))
    sx, sy = m.sin(_TWO_PI * x), m.sin(_TWO_PI * y)
    if m is math:
        if r == 0.0:
            return math.nan, math.nan, math.nan
        r_safe = r
    else:
        r_safe = np.where(r > 0.0, r, np.nan)
    decay = m.exp(-0.2 * r_safe)
    cone = 2.0 * decay / r_safe
    slope = -2.0 * decay * (0.2 * r_safe + 1.0) / (r_safe * r_safe) / (2.0 * r_safe)   # C′/(2r)
    fxx = cone + x * x * slope + (2.0 * pi2 * m.cos(_TWO_PI * x) - pi2 * sx * sx) * e_cos
    fxy = x * y * slope - pi2 * sx * sy * e_cos
    fyy = cone + y * y * slope + (2.0 * pi2 * m.cos(_TWO_PI * y) - pi2 * sy * sy) * e_cos
    return fxx, fxy, fyy


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
    curvature=_ackley_hess,
)

# --- Goldstein–Price --------------------------------------------------------------------
#
# f = P·Q with P = 1 + s²A, s = x + y + 1, A = 19 − 14x + 3x² − 14y + 6xy + 3y²
#          and Q = 30 + t²B, t = 2x − 3y, B = 18 − 32x + 12x² + 48y − 36xy + 27y².
# ∂A/∂x = ∂A/∂y = −14 + 6x + 6y, so ∂P/∂x = ∂P/∂y = 2sA + s²(−14 + 6x + 6y);
# ∂Q/∂x = 4tB + t²(−32 + 24x − 36y), ∂Q/∂y = −6tB + t²(48 − 36x + 54y).
# Second derivatives: A's are all 6, so P_xx = P_xy = P_yy = 2A + 4s(−14 + 6x + 6y) + 6s²;
# with B_x = −32 + 24x − 36y, B_y = 48 − 36x + 54y (B_xx = 24, B_xy = −36, B_yy = 54):
# Q_xx = 8B + 8tB_x + 24t², Q_xy = −12B + 4tB_y − 6tB_x − 36t², Q_yy = 18B − 12tB_y + 54t².


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


def _goldstein_price_hess(x, y):
    """f_xx = P″Q + 2P′Q_x + PQ_xx, f_xy = P″Q + P′(Q_x + Q_y) + PQ_xy, f_yy = P″Q + 2P′Q_y + PQ_yy
    (P′ = P_x = P_y, P″ its second derivatives; see the comment above)."""
    s, t, A, B = _gp_parts(x, y)
    P = 1.0 + s * s * A
    Q = 30.0 + t * t * B
    A1 = -14.0 + 6.0 * x + 6.0 * y
    P1 = 2.0 * s * A + s * s * A1
    P2 = 2.0 * A + 4.0 * s * A1 + 6.0 * s * s
    Bx = -32.0 + 24.0 * x - 36.0 * y
    By = 48.0 - 36.0 * x + 54.0 * y
    Q_x = 4.0 * t * B + t * t * Bx
    Q_y = -6.0 * t * B + t * t * By
    Q_xx = 8.0 * B + 8.0 * t * Bx + 24.0 * t * t
    Q_xy = -12.0 * B + 4.0 * t * By - 6.0 * t * Bx - 36.0 * t * t
    Q_yy = 18.0 * B - 12.0 * t * By + 54.0 * t * t
    return (P2 * Q + 2.0 * P1 * Q_x + P * Q_xx, P2 * Q + P1 * (Q_x + Q_y) + P * Q_xy,
            P2 * Q + 2.0 * P1 * Q_y + P * Q_yy)


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
    curvature=_goldstein_price_hess,
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


def _camel_hess(x, y):
    """f_xx = 8 − 25.2x² + 10x⁴, f_xy = 1, f_yy = −8 + 48y²."""
    x2 = x * x
    return 8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0 + 0.0 * x, -8.0 + 48.0 * y * y


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
    curvature=_camel_hess,
)
