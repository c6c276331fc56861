"""Loss surfaces: the built-ins (docs/equations.md#surfaces), user formulas and a stochastic surface.

Registry (`names()` order; each f is written out in `optilab.surfaces.builtin`):

- ``bowl``: x²/20 + y² (the book's ch. 6 function)
- ``ill-conditioned``: ½(λ₁u² + λ₂v²), (u, v) = (x, y) rotated by −30°, λ = 0.05, 5 (κ = 100)
- ``rosenbrock``: (1 − x)² + 100(y − x²)²
- ``beale``: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
- ``himmelblau``: (x² + y − 11)² + (x + y² − 7)²
- ``saddle``: x² − y²
- ``monkey-saddle``: x³ − 3xy²
- ``rastrigin``: 20 + Σ(xᵢ² − 10 cos 2πxᵢ)
- ``ackley``: −20 exp(−0.2√(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20
- ``booth``: (x + 2y − 7)² + (2x + y − 5)²
- ``goldstein-price``: [1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]
  × [30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]
- ``six-hump-camel``: (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²
- ``least-squares``: 1/(2N) Σ (w xᵢ + b − yᵢ)² over (w, b) on seeded synthetic data,
  full-batch (GD); `least_squares` gives SGD/minibatch variants on the same data.

`sampled` makes a surface of a sampled loss landscape (bilinear between the
grid's samples, `optilab.surfaces.sampled`).

`parse` reads a user's f(x, y) safely (`FormulaError` on anything else);
`resolve` accepts either a registry name or a formula.
"""

from __future__ import annotations

from optilab import messages

from .base import Surface
from .builtin import BUILTIN
from .formula import FUNCTIONS, FormulaError, parse
from .sampled import SampledSurface, sampled
from .stochastic import LeastSquaresSurface, least_squares

__all__ = [
    "FormulaError",
    "LeastSquaresSurface",
    "SampledSurface",
    "Surface",
    "get",
    "least_squares",
    "names",
    "parse",
    "resolve",
    "sampled",
]

UNKNOWN = messages.declare("surfaces.unknown", "unknown surface {name}; choose one of: {choices}")
UNKNOWN_OR_FORMULA = messages.declare(
    "formula.unknown_surface",
    "unknown surface '{name}'; choose one of: {choices}, or type a formula in x and y such as x**2 + 3*sin(y)")

_REGISTRY: dict[str, Surface] = {s.name: s for s in BUILTIN}
_REGISTRY["least-squares"] = least_squares()


def names() -> list[str]:
    """The registry names, in display order."""
    return list(_REGISTRY)


def get(name: str) -> Surface:
    """The built-in surface called ``name``; ValueError listing the choices otherwise."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise UNKNOWN.error(name=repr(name), choices=", ".join(_REGISTRY)) from None


def resolve(text: str) -> Surface:
    """A registry name (case-insensitive) if ``text`` is one, otherwise `parse(text)`.

    A single unknown word (say a misspelt name) raises `FormulaError` that
    lists the registry names as well as what a formula may use.
    """
    key = text.strip()
    if key in _REGISTRY:
        return _REGISTRY[key]
    if key.lower() in _REGISTRY:
        return _REGISTRY[key.lower()]
    if key.isidentifier() and key not in ("x", "y", "pi", "e") and key not in FUNCTIONS:
        raise FormulaError(UNKNOWN_OR_FORMULA(name=key, choices=", ".join(_REGISTRY)), text.find(key))
    return parse(text)
