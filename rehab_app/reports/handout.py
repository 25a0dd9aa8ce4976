"""The printable exercise handout: the plan as a calm, large-type PDF a therapist prints.

How it is built, and why:

- Two passes. Everything is first measured into blocks and split into pages, then painted. The
  footer can then say "Page N of M" without painting the document twice, and an exercise is kept
  whole on one page by knowing its height before anything is drawn.
- Units are device pixels of a 300 dpi QPdfWriter. Fonts are given in points and QTextLayout
  resolves them against the writer, so text stays vector (and QPdfWriter embeds the fonts).
  SVG pictures are rendered by QSvgRenderer straight into the PDF painter (vector, crisp at any
  zoom); PNG/JPEG pictures are scaled down to 300 dpi at their printed size first, so a huge
  photo from a pack does not bloat the file.
- Plain text only. Plan, pack and therapist text is untrusted: it goes through QTextLayout,
  which never interprets markup, so "<b>" prints as the four characters it is.
- No widgets and no QPixmap: QPdfWriter, QPainter, QImage, QSvgRenderer and QTextLayout all
  work in a worker thread (ARCHITECTURE.md: reports run off the GUI thread).
- The PDF is written to a temporary file beside `path` and renamed at the end, so a failure, or
  a caller cancelling by raising from `progress`, never leaves half a handout under the real name.
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
    QImage,
    QImageReader,
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
from PySide6.QtSvg import QSvgRenderer

from rehab_app.core.plan import Phase, Plan, PlanItem
from rehab_app.services.catalog import Library

# The same sentences the screens show (pack preview, plan), so screen and paper agree.
from rehab_app.wording.plan_words import (
    dose_words,
    long_date,
    pain_rule_lines,
    phase_start_words,
    schedule_words,
    side_words,
)

#: 300 dpi: fine enough that rounding in the layout never shows, and the bitmap resolution
#: pictures are reduced to.
DPI = 300


class PageSize(StrEnum):
    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True)
class HandoutContent:
    plan: Plan
    library: Library
    author: str = ""  # therapist name, may be empty
    message: str = ""  # note for the patient (plain text)


def _tr(text: str) -> str:
    return QCoreApplication.translate("handout", text)


# --- Text ------------------------------------------------------------------------------------


def _plain(text: str) -> list[str]:
    """Paragraphs of `text`. Other control characters (tabs, stray escapes from a pack) become
    spaces: QTextLayout would draw them as empty boxes."""
    cleaned = "".join(c if c == "\n" or c >= " " else " " for c in text.replace("\r\n", "\n"))
    return [paragraph.strip() for paragraph in cleaned.split("\n")]


# --- Look --------------------------------------------------------------------------------------


INK = QColor("#1f2933")  # near black: full contrast on paper without the harshness of #000
MUTED = QColor("#52606d")
ACCENT = QColor("#1d5c6b")  # a calm teal-blue for headings; prints as dark grey in black and white
RULE = QColor("#c9d3dc")
TINT = QColor("#eef4f6")
ZONE_COLOURS = {
    "green": QColor("#3b8f4e"),
    "amber": QColor("#e0a526"),
    "red": QColor("#c4453c"),
    "morning": QColor("#6b7f99"),
}


@dataclass(frozen=True)
class _Type:
    """A text style: size in points (body text never below 11 pt, it is read by people in pain
    and often without their glasses), weight and colour."""

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


TITLE = _Type(22, bold=True, colour=ACCENT)
PHASE = _Type(17, bold=True, colour=ACCENT)
SECTION = _Type(14, bold=True, colour=ACCENT)
EXERCISE = _Type(15, bold=True)
LABEL = _Type(12, bold=True)
BODY = _Type(12)
QUIET = _Type(12, colour=MUTED)
FOOTER = _Type(9.5, colour=MUTED)


def _mm(value: float) -> float:
    return value * DPI / 25.4


def _pt(value: float) -> float:
    return value * DPI / 72


# --- Blocks: measured pieces that can paint themselves at a position -------------------------


class _Block(Protocol):
    height: float

    def paint(self, painter: QPainter, x: float, y: float) -> None: ...


class _Text:
    """Wrapped plain text, optionally with a bold lead-in ('When: ...') and a hanging marker
    (a step number, a bullet or a coloured dot)."""

    def __init__(
        self,
        device: QPaintDevice,
        text: str,
        style: _Type,
        width: float,
        *,
        lead: str = "",
        marker: str | QColor = "",
        indent: float = 0.0,
    ) -> None:
        self._style = style
        self._marker = marker
        self._indent = indent
        self._layouts: list[QTextLayout] = []
        font = style.font()
        option = QTextOption()
        # Long words (a web address in a note) break anywhere rather than run off the page.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        y = 0.0
        for number, paragraph in enumerate(_plain(text)):
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

    def _first_line_height(self) -> float:
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
            radius = _pt(4.5)
            middle = y + self._first_line_height() / 2
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._marker)
            painter.drawEllipse(QPointF(x + radius + _pt(1), middle), radius, radius)
            painter.restore()


class _Space:
    def __init__(self, height: float) -> None:
        self.height = height

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        pass


class _Rule:
    def __init__(self, width: float, colour: QColor = RULE, thickness: float = 0.75) -> None:
        self.width, self.colour, self.thickness = width, colour, _pt(thickness)
        self.height = self.thickness

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.setPen(QPen(self.colour, self.thickness))
        middle = y + self.thickness / 2
        painter.drawLine(QPointF(x, middle), QPointF(x + self.width, middle))
        painter.restore()


class _Picture:
    """An exercise picture scaled to fit a box, keeping its proportions. `valid` is False when
    the file cannot be read; the handout then simply goes without it."""

    def __init__(self, path: Path, max_width: float, max_height: float) -> None:
        self._svg: QSvgRenderer | None = None
        self._image: QImage | None = None
        width = height = 0.0
        if path.suffix.lower() == ".svg":
            renderer = QSvgRenderer(str(path))
            box = renderer.viewBoxF()
            if renderer.isValid() and box.width() > 0 and box.height() > 0:
                renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
                self._svg, width, height = renderer, box.width(), box.height()
        else:
            reader = QImageReader(str(path))
            reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
            image = reader.read()
            if not image.isNull():
                self._image, width, height = image, float(image.width()), float(image.height())
        self.valid = width > 0 and height > 0
        scale = min(max_width / width, max_height / height) if self.valid else 0.0
        self.width, self.height = width * scale, height * scale
        if self._image is not None and (
            self._image.width() > self.width or self._image.height() > self.height
        ):
            # The painter works in 300 dpi pixels, so this is the picture at print resolution.
            self._image = self._image.scaled(
                max(1, round(self.width)),
                max(1, round(self.height)),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        target = QRectF(x, y, self.width, self.height)
        if self._svg is not None:
            self._svg.render(painter, target)
        elif self._image is not None:
            painter.drawImage(target, self._image)
            # A hairline frame: a photo on a white background would otherwise float on the page
            # (the built-in SVGs draw their own panel).
            painter.save()
            painter.setPen(QPen(RULE, _pt(0.75)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(target)
            painter.restore()


class _Stack:
    """Blocks one under the other. The paginator may split a stack that is taller than a page."""

    def __init__(self, blocks: Sequence[_Block] = ()) -> None:
        self.blocks: list[_Block] = list(blocks)

    @property
    def height(self) -> float:
        return sum(block.height for block in self.blocks)

    def add(self, block: _Block) -> None:
        self.blocks.append(block)

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        for block in self.blocks:
            block.paint(painter, x, y)
            y += block.height


class _Row:
    """A picture on the left and text beside it."""

    def __init__(self, left: _Block, right: _Block, left_width: float, gap: float) -> None:
        self._left, self._right, self._offset = left, right, left_width + gap
        self.height = max(left.height, right.height)

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        self._left.paint(painter, x, y)
        self._right.paint(painter, x + self._offset, y)


class _Boxed:
    """A block on a soft tinted panel with an accent bar on the left (the therapist's note)."""

    def __init__(self, inner: _Block, width: float, padding: float) -> None:
        self._inner, self._width, self._padding = inner, width, padding
        self.height = inner.height + 2 * padding

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TINT)
        painter.drawRoundedRect(QRectF(x, y, self._width, self.height), _mm(2), _mm(2))
        painter.setBrush(ACCENT)
        painter.drawRect(QRectF(x, y, _mm(1.2), self.height))
        painter.restore()
        self._inner.paint(painter, x + self._padding + _mm(1.2), y + self._padding)


