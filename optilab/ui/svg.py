"""One way to picture a view: PNG and SVG that show what the screen shows, scaled.

A view (a pyqtgraph `PlotItem` or any `QGraphicsItem`, a `QGraphicsScene`, a
`QGraphicsView` such as a `GraphicsLayoutWidget`/`PlotWidget`, or any other
`QWidget`) is rendered at its on-screen size and scaled by ``width / on-screen
width`` as a whole: text, line widths, markers and the legend grow with the
picture, exactly as the screen scaled by k would look.

SVG: painted with Qt's `QSvgGenerator` (pyqtgraph 0.14's `SVGExporter` fails on
Qt 6.11's SVG, pyqtgraph issue #3485), then flattened by `bake_transforms`.
Qt writes each item inside ``<g transform="matrix(…)">`` in its own
coordinates (a trajectory's group maps data units, ×20 in x and ×−39 in y, to
pixels) and a cosmetic pen as ``vector-effect="non-scaling-stroke"`` with its
width in pixels.  QtSvg honours that effect; librsvg and ImageMagick do not,
so they widen the 1-px stroke by the group's scale into 40-px black bands.
`bake_transforms` therefore maps every shape's coordinates through its group's
matrix, gives cosmetic pens their pixel width and scales other pens by the
matrix, and drops the effect: every stroke width is then in the picture's own
pixels, which every renderer reads alike.  Two more causes of wrong SVGs are
removed at the source: the generator's resolution is the screen's (pyqtgraph
replays cached `QPicture`s, axes included, which Qt shrinks by 72/96 on a
72-dpi device), and items are put in pyqtgraph's export mode, so markers are
drawn as vector shapes instead of fragments of a pixmap atlas (Qt's SVG
engine ignores the fragment's source rectangle and squeezes the whole atlas
into each marker).

Checked with QtSvg (`QSvgRenderer`) and librsvg (``rsvg-convert``); browsers
read the same plain SVG subset (no browser engine runs in the tests).
PNG: that SVG drawn by QtSvg at the output size (`render_image`), so both
formats are one picture.
"""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPicture
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from optilab import fileio

#: What can be pictured.
Source = QGraphicsItem | QGraphicsScene | QGraphicsView | QWidget

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", _SVG)
ET.register_namespace("xlink", _XLINK)

#: Shapes whose geometry `bake_transforms` maps into the picture's pixels.
_SHAPES = ("path", "polyline", "polygon", "rect", "circle", "ellipse", "line")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
#: Arguments per absolute path command (pairs of coordinates are mapped).
_PATH_ARGS = {"M": 2, "L": 2, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}
#: Bézier handle length for a quarter ellipse.
_KAPPA = 0.5522847498307936

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# -- geometry of a view ---------------------------------------------------------
def _scene_and_rect(source: Source) -> tuple[QGraphicsScene | None, QRectF, QWidget | None]:
    """The scene and scene rectangle pictured, or (None, widget rect, widget) for a plain widget."""
    if isinstance(source, QGraphicsItem):
        return source.scene(), source.sceneBoundingRect(), None
    if isinstance(source, QGraphicsScene):
        return source, source.sceneRect(), None
    if isinstance(source, QGraphicsView):
        shown = source.mapToScene(source.viewport().rect()).boundingRect()
        return source.scene(), shown, None
    if isinstance(source, QWidget):
        return None, QRectF(source.rect()), source
    raise TypeError(f"cannot picture a {type(source).__name__}")


def screen_size(source: Source) -> QSize:
    """The on-screen size of ``source`` in pixels (at least 1×1)."""
    _, rect, _ = _scene_and_rect(source)
    return QSize(max(1, round(rect.width())), max(1, round(rect.height())))


def output_size(source: Source, width: int | None = None) -> tuple[QSize, float]:
    """The picture's size for ``width`` pixels (None: the screen's) and its scale k to the screen."""
    shown = screen_size(source)
    if not width:
        return shown, 1.0
    k = int(width) / shown.width()
    return QSize(int(width), max(1, round(shown.height() * k))), k


@contextmanager
def _export_mode(scene: QGraphicsScene | None) -> Iterator[None]:
    """pyqtgraph items drawn as for an export (vector markers), restored afterwards."""
    items = [item for item in scene.items() if hasattr(item, "setExportMode")] if scene is not None else []
    for item in items:
        item.setExportMode(True, {"antialias": True, "background": None, "painter": None,
                                  "resolutionScale": 1.0})
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)


