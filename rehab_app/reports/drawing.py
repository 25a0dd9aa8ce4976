"""What every printed document shares: pages, plain-text blocks, pagination, footer, writing.

Factored out of the handout when the visit report arrived, so both documents measure, break
and paint pages the same way:

- Two passes. A document is first measured into blocks (`Block`: a height and a `paint`) and
  `paginate` splits the running `Flow`s into pages; then `write_pdf` paints them. The footer
  can then say "Page N of M" without painting twice, and a block is kept whole on one page by
  knowing its height before anything is drawn.
- Units are device pixels of a 300 dpi QPdfWriter (`mm`, `pt` convert). Fonts are given in
  points and QTextLayout resolves them against the writer, so text stays vector and QPdfWriter
  embeds the fonts.
- Plain text only. Whatever a patient, a pack or a therapist wrote goes through QTextLayout
  (`Text`) or `QPainter.drawText` at a point, neither of which interprets markup, so "<b>"
  prints as the four characters it is.
- No widgets and no QPixmap: QPdfWriter, QPainter, QImage and QTextLayout all work in a worker
  thread (ARCHITECTURE.md: reports run off the GUI thread).
- `write_pdf` writes to a temporary file beside the target and renames it at the end, so a
  failure, or a caller cancelling by raising from `progress`, never leaves half a document
  under the real name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

#: 300 dpi: fine enough that rounding in the layout never shows, and the bitmap resolution
#: pictures are reduced to.
DPI = 300


class PageSize(StrEnum):
    A4 = "a4"
    LETTER = "letter"


def _tr(text: str) -> str:
    return QCoreApplication.translate("drawing", text)


def plain_paragraphs(text: str) -> list[str]:
    """Paragraphs of `text`. Other control characters (tabs, stray escapes from a pack) become
    spaces: QTextLayout would draw them as empty boxes."""
    cleaned = "".join(c if c == "\n" or c >= " " else " " for c in text.replace("\r\n", "\n"))
    return [paragraph.strip() for paragraph in cleaned.split("\n")]


def one_line(text: str) -> str:
    """`text` as a single line of words (for a footer, a table cell that must not wrap)."""
    return " ".join(" ".join(plain_paragraphs(text)).split())


# --- Look --------------------------------------------------------------------------------------


INK = QColor("#1f2933")  # near black: full contrast on paper without the harshness of #000
MUTED = QColor("#52606d")
ACCENT = QColor("#1d5c6b")  # a calm teal-blue for headings; prints as dark grey in black and white
RULE = QColor("#c9d3dc")
TINT = QColor("#eef4f6")


@dataclass(frozen=True)
class TextStyle:
    """A text style: size in points, weight and colour."""

    points: float
    bold: bool = False
    italic: bool = False
    colour: QColor = field(default_factory=lambda: QColor(INK))

    def font(self) -> QFont:
        font = QFont()
        font.setPointSizeF(self.points)
        font.setBold(self.bold)
        font.setItalic(self.italic)
        return font


def mm(value: float) -> float:
    return value * DPI / 25.4


def pt(value: float) -> float:
    return value * DPI / 72


# --- Blocks: measured pieces that can paint themselves at a position -------------------------


class Block(Protocol):
    height: float

    def paint(self, painter: QPainter, x: float, y: float) -> None: ...


class Text:
    """Wrapped plain text, optionally with a bold lead-in ('When: ...') and a hanging marker
    (a step number, a bullet or a coloured dot)."""

    def __init__(
        self,
        device: QPaintDevice,
        text: str,
        style: TextStyle,
        width: float,
        *,
        lead: str = "",
        marker: str | QColor = "",
        indent: float = 0.0,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> None:
        self._style = style
        self._marker = marker
        self._indent = indent
        self._layouts: list[QTextLayout] = []
        font = style.font()
        option = QTextOption()
        option.setAlignment(align)
        # Long words (a web address in a note) break anywhere rather than run off the page.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        y = 0.0
        for number, paragraph in enumerate(plain_paragraphs(text)):
            joined = lead + paragraph if number == 0 and lead else paragraph
            layout = QTextLayout(joined, font, device)
            layout.setTextOption(option)
            if number == 0 and lead:
                bold = QTextCharFormat()
                bold.setFontWeight(QFont.Weight.Bold)
                lead_range = QTextLayout.FormatRange()
                lead_range.start, lead_range.length, lead_range.format = 0, len(lead), bold
                layout.setFormats([lead_range])
            y = self._lay_out(layout, width - indent, y)
            self._layouts.append(layout)
        self.height = y
        self._marker_layout: QTextLayout | None = None
        if isinstance(marker, str) and marker:
            self._marker_layout = QTextLayout(marker, font, device)
            self._lay_out(self._marker_layout, indent, 0.0)

    def _lay_out(self, layout: QTextLayout, width: float, y: float) -> float:
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            # A little air between lines (DejaVu's own line height is tight for large print).
            y += line.height() * 1.12
        layout.endLayout()
        return y

    def first_line_height(self) -> float:
        if self._layouts and self._layouts[0].lineCount():
            return self._layouts[0].lineAt(0).height()
        return 0.0

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.setPen(self._style.colour)
        for layout in self._layouts:
            layout.draw(painter, QPointF(x + self._indent, y))
        if self._marker_layout is not None:
            self._marker_layout.draw(painter, QPointF(x, y))
        elif isinstance(self._marker, QColor):
            radius = pt(4.5)
            middle = y + self.first_line_height() / 2
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._marker)
            painter.drawEllipse(QPointF(x + radius + pt(1), middle), radius, radius)
            painter.restore()


class Space:
    def __init__(self, height: float) -> None:
        self.height = height

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        pass


class Rule:
    def __init__(self, width: float, colour: QColor = RULE, thickness: float = 0.75) -> None:
        self.width, self.colour, self.thickness = width, colour, pt(thickness)
        self.height = self.thickness

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.setPen(QPen(self.colour, self.thickness))
        middle = y + self.thickness / 2
        painter.drawLine(QPointF(x, middle), QPointF(x + self.width, middle))
        painter.restore()


class Stack:
    """Blocks one under the other. The paginator may split a stack that is taller than a page."""

    def __init__(self, blocks: Sequence[Block] = ()) -> None:
        self.blocks: list[Block] = list(blocks)

    @property
    def height(self) -> float:
        return sum(block.height for block in self.blocks)

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        for block in self.blocks:
            block.paint(painter, x, y)
            y += block.height


class Row:
    """Blocks side by side, each at its offset from the left (a picture and its text, the
    cells of a table row)."""

    def __init__(self, placed: Sequence[tuple[float, Block]]) -> None:
        self._placed = list(placed)
        self.height = max((block.height for _, block in self._placed), default=0.0)

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        for offset, block in self._placed:
            block.paint(painter, x + offset, y)


class Boxed:
    """A block on a soft tinted panel with a coloured bar on the left (a note, a warning)."""

    def __init__(
        self,
        inner: Block,
        width: float,
        padding: float,
        fill: QColor = TINT,
        bar: QColor = ACCENT,
    ) -> None:
        self._inner, self._width, self._padding = inner, width, padding
        self._fill, self._bar = fill, bar
        self.height = inner.height + 2 * padding

    @staticmethod
    def inner_width(width: float, padding: float) -> float:
        """How wide the inner block may be for a box `width` wide."""
        return width - 2 * padding - mm(1.2)

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(QRectF(x, y, self._width, self.height), mm(2), mm(2))
        painter.setBrush(self._bar)
        painter.drawRect(QRectF(x, y, mm(1.2), self.height))
        painter.restore()
        self._inner.paint(painter, x + self._padding + mm(1.2), y + self._padding)


class Composer:
    """The base of each document's builder: text measured against the writer, `width` wide
    unless told otherwise, in the document's `body` style unless told otherwise."""

    body = TextStyle(12)

    def __init__(self, device: QPaintDevice, width: float) -> None:
        self.device, self.width = device, width

    def text(
        self,
        text: str,
        style: TextStyle | None = None,
        width: float | None = None,
        *,
        lead: str = "",
        marker: str | QColor = "",
        indent: float = 0.0,
    ) -> Text:
        return Text(
            self.device,
            text,
            style or self.body,
            self.width if width is None else width,
            lead=lead,
            marker=marker,
            indent=indent,
        )


