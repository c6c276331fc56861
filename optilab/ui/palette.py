"""Colours: the Okabe–Ito colour-blind-safe palette and the surface colour map.

Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable
under the common colour-vision deficiencies.  Runs take them in `RUN_COLORS`
order; black is kept for text and outlines.  The surface map is viridis
(perceptually uniform, readable in grey and by colour-blind viewers).
"""

from __future__ import annotations

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

#: Colours for optimizer runs, in the order runs get them.  Bright ones
#: first: the surface map underneath is viridis (dark purple to yellow).
RUN_COLORS: tuple[str, ...] = (
    OKABE_ITO["orange"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["yellow"],
    OKABE_ITO["blue"],
)

#: Outline drawn under every trajectory so it stands out on any map colour.
OUTLINE = "#1a1a1a"

#: The surface colour map (a pyqtgraph colormap name).
COLORMAP = "viridis"

#: Error text colour (inline messages, invalid fields).
ERROR = "#c0392b"


def run_color(index: int) -> str:
    """The colour of the ``index``-th run (cycling through `RUN_COLORS`)."""
    return RUN_COLORS[index % len(RUN_COLORS)]
