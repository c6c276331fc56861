"""Colours: run palettes (colour-blind safe, high contrast), themes and the surface map.

Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable
under the common colour-vision deficiencies — the default run palette.  The run
palettes keep the Okabe–Ito colours that are dark enough for a white plot and
add ochre, violet and grey; the high-contrast palette is for washed-out
projectors: saturated hues, each outlined in near-black on the map.  Runs take
the colours of the current palette in order (`run_color`).  The surface map
is viridis (perceptually uniform, readable in grey and by colour-blind
viewers) in both themes.
"""

from __future__ import annotations

from dataclasses import dataclass

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

#: Colours for optimizer runs, in the order runs get them.  Every one has a
#: WCAG contrast of at least 3:1 against both themes' plot backgrounds (white
#: and #1e1e1e: relative luminance between 0.14 and 0.30) and differs from
#: every other by ΔE76 > 30, so no run vanishes on a white training plot and
#: no two runs look alike.  Okabe–Ito's orange, sky blue and yellow are too
#: light for white backgrounds; their places go to ochre, violet and grey.
RUN_COLORS: tuple[str, ...] = (
    OKABE_ITO["vermillion"],
    OKABE_ITO["blue"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["reddish purple"],
    "#B8860B",  # ochre (dark goldenrod)
    "#8E5BD6",  # violet
    "#7F7F7F",  # grey
)

#: High-contrast run colours: saturated hues far apart, within the same luminance band.
HIGH_CONTRAST: tuple[str, ...] = (
    "#E6194B",  # red
    "#3C78D8",  # blue
    "#E07000",  # orange
    "#C040C0",  # magenta
    "#138A5E",  # green
    "#9A7B00",  # olive gold
    "#7A5CFF",  # violet
)

#: Palette key → (menu label (English, translated by the UI), colours).
PALETTES: dict[str, tuple[str, tuple[str, ...]]] = {
    "colour-blind": ("Colour-blind safe (Okabe–Ito)", RUN_COLORS),
    "high-contrast": ("High contrast", HIGH_CONTRAST),
}

_current = {"palette": "colour-blind"}

#: The −gradient arrow (solid) and the velocity arrow (dashed) on the map: fixed
#: colours, not run colours, so −g and v never look alike; each is drawn over
#: a halo of the other colour so it reads on any viridis shade.
GRADIENT_ARROW = "#ffffff"
VELOCITY_ARROW = "#1a1a1a"

#: Outline drawn under every trajectory so it stands out on any map colour.
OUTLINE = "#1a1a1a"

#: The surface colour map (a pyqtgraph colormap name).
COLORMAP = "viridis"

#: Error text colour (inline messages, invalid fields).
ERROR = "#c0392b"


@dataclass(frozen=True)
class Theme:
    """Colours of a light or dark theme (Qt palette and plot colours)."""

    key: str
    window: str
    base: str
    text: str
    button: str
    highlight: str
    plot_background: str
    plot_foreground: str
    gl_background: tuple[int, int, int]
    muted: str
    accent: str


THEMES: dict[str, Theme] = {
    "light": Theme("light", "#efefef", "#ffffff", "#111111", "#e4e4e4", "#0072B2",
                   "#ffffff", "#000000", (250, 250, 250), "#555555", "#0072B2"),
    "dark": Theme("dark", "#2b2b2b", "#1e1e1e", "#eeeeee", "#3a3a3a", "#56B4E9",
                  "#1e1e1e", "#e6e6e6", (30, 30, 30), "#b0b0b0", "#56B4E9"),
}
#: Theme key → menu label (English, translated by the UI).
THEME_LABELS: dict[str, str] = {"light": "Light theme", "dark": "Dark theme"}


def set_palette(key: str) -> None:
    """Make ``key`` (a `PALETTES` key) the palette of new and recoloured runs."""
    if key not in PALETTES:
        raise ValueError(f"unknown palette {key!r}; choose one of: {', '.join(PALETTES)}")
    _current["palette"] = key


def palette() -> str:
    """The current palette key."""
    return _current["palette"]


def run_colors() -> tuple[str, ...]:
    """The colours of the current palette."""
    return PALETTES[_current["palette"]][1]


def run_color(index: int) -> str:
    """The colour of the ``index``-th run (cycling through the current palette)."""
    colors = run_colors()
    return colors[index % len(colors)]