# --- Flow and pages ----------------------------------------------------------------------------


@dataclass
class Flow:
    """One piece of the running document. `block` is kept on one page when it fits on one;
    `space` is the gap above it (dropped at the top of a page); with `separator` a thin rule is
    drawn in that gap, so consecutive pieces are visibly apart. `repeat` is painted above the
    block when the block starts a page (a table's header over the rows that ran on)."""

    block: Block
    space: float = 0.0
    new_page: bool = False
    separator: bool = False
    repeat: Block | None = None


@dataclass
class Page:
    placed: list[tuple[float, Block]] = field(default_factory=list)


def paginate(flows: Sequence[Flow], top: float, bottom: float, width: float) -> list[Page]:
    pages = [Page()]
    y = top

    def new_page() -> None:
        nonlocal y
        pages.append(Page())
        y = top

    def place(block: Block, space: float, separator: bool, repeat: Block | None = None) -> None:
        nonlocal y
        at_top = not pages[-1].placed
        if at_top and isinstance(block, Space):
            return  # a split block's spacing is not carried to the top of the next page
        if not at_top and y + space + block.height > bottom:
            new_page()
            at_top = True
        if at_top and repeat is not None:
            pages[-1].placed.append((y, repeat))
            y += repeat.height
        elif not at_top:
            if separator:
                rule = Rule(width)
                pages[-1].placed.append((y + space / 2 - rule.height / 2, rule))
            y += space
        pages[-1].placed.append((y, block))
        y += block.height

    def place_whole_or_split(
        block: Block, space: float, separator: bool, repeat: Block | None = None
    ) -> None:
        if block.height <= bottom - top or not isinstance(block, Stack):
            place(block, space, separator, repeat)
            return
        # Taller than a whole page (a pack with a dozen long steps and cautions): keep its
        # parts in order and let it run on to the next page, rather than clip it.
        for index, part in enumerate(block.blocks):
            first = index == 0
            place_whole_or_split(part, space if first else 0.0, separator and first)

    for flow in flows:
        if flow.new_page and pages[-1].placed:
            new_page()
        place_whole_or_split(flow.block, flow.space, flow.separator, flow.repeat)
    return pages


