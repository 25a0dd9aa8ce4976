"""The adherence calendar: what it says, what each day reads as, keyboard use, light and dark."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette

from rehab_app.core.adherence import AdherenceSummary, DayStatus, summarise
from rehab_app.ui.widgets.adherence_calendar import (
    DAY_ROLE,
    MARKERS,
    STATUS_ROLE,
    AdherenceCalendar,
    status_fill,
)

D, P, M, R = DayStatus.DONE, DayStatus.PARTLY, DayStatus.MISSED, DayStatus.REST
TODAY = date(2026, 3, 19)  # a Thursday


def history(last: date, statuses: list[DayStatus]) -> list[tuple[date, DayStatus]]:
    first = last - timedelta(days=len(statuses) - 1)
    return [(first + timedelta(days=n), status) for n, status in enumerate(statuses)]


@pytest.fixture
def calendar(qtbot) -> AdherenceCalendar:
    widget = AdherenceCalendar()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_score_and_streak_in_plain_words(calendar: AdherenceCalendar) -> None:
    days = history(TODAY - timedelta(days=1), [D, M, D, P, D, R, D, D])
    calendar.set_summary(summarise(days))
    summary = calendar.summary
    assert summary is not None
    expected = f"Keeping up: {round(summary.score * 100)} %"
    assert calendar.score_label.text() == expected
    assert calendar.score_label.accessibleName() == expected
    assert calendar.streak_label.text() == "Current streak: 5 days"


def test_exact_percentage_text(calendar: AdherenceCalendar) -> None:
    calendar.set_summary(AdherenceSummary(score=0.8249, streak=1, days=((TODAY, D),)))
    assert calendar.score_label.text() == "Keeping up: 82 %"
    assert calendar.streak_label.text() == "Current streak: 1 day"


def test_no_streak_is_put_kindly(calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D, M])))
    assert calendar.streak_label.text() == "Current streak: it starts with your next session"


def test_nothing_due_yet_is_not_called_zero_percent(calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [R, R])))
    assert calendar.score_label.text() == "Keeping up: nothing was due yet"


def test_six_weeks_monday_first_ending_with_the_last_day(calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D] * 10)))
    model = calendar.model
    assert (model.rowCount(), model.columnCount()) == (6, 7)
    assert calendar.weeks == 6
    first: date = model.index(0, 0).data(DAY_ROLE)
    last: date = model.index(5, 6).data(DAY_ROLE)
    assert first.weekday() == 0 and last.weekday() == 6
    assert first <= TODAY <= last and (last - first).days == 41
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "Monday"


def test_the_number_of_weeks_can_be_chosen(qtbot) -> None:
    widget = AdherenceCalendar(weeks=4)
    qtbot.addWidget(widget)
    widget.set_summary(summarise(history(TODAY, [D])))
    assert widget.model.rowCount() == 4


def test_each_day_reads_as_words(calendar: AdherenceCalendar) -> None:
    days = [
        (date(2026, 3, 2), M),
        (date(2026, 3, 3), D),
        (date(2026, 3, 4), P),
        (date(2026, 3, 8), R),
    ]
    calendar.set_summary(summarise(days))
    model = calendar.model
    assert calendar.describe_day(date(2026, 3, 3)) == "Tuesday 3 March: done"
    assert calendar.describe_day(date(2026, 3, 2)) == "Monday 2 March: not done"
    assert calendar.describe_day(date(2026, 3, 4)) == "Wednesday 4 March: partly done"
    assert calendar.describe_day(date(2026, 3, 8)) == "Sunday 8 March: rest day, nothing planned"
    assert calendar.describe_day(date(2026, 3, 5)) == "Thursday 5 March: nothing recorded"
    index = model.index_of(date(2026, 3, 3))
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Tuesday 3 March: done"
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "Tuesday 3 March: done"
    assert index.data(STATUS_ROLE) == D
    assert index.data() == "3"


def test_today_is_never_called_missed_and_later_days_are_to_come(
    calendar: AdherenceCalendar,
) -> None:
    days = history(TODAY, [D, D, M])
    calendar.set_summary(summarise(days, in_progress=TODAY))
    assert calendar.describe_day(TODAY) == "Today, Thursday 19 March: not done yet"
    assert calendar.describe_day(TODAY + timedelta(days=1)) == "Friday 20 March: still to come"
    assert calendar.streak_label.text() == "Current streak: 2 days"
    calendar.set_summary(summarise(history(TODAY, [D, D, D]), in_progress=TODAY))
    assert calendar.describe_day(TODAY) == "Today, Thursday 19 March: done"


def test_an_explicit_today_ends_the_grid_in_its_week(calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY - timedelta(days=2), [D, D])), today=TODAY)
    assert calendar.model.index_of(TODAY).row() == 5
    assert calendar.describe_day(TODAY).startswith("Today, ")
    assert calendar.describe_day(TODAY - timedelta(days=1)).endswith("nothing recorded")


def test_month_names_mark_where_a_month_starts(calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D])))
    model = calendar.model
    assert model.index_of(date(2026, 3, 1)).data() == "1 Mar"
    assert model.index(0, 0).data() == "9 Feb"
    assert model.index_of(date(2026, 3, 2)).data() == "2"


def test_status_is_not_told_by_colour_alone(calendar: AdherenceCalendar) -> None:
    assert len(set(MARKERS.values())) == len(DayStatus)
    assert all(marker.strip() for marker in MARKERS.values())
    legend = calendar.legend.accessibleName()
    for word in ("Done", "Partly done", "Not done", "Rest day"):
        assert word in legend


def test_arrow_keys_move_from_day_to_day(qtbot, calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D] * 20)))
    table = calendar.table
    table.setFocus()
    assert table.currentIndex().data(DAY_ROLE) == TODAY
    qtbot.keyClick(table, Qt.Key.Key_Left)
    assert table.currentIndex().data(DAY_ROLE) == TODAY - timedelta(days=1)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert table.currentIndex().data(DAY_ROLE) == TODAY - timedelta(days=8)
    assert not table.tabKeyNavigation()  # Tab leaves the grid
    assert table.accessibleName() == "Exercise calendar for the last 6 weeks"


def test_the_whole_grid_shows_without_scrolling(qtbot, calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D] * 30)))
    calendar.resize(calendar.sizeHint())
    qtbot.waitUntil(lambda: calendar.table.isVisible())
    table = calendar.table
    last = table.visualRect(calendar.model.index(5, 6))
    assert table.viewport().rect().contains(last)


def test_cells_grow_with_the_font(qtbot) -> None:
    small = AdherenceCalendar()
    qtbot.addWidget(small)
    big = AdherenceCalendar()
    qtbot.addWidget(big)
    font = QFont(big.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    big.setFont(font)
    assert big.table.sizeHint().width() > 1.5 * small.table.sizeHint().width()
    assert big.table.horizontalHeader().defaultSectionSize() > (
        1.5 * small.table.horizontalHeader().defaultSectionSize()
    )


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b_ = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("base", "text"), [("#ffffff", "#000000"), ("#1e1e1e", "#eeeeee")])
def test_fills_are_calm_and_keep_the_marker_readable(base: str, text: str) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    fills = {status: status_fill(palette, status) for status in DayStatus}
    assert len({fill.rgb() for fill in fills.values()}) == len(DayStatus)
    for fill in fills.values():
        assert _contrast(fill, QColor(text)) >= 7  # WCAG AAA for the marker and day number


def test_the_day_model_keeps_the_qt_contract(qtmodeltester, calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D, P, M, R] * 5)))
    qtmodeltester.check(calendar.model)


def test_it_paints(qtbot, calendar: AdherenceCalendar) -> None:
    calendar.set_summary(summarise(history(TODAY, [D, P, M, R] * 10), in_progress=TODAY))
    calendar.resize(calendar.sizeHint())
    image = calendar.grab().toImage()
    assert not image.isNull()
    small = image.scaled(120, 120)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) > 20
