"""The printable exercise handout: the plan as a calm, large-type PDF a therapist prints.

How it is built, and why:

- The page machinery (blocks, pagination, footer, atomic writing) is shared with the visit
  report in rehab_app.reports.drawing, whose docstring says why it is built in two passes.
  An exercise is kept whole on one page by knowing its height before anything is drawn.
- Units are device pixels of a 300 dpi QPdfWriter; text stays vector, fonts are embedded.
  SVG pictures are rendered by QSvgRenderer straight into the PDF painter (vector, crisp at any
  zoom); PNG/JPEG pictures are scaled down to 300 dpi at their printed size first, so a huge
  photo from a pack does not bloat the file.
- Plain text only. Plan, pack and therapist text is untrusted: it goes through QTextLayout,
  which never interprets markup, so "<b>" prints as the four characters it is.
- No widgets and no QPixmap: QPdfWriter, QPainter, QImage, QSvgRenderer and QTextLayout all
  work in a worker thread (ARCHITECTURE.md: reports run off the GUI thread).
- The PDF is written to a temporary file beside `path` and renamed at the end (drawing.write_pdf),
  so a failure or a cancel never leaves half a handout under the real name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPaintDevice, QPainter, QPen
from PySide6.QtSvg import QSvgRenderer

from rehab_app.core.plan import Phase, Plan, PlanItem
from rehab_app.reports.drawing import (
    ACCENT,
    MUTED,
    RULE,
    Block,
    Boxed,
    Composer,
    Flow,
    PageSize,
    Row,
    Rule,
    Space,
    Stack,
    TextStyle,
    mm,
    pt,
    write_pdf,
)
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


@dataclass(frozen=True)
class HandoutContent:
    plan: Plan
    library: Library
    author: str = ""  # therapist name, may be empty
    message: str = ""  # note for the patient (plain text)


def _tr(text: str) -> str:
    return QCoreApplication.translate("handout", text)


# --- Look --------------------------------------------------------------------------------------


ZONE_COLOURS = {
    "green": QColor("#3b8f4e"),
    "amber": QColor("#e0a526"),
    "red": QColor("#c4453c"),
    "morning": QColor("#6b7f99"),
}


TITLE = TextStyle(22, bold=True, colour=ACCENT)
PHASE = TextStyle(17, bold=True, colour=ACCENT)
SECTION = TextStyle(14, bold=True, colour=ACCENT)
EXERCISE = TextStyle(15, bold=True)
LABEL = TextStyle(12, bold=True)
BODY = TextStyle(12)
QUIET = TextStyle(12, colour=MUTED)


# --- Blocks: measured pieces that can paint themselves at a position -------------------------


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
            painter.setPen(QPen(RULE, pt(0.75)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(target)
            painter.restore()


# --- The document ------------------------------------------------------------------------------


class _Handout(Composer):
    """Turns the content into flows, measured against `device` (the PDF writer)."""

    body = BODY

    def __init__(self, device: QPaintDevice, content: HandoutContent, width: float) -> None:
        super().__init__(device, width)
        self.content = content

    def flows(self) -> list[Flow]:
        flows = [Flow(self.opening()), *self.glance()]
        for phase in self.content.plan.phases:
            # Each phase starts on a fresh page: the patient can pin up the pages for the weeks
            # they are in and put the rest away.
            flows.extend(self.phase(phase))
        return flows

    def opening(self) -> Stack:
        plan, content = self.content.plan, self.content
        stack = Stack([self.text(plan.title, TITLE)])
        if content.author.strip():
            byline = _tr("Prepared by %1").replace("%1", " ".join(content.author.split()))
            stack.add(Space(pt(3)))
            stack.add(self.text(byline, QUIET))
        stack.add(Space(pt(3)))
        starts = _tr("Your plan starts on %1.").replace("%1", long_date(plan.start))
        stack.add(self.text(starts, QUIET))
        if content.message.strip():
            padding = mm(4)
            inner_width = Boxed.inner_width(self.width, padding)
            note = Stack(
                [
                    self.text(_tr("A note from your therapist"), LABEL, inner_width),
                    Space(pt(3)),
                    self.text(content.message.strip(), BODY, inner_width),
                ]
            )
            stack.add(Space(mm(6)))
            stack.add(Boxed(note, self.width, padding))
        stack.add(Space(mm(7)))
        stack.add(self.text(_tr("Listening to your pain"), SECTION))
        stack.add(Space(pt(4)))
        explain = _tr("Rate your pain from 0 (no pain) to 10 (the worst pain you can imagine).")
        stack.add(self.text(explain))
        indent = mm(7)
        for zone, sentence in pain_rule_lines(plan.thresholds):
            stack.add(Space(pt(5)))
            stack.add(self.text(sentence, marker=ZONE_COLOURS[zone], indent=indent))
        stack.add(Space(pt(8)))
        urgent = _tr(
            "Get medical help at once if you notice numbness around your bottom or genitals,"
            " trouble controlling your bladder or bowels, or weakness in both legs."
        )
        stack.add(self.text(urgent, LABEL))
        return stack

    def glance(self) -> list[Flow]:
        """Every phase's exercises one line each: a quick reference for the fridge, and the
        patient sees the whole programme before the detailed pages. Lines may run on to the next
        page (a long plan); a phase's title stays with its first line."""
        flows = []
        for number, phase in enumerate(self.content.plan.phases):
            lead = [self.text(_tr("Your exercises at a glance"), SECTION), Space(pt(4))]
            when = phase_start_words(self.content.plan, phase)
            group = Stack(
                [*(lead if number == 0 else []), self.text(when, lead=phase.name + "  ·  ")]
            )
            lines: list[Block] = []
            for item in phase.items:
                exercise = self.content.library.by_id(item.exercise_id)
                name = exercise.name if exercise is not None else item.exercise_id
                line = _tr("%1; %2").replace("%1", dose_words(item))
                line = line.replace("%2", schedule_words(item.schedule))
                lines.append(self.text(line, lead=name + ": ", marker="•", indent=mm(6)))
            if not phase.items:
                lines.append(self.text(_tr("No exercises in this part of the plan."), QUIET))
            group.add(Space(pt(3)))
            group.add(lines[0])
            flows.append(Flow(group, mm(8) if number == 0 else mm(5)))
            flows.extend(Flow(line, pt(3)) for line in lines[1:])
        return flows

    def phase(self, phase: Phase) -> list[Flow]:
        heading = Stack(
            [
                self.text(phase.name, PHASE),
                Space(pt(2)),
                self.text(phase_start_words(self.content.plan, phase), QUIET),
                Space(pt(6)),
                Rule(self.width, ACCENT, 1.2),
            ]
        )
        if not phase.items:
            empty = self.text(_tr("No exercises in this part of the plan."), QUIET)
            return [Flow(Stack([heading, Space(mm(5)), empty]), new_page=True)]
        flows = []
        for index, item in enumerate(phase.items):
            block = self.item(item)
            if index == 0:
                # The heading stays with the first exercise: never a heading alone at a page end.
                flows.append(Flow(Stack([heading, Space(mm(5)), block]), new_page=True))
            else:
                flows.append(Flow(block, mm(8), separator=True))
        return flows

    def item(self, item: PlanItem) -> Stack:
        library = self.content.library
        exercise = library.by_id(item.exercise_id)
        name = exercise.name if exercise is not None else item.exercise_id
        stack = Stack([self.text(name, EXERCISE), Space(pt(6))])

        picture_box = mm(72)
        path = library.illustration_for(exercise) if exercise is not None else None
        picture = _Picture(path, picture_box, mm(48)) if path is not None else None
        gap = mm(6)
        shown = picture if picture is not None and picture.valid else None
        # The text starts right after the picture as drawn (a tall photo is narrower).
        beside = self.width - shown.width - gap if shown is not None else self.width
        facts = Stack()
        if exercise is not None:
            facts.add(self.text(exercise.summary, QUIET, beside))
            facts.add(Space(pt(6)))
        facts.add(self.text(dose_words(item), BODY, beside, lead=_tr("How much: ")))
        side = side_words(item, exercise)
        if side:
            facts.add(Space(pt(3)))
            facts.add(self.text(side, BODY, beside, lead=_tr("Which side: ")))
        facts.add(Space(pt(3)))
        when = schedule_words(item.schedule)
        facts.add(self.text(when, BODY, beside, lead=_tr("When: ")))
        if shown is not None:
            stack.add(Row([(0.0, shown), (shown.width + gap, facts)]))
        else:
            stack.add(facts)

        if exercise is None:
            stack.add(Space(pt(8)))
            missing = _tr(
                "This exercise is not in the library on this computer."
                " Ask your therapist how to do it."
            )
            stack.add(self.text(missing, QUIET))
        else:
            stack.add(Space(pt(10)))
            stack.add(self.text(_tr("How to do it"), LABEL))
            indent = mm(8)
            for number, step in enumerate(exercise.steps, start=1):
                stack.add(Space(pt(3)))
                stack.add(self.text(step, marker=f"{number}.", indent=indent))
        if item.note.strip():
            stack.add(Space(pt(8)))
            lead = _tr("Note from your therapist: ")
            stack.add(self.text(item.note.strip(), BODY, lead=lead))
        if exercise is not None and exercise.cautions:
            stack.add(Space(pt(8)))
            stack.add(self.text(_tr("Take care"), LABEL))
            for caution in exercise.cautions:
                stack.add(Space(pt(3)))
                stack.add(self.text(caution, marker="•", indent=mm(8)))
        return stack


# --- Writing -----------------------------------------------------------------------------------


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
    title = content.plan.title
    return write_pdf(
        path,
        lambda device, frame: _Handout(device, content, frame.width).flows(),
        title=title,
        footer=title,
        page=page,
        author=content.author,
        progress=progress,
    )


def write_plan_handout(
    path: Path, plan: Plan, library: Library, author: str, message: str, page: str
) -> int:
    """`write_handout` in the shape the screens are handed it (they may not import reports)."""
    return write_handout(path, HandoutContent(plan, library, author, message), PageSize(page))