def _paint(source: Source, painter: QPainter) -> None:
    """``source`` painted at its on-screen size (the painter's transform does any scaling)."""
    scene, rect, widget = _scene_and_rect(source)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    if widget is not None:
        widget.render(painter)
        return
    with _export_mode(scene):
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect,
                     Qt.AspectRatioMode.IgnoreAspectRatio)


# -- PNG --------------------------------------------------------------------------
def render_image(source: Source, width: int | None = None) -> QImage:
    """``source`` as an image ``width`` pixels wide: the screen scaled as a whole (white behind).

    A scene is drawn from its SVG (`svg_bytes`) with QtSvg, so the PNG and the
    SVG are one picture and cosmetic pens widen with the rest (Qt keeps a
    cosmetic pen one device pixel wide under any painter scale or pixel ratio).
    """
    from PySide6.QtSvg import QSvgRenderer

    size, k = output_size(source, width)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    _, _, widget = _scene_and_rect(source)
    if widget is not None:
        painter.scale(k, k)
        _paint(source, painter)
    else:
        renderer = QSvgRenderer(QByteArray(svg_bytes(source, width)))
        renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return image


# -- SVG ---------------------------------------------------------------------------
def svg_bytes(source: Source, width: int | None = None) -> bytes:
    """``source`` as SVG, ``width`` pixels wide (None: as on screen), every stroke in output pixels."""
    from PySide6.QtSvg import QSvgGenerator

    shown = screen_size(source)
    size, _ = output_size(source, width)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(QPicture().logicalDpiX())  # cached QPictures replay 1:1
    generator.setSize(shown)
    generator.setViewBox(QRectF(0, 0, shown.width(), shown.height()))
    generator.setTitle("optilab")
    painter = QPainter(generator)
    _paint(source, painter)
    painter.end()
    buffer.close()
    return bake_transforms(bytes(buffer.data().data()), (size.width(), size.height()))


def write_svg(source: Source, path: str | os.PathLike[str], width: int | None = None) -> Path:
    """``source`` as an SVG file ``width`` pixels wide, written atomically (`fileio.write_bytes_atomic`)."""
    return fileio.write_bytes_atomic(path, svg_bytes(source, width))