# --- Flow and pages ----------------------------------------------------------------------------


@dataclass
class _Flow:
    """One piece of the running document. `block` is kept on one page when it fits on one;
    `space` is the gap above it (dropped at the top of a page); with `separator` a thin rule is
    drawn in that gap, so consecutive exercises are visibly apart."""

    block: _Block
    space: float = 0.0
    new_page: bool = False
    separator: bool = False


@dataclass
class _Page:
    placed: list[tuple[float, _Block]] = field(default_factory=list)


def _paginate(flows: Sequence[_Flow], top: float, bottom: float, width: float) -> list[_Page]:
    pages = [_Page()]
    y = top

    def new_page() -> None:
        nonlocal y
        pages.append(_Page())
        y = top

    def place(block: _Block, space: float, separator: bool) -> None:
        nonlocal y
        at_top = not pages[-1].placed
        if at_top and isinstance(block, _Space):
            return  # a split block's spacing is not carried to the top of the next page
        if not at_top and y + space + block.height > bottom:
            new_page()
            at_top = True
        if not at_top:
            if separator:
                rule = _Rule(width)
                pages[-1].placed.append((y + space / 2 - rule.height / 2, rule))
            y += space
        pages[-1].placed.append((y, block))
        y += block.height

    def place_whole_or_split(block: _Block, space: float, separator: bool) -> None:
        if block.height <= bottom - top or not isinstance(block, _Stack):
            place(block, space, separator)
            return
        # Taller than a whole page (a pack with a dozen long steps and cautions): keep its
        # parts in order and let it run on to the next page, rather than clip it.
        for index, part in enumerate(block.blocks):
            first = index == 0
            place_whole_or_split(part, space if first else 0.0, separator and first)

    for flow in flows:
        if flow.new_page and pages[-1].placed:
            new_page()
        place_whole_or_split(flow.block, flow.space, flow.separator)
    return pages