# --- Writing -----------------------------------------------------------------------------------


_PAGE_IDS = {PageSize.A4: QPageSize.PageSizeId.A4, PageSize.LETTER: QPageSize.PageSizeId.Letter}

#: Margins in millimetres: generous, so nothing is lost to a printer's unprintable edge and the
#: page can be hole-punched or pinned up.
SIDE_MM, TOP_MM, BOTTOM_MM = 20.0, 16.0, 22.0
#: The footer's rule sits this far above the bottom edge of the paper, the footer text below it.
FOOTER_RULE_MM = 15.0
FOOTER = TextStyle(9.5, colour=MUTED)


@dataclass(frozen=True)
class Frame:
    """Where text may go on every page, in device pixels."""

    left: float
    width: float
    top: float
    bottom: float
    page_height: float


#: Turns the document into flows, measured against the writer, for a page frame.
Layout = Callable[[QPaintDevice, Frame], Sequence[Flow]]


def write_pdf(
    path: Path,
    layout: Layout,
    *,
    title: str,
    footer: str,
    page: PageSize = PageSize.A4,
    author: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the document `layout` makes to `path`; returns the number of pages.

    Safe to call from a worker thread. `progress(done, total)` is called with pages painted so
    far; raising from it cancels the write and leaves no file behind. Every page gets a footer:
    `footer` (shortened to one line) on the left, "Page N of M" on the right. Raises OSError
    when the file cannot be written.
    """
    path = Path(path)
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=".pdf.part", dir=path.parent
    )
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        count = _write(temporary, layout, title, footer, PageSize(page), author, progress)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count


def _write(
    path: Path,
    layout: Layout,
    title: str,
    footer: str,
    page: PageSize,
    author: str,
    progress: Callable[[int, int], None] | None,
) -> int:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    # Zero margins in the page layout: the document places everything itself, footer included.
    page_layout = QPageLayout(
        QPageSize(_PAGE_IDS[page]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(page_layout)
    writer.setTitle(one_line(title))
    writer.setCreator("rehab_app")
    if author.strip():
        writer.setAuthor(one_line(author))

    full = page_layout.fullRectPixels(DPI)
    frame = Frame(
        left=mm(SIDE_MM),
        width=full.width() - 2 * mm(SIDE_MM),
        top=mm(TOP_MM),
        bottom=full.height() - mm(BOTTOM_MM),
        page_height=full.height(),
    )
    pages = paginate(layout(writer, frame), frame.top, frame.bottom, frame.width)
    total = len(pages)
    if progress is not None:
        progress(0, total)

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(_tr("Cannot write the PDF file %1.").replace("%1", str(path)))
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for number, placed in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            for y, block in placed.placed:
                block.paint(painter, frame.left, y)
            _footer(painter, writer, footer, number, total, frame)
            if progress is not None:
                progress(number, total)
    finally:
        painter.end()
    return total


def _footer(
    painter: QPainter, device: QPaintDevice, title: str, number: int, total: int, frame: Frame
) -> None:
    line_y = frame.page_height - mm(FOOTER_RULE_MM)
    Rule(frame.width).paint(painter, frame.left, line_y)
    count = _tr("Page %1 of %2").replace("%1", str(number)).replace("%2", str(total))
    font = FOOTER.font()
    metrics = QFontMetricsF(font, device)
    count_width = metrics.horizontalAdvance(count)
    # One line only: a long title is shortened with "…" rather than run into the page number.
    title_room = frame.width - count_width - mm(8)
    short_title = metrics.elidedText(one_line(title), Qt.TextElideMode.ElideRight, title_room)
    baseline = line_y + mm(2.5) + metrics.ascent()
    painter.save()
    painter.setFont(font)
    painter.setPen(FOOTER.colour)
    # drawText with a point draws exactly the given characters: no markup, no wrapping.
    painter.drawText(QPointF(frame.left, baseline), short_title)
    painter.drawText(QPointF(frame.left + frame.width - count_width, baseline), count)
    painter.restore()
