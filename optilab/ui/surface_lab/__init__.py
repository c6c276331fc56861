"""The surface lab: animated 2-D contour and 3-D surface views of optimizer runs."""

from optilab.ui.surface_lab.pane import SurfaceLabPane

__all__ = ["SurfaceLabPane"]
