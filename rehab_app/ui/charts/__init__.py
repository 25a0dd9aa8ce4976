"""Charts for the Progress screen (pyqtgraph), and the plain words that go with them.

`pain_chart` and `score_chart` import pyqtgraph and numpy at the top, which costs about half a
second: import them only when a chart is first needed (the Progress view does it inside its
background load, so not even the import stalls the window). This package module itself stays
light: the day <-> axis arithmetic, the colours read from the palette, and the sentences that
say whether a change is real (clinical.md §4), which the view and both charts share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette

from rehab_app.core.meaningful import ChangeVerdict, Verdict

DAY_SECONDS = 86400.0
_EPOCH = date(1970, 1, 1)


def _tr(text: str) -> str:
    return QCoreApplication.translate("charts", text)


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


def short_date(day: date) -> str:
    """'3 March 2026'."""
    return f"{day.day} {day:%B %Y}"


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


# Words --------------------------------------------------------------------------------------


def number(value: float, decimals: int = 1) -> str:
    """A value as people read it: '7.0' for pain, '6' or '5.1' for a whole-number score."""
    if decimals == 0:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.{decimals}f}"


def points(text: str) -> str:
    return (_tr("%1 point") if text == "1" else _tr("%1 points")).replace("%1", text)


def change_sentence(
    name: str, verdict: ChangeVerdict, then_words: str, now_words: str, decimals: int = 1
) -> str:
    """'Leg pain: 7.0 in your first week, 3.1 in the last 7 days: better by 3.9 points. That is
    more than the 2.1 points that count as a real change.'

    `verdict` must have both levels (callers word the "not enough data" cases themselves,
    because what is missing differs). The band is written without trailing zeros ('2 points',
    '2.1 points'); values and changes with `decimals` places.
    """
    assert verdict.baseline is not None and verdict.current is not None
    assert verdict.band is not None and verdict.change is not None
    start = number(verdict.baseline, decimals)
    now = number(verdict.current, decimals)
    # The change as the two numbers shown make it, so the sentence adds up for the reader
    # (4.14 and 2.84 show as 4.1 and 2.8: "1.3 lower", not "1.2").
    change = abs(float(now) - float(start))
    band = number(verdict.band, 0)
    size = number(change, decimals)
    head = (
        _tr("%1: %2 %3, %4 %5")
        .replace("%1", name)
        .replace("%2", start)
        .replace("%3", then_words)
        .replace("%4", now)
        .replace("%5", now_words)
    )
    if verdict.verdict in (Verdict.BETTER, Verdict.WORSE):
        # Rounding can show a real change a hair under the band; never print it smaller.
        if float(size) < float(number(verdict.band, decimals)):
            size = number(verdict.band, decimals)
        # "More than" would be untrue for a change exactly the size of the band.
        reaches = size == number(verdict.band, decimals)
        direction = _tr("better by %1") if verdict.verdict == Verdict.BETTER else _tr("worse by %1")
        real = (
            _tr("That is as much as the %1 that count as a real change.")
            if reaches
            else _tr("That is more than the %1 that count as a real change.")
        )
        tail = direction.replace("%1", points(size)) + ". " + real.replace("%1", points(band))
        if verdict.verdict == Verdict.WORSE:
            tail += " " + _tr("If it stays like this, talk to your therapist.")
        return f"{head}: {tail}"
    # Within the band: say which way it moved, and that this is the usual noise.
    if size == number(0, decimals) or size == "0":
        moved = _tr("about the same")
    elif float(size) >= float(number(verdict.band, decimals)):
        # Rounding shows a change a hair under the band as the band: never "2.0 ... less than 2".
        moved = (
            _tr("just under %1 lower") if float(now) < float(start) else _tr("just under %1 higher")
        ).replace("%1", points(band))
    else:
        moved = (_tr("%1 lower") if float(now) < float(start) else _tr("%1 higher")).replace(
            "%1", points(size)
        )
    within = _tr("within the usual ups and downs (less than %1)").replace("%1", points(band))
    return f"{head}: {moved}, {within}."
