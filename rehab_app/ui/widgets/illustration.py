"""Shows an exercise picture (SVG for built-in content, PNG or JPEG from packs) at any size.

Painting the SVG at the widget's own size keeps lines crisp on large and high-DPI screens,
where a pre-rendered pixmap would blur. The picture is drawn once per size into a pixmap of
exactly that size (and pixel ratio), then copied: rendering an SVG costs 5-15 ms a time, and a
screen repaints its pictures with every change around them (the player's countdown ten times a
second), which added up to stalls over 50 ms (issue 7).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget


class IllustrationView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._svg: QSvgRenderer | None = None
        self._image: QImage | None = None
        self._drawn: QPixmap | None = None  # the picture at the size last painted
        self._aspect = 300 / 640
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(240, 110)

    def set_picture(self, path: Path | None, description: str) -> None:
        self._svg, self._image, self._drawn = None, None, None
        if path is not None and path.suffix.lower() == ".svg":
            renderer = QSvgRenderer(str(path), self)
            if renderer.isValid():
                self._svg = renderer
                box = renderer.viewBoxF()
                if box.width() > 0:
                    self._aspect = box.height() / box.width()
        elif path is not None:
            image = QImage(str(path))
            if not image.isNull():
                self._image = image
                self._aspect = image.height() / max(1, image.width())
        self.setAccessibleName(self.tr("Picture: %1").replace("%1", description))
        self.setVisible(self._svg is not None or self._image is not None)
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return int(width * self._aspect)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(640, int(640 * self._aspect))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        width = min(self.width(), int(self.height() / self._aspect))
        height = int(width * self._aspect)
        if width <= 0 or height <= 0 or (self._svg is None and self._image is None):
            return
        ratio = self.devicePixelRatioF()
        pixels = QSize(round(width * ratio), round(height * ratio))
        drawn = self._drawn
        if drawn is None or drawn.size() != pixels or drawn.devicePixelRatio() != ratio:
            drawn = self._drawn = self._draw(pixels, ratio, QRectF(0, 0, width, height))
        painter = QPainter(self)
        painter.drawPixmap(QPointF((self.width() - width) / 2, 0), drawn)
        painter.end()

    def _draw(self, pixels: QSize, ratio: float, target: QRectF) -> QPixmap:
        pixmap = QPixmap(pixels)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._svg is not None:
            self._svg.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            self._svg.render(painter, target)
        elif self._image is not None:
            painter.drawImage(target, self._image)
        painter.end()
        return pixmap
