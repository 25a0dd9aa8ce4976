"""The printable handout: written as a real PDF, then read back with QtPdf as a reader would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument

from rehab_app.core.plan import PainThresholds, Phase, Plan, PlanItem, PlanSide, Schedule
from rehab_app.reports.handout import HandoutContent, PageSize, write_handout
from rehab_app.services.catalog import Library
from rehab_app.wording.labels import dose_summary

MESSAGE = "Hello Sam,\nGo gently for the first week. Walking counts too!"
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def item(library: Library, exercise_id: str, **changes: object) -> PlanItem:
    exercise = library.by_id(exercise_id)
    assert exercise is not None, exercise_id
    dose = exercise.dosage
    values: dict[str, object] = {
        "exercise_id": exercise_id,
        "sets": dose.sets.default,
        "reps": dose.reps.default,
        "hold_s": dose.hold_s.default,
        "rest_s": dose.rest_s.default,
        "schedule": Schedule(times=[time(8), time(18)], weekdays=EVERY_DAY),
    }
    values.update(changes)
    return PlanItem.model_validate(values)


def two_phase_plan(library: Library, **changes: object) -> Plan:
    """Like the starter plan: two phases, the second one adding a strengthening exercise that is
    done on each side."""
    gentle = [
        item(library, "sciatic_nerve_slider_supine"),
        item(library, "pelvic_tilt", note="Keep breathing out as you flatten your back."),
        item(
            library,
            "walking_programme",
            schedule=Schedule(times=[time(11)], every_n_days=2),
        ),
    ]
    clamshell = item(
        library,
        "clamshell",
        side=PlanSide.BOTH,
        schedule=Schedule(times=[time(18)], weekdays=[1, 3, 5]),
    )
    values: dict[str, object] = {
        "title": "Back on my feet",
        "start": date(2026, 4, 6),
        "message": MESSAGE,
        "phases": [
            Phase(name="Weeks 1-2: gentle start", starts_on_day=0, items=gentle),
            Phase(name="From week 3: add strength", starts_on_day=14, items=[*gentle, clamshell]),
        ],
    }
    values.update(changes)
    return Plan.model_validate(values)


def read(path: Path) -> tuple[QPdfDocument, list[str]]:
    """The PDF opened as a reader would, and each page's text with whitespace (and the line
    breaks wrapping puts in) folded to single spaces."""
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    pages = [
        " ".join(document.getAllText(page).text().split()) for page in range(document.pageCount())
    ]
    return document, pages


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("page", "points"), [(PageSize.A4, (595, 842)), (PageSize.LETTER, (612, 792))]
)
def test_the_handout_holds_the_whole_plan(
    qapp, tmp_path: Path, shipped_library: Library, page: PageSize, points: tuple[int, int]
) -> None:
    plan = two_phase_plan(shipped_library)
    target = tmp_path / "handout.pdf"
    content = HandoutContent(plan, shipped_library, author="Alex Morgan", message=MESSAGE)

    count = write_handout(target, content, page)

    document, pages = read(target)
    assert count == document.pageCount() >= 3
    for number in range(count):
        size = document.pagePointSize(number)
        assert (round(size.width()), round(size.height())) == points  # portrait
    text = " ".join(pages)
    assert "Back on my feet" in pages[0]
    assert "Prepared by Alex Morgan" in pages[0]
    assert "Monday, 6 April 2026" in pages[0]
    assert squash(MESSAGE) in pages[0]
    # The pain-monitoring rule, from the plan's thresholds, on the first page.
    assert "Pain up to 3 out of 10 while you exercise is fine: keep going." in pages[0]
    assert "Pain of 4 to 5 out of 10: ease off." in pages[0]
    assert "Pain above 5 out of 10: stop the exercise and tell your therapist." in pages[0]
    assert "no more than 2 points worse than usual" in pages[0]
    # Phases in order, with when they start.
    assert text.index("Weeks 1-2: gentle start") < text.index("From week 3: add strength")
    assert "From the start, Monday, 6 April 2026" in text
    assert "From day 15, Monday, 20 April 2026" in text
    for phase in plan.phases:
        for entry in phase.items:
            exercise = shipped_library.by_id(entry.exercise_id)
            assert exercise is not None
            assert exercise.name in text
            assert squash(exercise.steps[0]) in text
            assert squash(exercise.cautions[-1]) in text
            assert dose_summary(entry.sets, entry.reps, entry.hold_s) in text
    assert "rest 30 s between sets" in text
    assert "08:00 and 18:00, every day" in text
    assert "11:00, every 2 days" in text
    assert "18:00 on Monday, Wednesday and Friday" in text
    assert "Which side: each side" in text
    assert "Note from your therapist: Keep breathing out as you flatten your back." in text
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page_text
        assert "Back on my feet" in page_text  # the footer


def test_each_exercise_is_kept_on_one_page(qapp, tmp_path: Path, shipped_library: Library) -> None:
    plan = two_phase_plan(shipped_library)
    target = tmp_path / "handout.pdf"
    write_handout(target, HandoutContent(plan, shipped_library), PageSize.LETTER)

    _, pages = read(target)
    exercises = {entry.exercise_id for phase in plan.phases for entry in phase.items}
    pages_with_steps = 0
    for exercise_id in exercises:
        exercise = shipped_library.by_id(exercise_id)
        assert exercise is not None
        first_step, last_caution = squash(exercise.steps[0]), squash(exercise.cautions[-1])
        for page_text in pages:
            if first_step in page_text:
                pages_with_steps += 1
                assert last_caution in page_text, exercise.name
    # Each phase prints its exercises in full: 3 in the first, the same 3 and 1 more in the next.
    assert pages_with_steps == sum(len(phase.items) for phase in plan.phases) == 7


def test_the_thresholds_come_from_the_plan(qapp, tmp_path: Path, shipped_library: Library) -> None:
    limits = PainThresholds(green_max=2, amber_max=4, morning_rise_amber=1)
    plan = two_phase_plan(shipped_library, thresholds=limits)
    target = tmp_path / "handout.pdf"
    write_handout(target, HandoutContent(plan, shipped_library))

    _, pages = read(target)
    assert "Pain up to 2 out of 10" in pages[0]
    assert "Pain of 3 to 4 out of 10" in pages[0]
    assert "Pain above 4 out of 10" in pages[0]
    assert "no more than 1 point worse than usual" in pages[0]
    assert "Prepared by" not in pages[0]  # no author given


def test_a_png_picture_is_printed(qapp, tmp_path: Path, shipped_library: Library) -> None:
    # A loud colour no built-in picture uses, so the rendered page shows whether it was drawn.
    picture = tmp_path / "photo.png"
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 0, 255))
    assert image.save(str(picture))
    library = replace(
        shipped_library, illustrations=dict.fromkeys(shipped_library.illustrations, picture)
    )
    plan = two_phase_plan(library)
    target = tmp_path / "handout.pdf"
    write_handout(target, HandoutContent(plan, library))

    document, pages = read(target)
    assert "Sciatic nerve slider (lying)" in pages[1]
    rendered = document.render(1, QSize(595, 842))

    def is_magenta(colour: QColor) -> bool:  # near enough: the PDF may compress the picture
        return colour.red() > 240 and colour.green() < 15 and colour.blue() > 240

    magenta = sum(
        1
        for y in range(0, rendered.height(), 4)
        for x in range(0, rendered.width(), 4)
        if is_magenta(rendered.pixelColor(x, y))
    )
    # The picture box is at most 72 x 48 mm: about 1,300 of the sampled points for a 4:3 photo.
    assert magenta > 500


def test_text_from_a_pack_is_printed_literally(
    qapp, tmp_path: Path, shipped_library: Library
) -> None:
    hostile = "<b>bold</b> & <i>x</i>"
    bridge = shipped_library.by_id("glute_bridge")
    assert bridge is not None
    changed = bridge.model_copy(
        update={
            "name": "<b>bold</b> bridge",
            "steps": [f"Lift {hostile} slowly.", *bridge.steps[1:]],
            "cautions": ["<script>alert(1)</script>"],
        }
    )
    library = replace(
        shipped_library,
        exercises=tuple(
            changed if e.id == "glute_bridge" else e for e in shipped_library.exercises
        ),
    )
    phase = Phase(
        name="<h1>Phase</h1>",
        starts_on_day=0,
        items=[item(library, "glute_bridge", note="<a href='x'>link</a>")],
    )
    plan = Plan(title="<b>bold</b> plan", start=date(2026, 4, 6), phases=[phase], message=hostile)
    target = tmp_path / "handout.pdf"
    write_handout(target, HandoutContent(plan, library, author="<i>Dr</i>", message=hostile))

    _, pages = read(target)
    text = " ".join(pages)
    for literal in (
        "<b>bold</b> plan",
        "<b>bold</b> bridge",
        f"Lift {hostile} slowly.",
        "<script>alert(1)</script>",
        "<h1>Phase</h1>",
        "<a href='x'>link</a>",
        "Prepared by <i>Dr</i>",
        hostile,
    ):
        assert literal in text, literal


def test_an_exercise_longer_than_a_page_runs_on_instead_of_being_cut(
    qapp, tmp_path: Path, shipped_library: Library
) -> None:
    bridge = shipped_library.by_id("glute_bridge")
    assert bridge is not None
    words = "Move slowly and breathe out as you lift, then rest a moment before the next one. " * 7
    steps = [f"Step {n}: {words}".strip()[:600] for n in range(1, 13)]
    cautions = [f"Caution {n}: {words}".strip()[:600] for n in range(1, 13)]
    wordy = bridge.model_copy(update={"steps": steps, "cautions": cautions})
    library = replace(
        shipped_library,
        exercises=tuple(wordy if e.id == "glute_bridge" else e for e in shipped_library.exercises),
    )
    plan = Plan(
        title="Long",
        start=date(2026, 4, 6),
        phases=[Phase(name="Only phase", starts_on_day=0, items=[item(library, "glute_bridge")])],
    )
    target = tmp_path / "handout.pdf"
    count = write_handout(target, HandoutContent(plan, library))

    _, pages = read(target)
    assert count == len(pages) >= 4  # the opening page, then the exercise over several pages
    text = " ".join(pages)
    for line in (*steps, *cautions):
        assert squash(line) in text


def test_an_exercise_missing_from_the_library_still_prints(
    qapp, tmp_path: Path, shipped_library: Library
) -> None:
    plan = two_phase_plan(shipped_library)
    library = replace(
        shipped_library,
        exercises=tuple(e for e in shipped_library.exercises if e.id != "pelvic_tilt"),
    )
    target = tmp_path / "handout.pdf"
    write_handout(target, HandoutContent(plan, library))

    _, pages = read(target)
    text = " ".join(pages)
    assert "pelvic_tilt" in text
    assert "This exercise is not in the library on this computer." in text
    assert "Note from your therapist: Keep breathing out" in text


def write_in_worker(
    write: Callable[[Callable[[int, int], None]], int],
) -> tuple[int, list[tuple[int, int]]]:
    """Run `write(progress)` on a plain thread, as the app's worker pool does; returns the
    pages written and every progress call, after checking the calls count every page once."""
    calls: list[tuple[int, int]] = []
    result: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            result.append(write(lambda done, total: calls.append((done, total))))
        except BaseException as error:  # handed to the test thread below
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert errors == []
    (count,) = result
    assert calls[0] == (0, count)
    assert calls[-1] == (count, count)
    assert [done for done, _ in calls] == list(range(count + 1))
    return count, calls


def test_writing_in_a_worker_thread_reports_progress(
    qapp, tmp_path: Path, shipped_library: Library
) -> None:
    plan = two_phase_plan(shipped_library)
    target = tmp_path / "handout.pdf"
    count, _ = write_in_worker(
        lambda progress: write_handout(
            target, HandoutContent(plan, shipped_library), progress=progress
        )
    )
    assert read(target)[0].pageCount() == count


def test_cancelling_leaves_no_file_behind(qapp, tmp_path: Path, shipped_library: Library) -> None:
    class CancelledError(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise CancelledError

    plan = two_phase_plan(shipped_library)
    target = tmp_path / "handout.pdf"
    with pytest.raises(CancelledError):
        write_handout(target, HandoutContent(plan, shipped_library), progress=cancel)
    assert list(tmp_path.iterdir()) == []