# -- flattening Qt's SVG -----------------------------------------------------------
def _matrix(text: str | None) -> Matrix:
    """The affine matrix of an SVG ``transform`` attribute as Qt writes it (``matrix(…)``/none)."""
    if not text:
        return _IDENTITY
    text = text.strip()
    values = [float(v) for v in _NUMBER.findall(text)]
    if text.startswith("matrix") and len(values) == 6:
        return tuple(values)  # type: ignore[return-value]
    if text.startswith("translate") and values:
        return (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
    if text.startswith("scale") and values:
        return (values[0], 0.0, 0.0, values[-1], 0.0, 0.0)
    raise ValueError(f"unsupported transform {text!r}")


def _map(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _map_path(m: Matrix, d: str) -> str:
    """Path data with every point mapped by ``m`` (absolute commands, as Qt writes them)."""
    out: list[str] = []
    command = ""
    numbers: list[float] = []

    def flush() -> None:
        need = _PATH_ARGS[command]
        if need == 0:
            out.append(command)
            return
        if not numbers or len(numbers) % need:
            raise ValueError(f"path command {command} with {len(numbers)} numbers")
        points = [_map(m, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
        out.append(command + " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points))

    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            if command:
                flush()
            command = token.upper() if token in "Zz" else token
            if command not in _PATH_ARGS:
                raise ValueError(f"unsupported path command {token!r}")
            numbers = []
        else:
            numbers.append(float(token))
    if command:
        flush()
    return " ".join(out)


def _points(text: str) -> list[tuple[float, float]]:
    values = [float(v) for v in _NUMBER.findall(text)]
    return list(zip(values[0::2], values[1::2], strict=False))


def _ellipse_path(cx: float, cy: float, rx: float, ry: float) -> str:
    kx, ky = rx * _KAPPA, ry * _KAPPA
    return (f"M{cx + rx},{cy} C{cx + rx},{cy + ky} {cx + kx},{cy + ry} {cx},{cy + ry} "
            f"C{cx - kx},{cy + ry} {cx - rx},{cy + ky} {cx - rx},{cy} "
            f"C{cx - rx},{cy - ky} {cx - kx},{cy - ry} {cx},{cy - ry} "
            f"C{cx + kx},{cy - ry} {cx + rx},{cy - ky} {cx + rx},{cy} Z")


def _shape_path(el: ET.Element) -> str:
    """The outline of a shape element as absolute path data in its own coordinates."""
    tag = el.tag.split("}")[-1]
    num = lambda name: float(el.get(name, "0"))  # noqa: E731
    if tag == "path":
        return el.get("d", "")
    if tag in ("polyline", "polygon"):
        pts = _points(el.get("points", ""))
        if not pts:
            return ""
        d = "M" + " L".join(f"{x},{y}" for x, y in pts)
        return d + (" Z" if tag == "polygon" else "")
    if tag == "line":
        return f"M{num('x1')},{num('y1')} L{num('x2')},{num('y2')}"
    if tag == "rect":
        x, y, w, h = num("x"), num("y"), num("width"), num("height")
        return f"M{x},{y} L{x + w},{y} L{x + w},{y + h} L{x},{y + h} Z"
    if tag == "circle":
        return _ellipse_path(num("cx"), num("cy"), num("r"), num("r"))
    return _ellipse_path(num("cx"), num("cy"), num("rx"), num("ry"))


_GEOMETRY = ("d", "points", "x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry")


def _bake_shape(el: ET.Element, m: Matrix, inherited_width: float) -> None:
    """Map a shape's geometry by ``m`` into a ``path``; its stroke width becomes output pixels."""
    cosmetic = el.attrib.pop("vector-effect", "") == "non-scaling-stroke"
    scale = 1.0 if cosmetic else math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
    d = _map_path(m, _shape_path(el))
    tag = el.tag.split("}")[-1]
    for name in _GEOMETRY:
        el.attrib.pop(name, None)
    el.tag = f"{{{_SVG}}}path"
    el.set("d", d)
    if tag in ("polyline", "line") and "fill" not in el.attrib:
        el.set("fill", "none")
    width = float(el.get("stroke-width", inherited_width))
    if width == 0:  # a cosmetic hairline: one pixel
        width = 1.0
    el.set("stroke-width", _fmt(width * scale))
    if scale != 1.0:
        for name in ("stroke-dasharray", "stroke-dashoffset"):
            if el.get(name) not in (None, "none"):
                el.set(name, ",".join(_fmt(float(v) * scale) for v in _NUMBER.findall(el.get(name, ""))))


def bake_transforms(data: bytes, size: tuple[int, int] | None = None) -> bytes:
    """Qt's SVG with every shape in the picture's own coordinates and pixel stroke widths.

    Shapes inside a transformed group are mapped through its matrix (see the
    module's docstring); text and images keep the matrix on a group of their
    own.  ``size`` = (width, height) sets the picture's size in pixels (the
    view box stays the on-screen size, so everything scales together).
    """
    root = ET.fromstring(data)
    if size is not None:
        root.set("width", f"{int(size[0])}px")
        root.set("height", f"{int(size[1])}px")
    _bake_children(root, _IDENTITY, 1.0)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    x0, y0 = _map(outer, e, f)
    return (outer[0] * a + outer[2] * b, outer[1] * a + outer[3] * b,
            outer[0] * c + outer[2] * d, outer[1] * c + outer[3] * d, x0, y0)


def _bake_children(parent: ET.Element, m: Matrix, width: float) -> None:
    """Bake ``m`` (the transform above ``parent``'s children) into each child, recursively."""
    for index, child in enumerate(list(parent)):
        tag = child.tag.split("}")[-1]
        if tag == "g":
            inner = _compose(m, _matrix(child.attrib.pop("transform", None)))
            _bake_children(child, inner, float(child.get("stroke-width", width)))
        elif tag in _SHAPES:
            _bake_shape(child, m, width)
        elif tag in ("image", "text", "use") and m != _IDENTITY:
            own = _compose(m, _matrix(child.get("transform")))
            wrapper = ET.Element(f"{{{_SVG}}}g", {"transform": "matrix(" + ",".join(map(_fmt, own)) + ")"})
            child.attrib.pop("transform", None)
            parent.remove(child)
            wrapper.append(child)
            parent.insert(index, wrapper)
