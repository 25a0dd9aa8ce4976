"""Charts for the Progress screen (pyqtgraph), and the plain words that go with them.

`pain_chart` and `score_chart` import pyqtgraph and numpy at the top, which costs about half a
second: import them only when a chart is first needed (the Progress view does it inside its
background load, so not even the import stalls the window). This package module itself stays
light: the day <-> axis arithmetic, the colours read from the palette, and the sentences that
say whether a change is real (clinical.md §4, now in rehab_app.wording.change_words), which
the view, both charts and the visit report share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtGui import QColor, QPalette

# The sentences live in wording, so the printed visit report says exactly what the screen says;
# imported here under their old names for the charts and the view.
from rehab_app.wording.change_words import change_sentence as change_sentence
from rehab_app.wording.change_words import number as number
from rehab_app.wording.change_words import points as points
from rehab_app.wording.change_words import short_date as short_date

DAY_SECONDS = 86400.0
_EPOCH = date(1970, 1, 1)


# Days on the x axis -------------------------------------------------------------------------


def day_to_x(day: date) -> float:
    """The x position of a local calendar day: its midnight as if it were UTC.

    The axis shows these with a zero UTC offset, so a day is drawn on its own date whatever
    the computer's time zone (the days themselves are already local days).
    """
    return (day - _EPOCH).days * DAY_SECONDS


def x_to_day(x: float) -> date:
    """The day nearest to an x position."""
    return _EPOCH + timedelta(days=round(x / DAY_SECONDS))


def long_date(day: date) -> str:
    """'Tuesday 3 March 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


# Colours ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartColours:
    """Colours for one palette. Series are also told apart by line style and marker shape,
    and every one is named in words in the legend: colour is never the only clue."""

    background: QColor
    foreground: QColor
    faint: QColor  # grid and minor text
    leg: QColor
    back: QColor
    sessions: QColor
    plan: QColor
    safety: QColor
    cursor: QColor
    dark: bool


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def colours_for(palette: QPalette) -> ChartColours:
    """Okabe-Ito colours (safe for colour-blind readers), darker on light backgrounds and
    lighter on dark ones so each keeps its contrast."""
    dark = is_dark(palette)
    foreground = palette.color(QPalette.ColorRole.Text)
    faint = QColor(foreground)
    faint.setAlpha(70)
    if dark:
        leg, back, sessions, safety = "#56b4e9", "#f0a830", "#3fbf95", "#ff6b6b"
    else:
        leg, back, sessions, safety = "#0063a0", "#b35900", "#009e73", "#c62828"
    plan = QColor("#c58ab5" if dark else "#8a3f7a")
    return ChartColours(
        background=palette.color(QPalette.ColorRole.Base),
        foreground=foreground,
        faint=faint,
        leg=QColor(leg),
        back=QColor(back),
        sessions=QColor(sessions),
        plan=plan,
        safety=QColor(safety),
        cursor=QColor(foreground),
        dark=dark,
    )
