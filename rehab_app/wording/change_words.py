"""Whether a change is real, in plain words (clinical.md §4), and what a safety record means.

The Progress screen, its charts and the printed visit report all say these sentences, so they
live here, below both ui and reports; the numbers come from rehab_app.core.meaningful.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from rehab_app.core.meaningful import ChangeVerdict, Verdict


def _tr(text: str) -> str:
    return QCoreApplication.translate("change_words", text)


def short_date(day: date) -> str:
    """'3 March 2026'."""
    return f"{day.day} {day:%B %Y}"


def number(value: float, decimals: int = 1) -> str:
    """A value as people read it: '7.0' for pain, '6' or '5.1' for a whole-number score."""
    if decimals == 0:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.{decimals}f}"


def points(text: str) -> str:
    return (_tr("%1 point") if text == "1" else _tr("%1 points")).replace("%1", text)


def change_sentence(
    name: str,
    verdict: ChangeVerdict,
    then_words: str,
    now_words: str,
    decimals: int = 1,
    *,
    advise: bool = True,
) -> str:
    """'Leg pain: 7.0 in your first week, 3.1 in the last 7 days: better by 3.9 points. That is
    more than the 2.1 points that count as a real change.'

    `verdict` must have both levels (callers word the "not enough data" cases themselves,
    because what is missing differs). The band is written without trailing zeros ('2 points',
    '2.1 points'); values and changes with `decimals` places. `advise` adds "talk to your
    therapist" to a change for the worse: right for the patient, not in the therapist's report.
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
        if verdict.verdict == Verdict.WORSE and advise:
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


def safety_words(kind: str) -> str:
    """What a safety record means, in the words the checklist uses."""
    words = {
        "emergency": _tr("Red-flag answer: emergency care advised"),
        "same_day": _tr("Red-flag answer: medical advice the same day"),
        "soon": _tr("Red-flag answer: see your GP or physiotherapist soon"),
        "review_plan": _tr("Pain rising two weeks running: review the plan"),
    }
    return words.get(kind, _tr("Safety note: %1").replace("%1", kind))
