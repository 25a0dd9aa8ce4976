"""Lay out and paint a hidden widget ahead of time, so showing it later is quick (issue 7).

A widget shown for the first time is laid out (its wrapped text measured) and painted (its
text and pictures drawn, glyphs rasterised) in one go, 20-40 ms for a full screen: long enough
to feel like a stall on the click that shows it. Done beforehand, a piece per turn of the
event loop while nothing else happens, the click only repaints.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPixmap, QRegion
from PySide6.QtWidgets import QAbstractItemView, QWidget


def lay_out_part(widget: QWidget) -> None:
    """A piece of a hidden screen: its style and its own layout only (which meets its fonts
    and text for the first time); not the screen around it."""
    widget.ensurePolished()
    layout = widget.layout()
    if layout is not None:
        layout.activate()
    if isinstance(widget, QAbstractItemView):
        widget.doItemsLayout()  # its rows measured (wrapped text) at its present width


def lay_out_hidden(widget: QWidget, place: QRect | None = None) -> None:
    """Lay the hidden widget out, at `place` (the geometry it will be shown with: at another
    size it is all laid out again when shown). Rendering a pixel of a hidden widget sends
    its pending resizes and lays it out, without painting the rest."""
    if place is not None:
        widget.setGeometry(place)
    widget.render(QPixmap(1, 1), QPoint(), QRegion(0, 0, 1, 1))


def paint_hidden(widget: QWidget, band: tuple[int, int] = (0, 1)) -> None:
    """Paint the hidden, laid-out widget once, off screen: the text and pictures drawn for
    the first time are cached then (glyphs, a picture's pixmap at its size). `band` (k, n)
    paints only the k-th of n horizontal bands: a long list costs per row drawn."""
    width, height = widget.width(), widget.height()
    if width <= 0 or height <= 0:
        return
    number, bands = band
    top, bottom = height * number // bands, height * (number + 1) // bands
    image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
    widget.render(image, QPoint(0, top), QRegion(0, top, width, bottom - top))