# --- The document ------------------------------------------------------------------------------


class _Handout:
    """Turns the content into flows, measured against `device` (the PDF writer)."""

    def __init__(self, device: QPaintDevice, content: HandoutContent, width: float) -> None:
        self.device, self.content, self.width = device, content, width

    def text(
        self,
        text: str,
        style: _Type = BODY,
        width: float | None = None,
        *,
        lead: str = "",
        marker: str | QColor = "",
        indent: float = 0.0,
    ) -> _Text:
        width = self.width if width is None else width
        return _Text(self.device, text, style, width, lead=lead, marker=marker, indent=indent)

    def flows(self) -> list[_Flow]:
        flows = [_Flow(self.opening()), *self.glance()]
        for phase in self.content.plan.phases:
            # Each phase starts on a fresh page: the patient can pin up the pages for the weeks
            # they are in and put the rest away.
            flows.extend(self.phase(phase))
        return flows

    def opening(self) -> _Stack:
        plan, content = self.content.plan, self.content
        stack = _Stack([self.text(plan.title, TITLE)])
        if content.author.strip():
            byline = _tr("Prepared by %1").replace("%1", " ".join(content.author.split()))
            stack.add(_Space(_pt(3)))
            stack.add(self.text(byline, QUIET))
        stack.add(_Space(_pt(3)))
        starts = _tr("Your plan starts on %1.").replace("%1", long_date(plan.start))
        stack.add(self.text(starts, QUIET))
        if content.message.strip():
            padding = _mm(4)
            inner_width = self.width - 2 * padding - _mm(1.2)
            note = _Stack(
                [
                    self.text(_tr("A note from your therapist"), LABEL, inner_width),
                    _Space(_pt(3)),
                    self.text(content.message.strip(), BODY, inner_width),
                ]
            )
            stack.add(_Space(_mm(6)))
            stack.add(_Boxed(note, self.width, padding))
        stack.add(_Space(_mm(7)))
        stack.add(self.text(_tr("Listening to your pain"), SECTION))
        stack.add(_Space(_pt(4)))
        explain = _tr("Rate your pain from 0 (no pain) to 10 (the worst pain you can imagine).")
        stack.add(self.text(explain))
        indent = _mm(7)
        for zone, sentence in pain_rule_lines(plan.thresholds):
            stack.add(_Space(_pt(5)))
            stack.add(self.text(sentence, marker=ZONE_COLOURS[zone], indent=indent))
        stack.add(_Space(_pt(8)))
        urgent = _tr(
            "Get medical help at once if you notice numbness around your bottom or genitals,"
            " trouble controlling your bladder or bowels, or weakness in both legs."
        )
        stack.add(self.text(urgent, LABEL))
        return stack

    def glance(self) -> list[_Flow]:
        """Every phase's exercises one line each: a quick reference for the fridge, and the
        patient sees the whole programme before the detailed pages. Lines may run on to the next
        page (a long plan); a phase's title stays with its first line."""
        flows = []
        for number, phase in enumerate(self.content.plan.phases):
            lead = [self.text(_tr("Your exercises at a glance"), SECTION), _Space(_pt(4))]
            when = phase_start_words(self.content.plan, phase)
            group = _Stack(
                [*(lead if number == 0 else []), self.text(when, lead=phase.name + "  ·  ")]
            )
            lines: list[_Block] = []
            for item in phase.items:
                exercise = self.content.library.by_id(item.exercise_id)
                name = exercise.name if exercise is not None else item.exercise_id
                line = _tr("%1; %2").replace("%1", dose_words(item))
                line = line.replace("%2", schedule_words(item.schedule))
                lines.append(self.text(line, lead=name + ": ", marker="•", indent=_mm(6)))
            if not phase.items:
                lines.append(self.text(_tr("No exercises in this part of the plan."), QUIET))
            group.add(_Space(_pt(3)))
            group.add(lines[0])
            flows.append(_Flow(group, _mm(8) if number == 0 else _mm(5)))
            flows.extend(_Flow(line, _pt(3)) for line in lines[1:])
        return flows

    def phase(self, phase: Phase) -> list[_Flow]:
        heading = _Stack(
            [
                self.text(phase.name, PHASE),
                _Space(_pt(2)),
                self.text(phase_start_words(self.content.plan, phase), QUIET),
                _Space(_pt(6)),
                _Rule(self.width, ACCENT, 1.2),
            ]
        )
        if not phase.items:
            empty = self.text(_tr("No exercises in this part of the plan."), QUIET)
            return [_Flow(_Stack([heading, _Space(_mm(5)), empty]), new_page=True)]
        flows = []
        for index, item in enumerate(phase.items):
            block = self.item(item)
            if index == 0:
                # The heading stays with the first exercise: never a heading alone at a page end.
                flows.append(_Flow(_Stack([heading, _Space(_mm(5)), block]), new_page=True))
            else:
                flows.append(_Flow(block, _mm(8), separator=True))
        return flows

    def item(self, item: PlanItem) -> _Stack:
        library = self.content.library
        exercise = library.by_id(item.exercise_id)
        name = exercise.name if exercise is not None else item.exercise_id
        stack = _Stack([self.text(name, EXERCISE), _Space(_pt(6))])

        picture_box = _mm(72)
        path = library.illustration_for(exercise) if exercise is not None else None
        picture = _Picture(path, picture_box, _mm(48)) if path is not None else None
        gap = _mm(6)
        shown = picture if picture is not None and picture.valid else None
        # The text starts right after the picture as drawn (a tall photo is narrower).
        beside = self.width - shown.width - gap if shown is not None else self.width
        facts = _Stack()
        if exercise is not None:
            facts.add(self.text(exercise.summary, QUIET, beside))
            facts.add(_Space(_pt(6)))
        facts.add(self.text(dose_words(item), BODY, beside, lead=_tr("How much: ")))
        side = side_words(item, exercise)
        if side:
            facts.add(_Space(_pt(3)))
            facts.add(self.text(side, BODY, beside, lead=_tr("Which side: ")))
        facts.add(_Space(_pt(3)))
        when = schedule_words(item.schedule)
        facts.add(self.text(when, BODY, beside, lead=_tr("When: ")))
        if shown is not None:
            stack.add(_Row(shown, facts, shown.width, gap))
        else:
            stack.add(facts)

        if exercise is None:
            stack.add(_Space(_pt(8)))
            missing = _tr(
                "This exercise is not in the library on this computer."
                " Ask your therapist how to do it."
            )
            stack.add(self.text(missing, QUIET))
        else:
            stack.add(_Space(_pt(10)))
            stack.add(self.text(_tr("How to do it"), LABEL))
            indent = _mm(8)
            for number, step in enumerate(exercise.steps, start=1):
                stack.add(_Space(_pt(3)))
                stack.add(self.text(step, marker=f"{number}.", indent=indent))
        if item.note.strip():
            stack.add(_Space(_pt(8)))
            lead = _tr("Note from your therapist: ")
            stack.add(self.text(item.note.strip(), BODY, lead=lead))
        if exercise is not None and exercise.cautions:
            stack.add(_Space(_pt(8)))
            stack.add(self.text(_tr("Take care"), LABEL))
            for caution in exercise.cautions:
                stack.add(_Space(_pt(3)))
                stack.add(self.text(caution, marker="•", indent=_mm(8)))
        return stack


# --- Writing -----------------------------------------------------------------------------------


_PAGE_IDS = {PageSize.A4: QPageSize.PageSizeId.A4, PageSize.LETTER: QPageSize.PageSizeId.Letter}

#: Margins in millimetres: generous, so nothing is lost to a printer's unprintable edge and the
#: page can be hole-punched or pinned up.
_SIDE_MM, _TOP_MM, _BOTTOM_MM = 20.0, 16.0, 22.0
#: The footer's rule sits this far above the bottom edge of the paper, the footer text below it.
_FOOTER_RULE_MM = 15.0


def write_handout(
    path: Path,
    content: HandoutContent,
    page: PageSize = PageSize.A4,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the PDF; returns the number of pages. Safe to call from a worker thread (no widgets).

    `progress(done, total)` is called with pages painted so far; raising from it cancels the
    write and leaves no file behind. Raises OSError when the file cannot be written.
    """
    path = Path(path)
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=".pdf.part", dir=path.parent
    )
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        count = _write(temporary, content, page, progress)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count


def _write(
    path: Path,
    content: HandoutContent,
    page: PageSize,
    progress: Callable[[int, int], None] | None,
) -> int:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    # Zero margins in the page layout: the handout places everything itself, footer included.
    layout = QPageLayout(
        QPageSize(_PAGE_IDS[PageSize(page)]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    writer.setTitle(content.plan.title)
    writer.setCreator("rehab_app")
    if content.author.strip():
        writer.setAuthor(content.author.strip())

    full = layout.fullRectPixels(DPI)
    left, width = _mm(_SIDE_MM), full.width() - 2 * _mm(_SIDE_MM)
    top, bottom = _mm(_TOP_MM), full.height() - _mm(_BOTTOM_MM)
    handout = _Handout(writer, content, width)
    pages = _paginate(handout.flows(), top, bottom, width)
    total = len(pages)
    if progress is not None:
        progress(0, total)

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(_tr("Cannot write the handout to %1.").replace("%1", str(path)))
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for number, placed in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            for y, block in placed.placed:
                block.paint(painter, left, y)
            _footer(painter, writer, content.plan.title, number, total, left, width, full.height())
            if progress is not None:
                progress(number, total)
    finally:
        painter.end()
    return total


def _footer(
    painter: QPainter,
    device: QPaintDevice,
    title: str,
    number: int,
    total: int,
    left: float,
    width: float,
    page_height: float,
) -> None:
    line_y = page_height - _mm(_FOOTER_RULE_MM)
    _Rule(width).paint(painter, left, line_y)
    count = _tr("Page %1 of %2").replace("%1", str(number)).replace("%2", str(total))
    font = FOOTER.font()
    metrics = QFontMetricsF(font, device)
    count_width = metrics.horizontalAdvance(count)
    # One line only: a long title is shortened with "…" rather than run into the page number.
    title_room = width - count_width - _mm(8)
    short_title = metrics.elidedText(
        " ".join(_plain(title)), Qt.TextElideMode.ElideRight, title_room
    )
    baseline = line_y + _mm(2.5) + metrics.ascent()
    painter.save()
    painter.setFont(font)
    painter.setPen(FOOTER.colour)
    # drawText with a point draws exactly the given characters: no markup, no wrapping.
    painter.drawText(QPointF(left, baseline), short_title)
    painter.drawText(QPointF(left + width - count_width, baseline), count)
    painter.restore()


def write_plan_handout(
    path: Path, plan: Plan, library: Library, author: str, message: str, page: str
) -> int:
    """`write_handout` in the shape the screens are handed it (they may not import reports)."""
    return write_handout(path, HandoutContent(plan, library, author, message), PageSize(page))
