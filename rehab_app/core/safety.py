"""Red flags (clinical.md §5): the checklist a patient can read, and what each answer means.

Any "emergency" item stops the exercise flow and sends the person to emergency care now; any
"same day" item means getting medical advice today; "soon" items mean seeing the GP or
physiotherapist soon. The app never diagnoses: it says what to do, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    SAME_DAY = "same_day"
    SOON = "soon"


@dataclass(frozen=True)
class RedFlag:
    code: str
    urgency: Urgency
    text: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "saddle_numbness",
        Urgency.EMERGENCY,
        "Numbness, tingling or loss of feeling around your bottom, back passage, genitals or"
        " inner thighs (for example, toilet paper feels different when you wipe)",
    ),
    RedFlag(
        "bladder",
        Urgency.EMERGENCY,
        "Difficulty starting to pee, you can't pee, you can't control or stop peeing, or you"
        " are leaking, when this isn't normal for you",
    ),
    RedFlag(
        "bladder_feeling",
        Urgency.EMERGENCY,
        "Not knowing whether your bladder is full or empty, or less feeling when you pee",
    ),
    RedFlag(
        "bowel",
        Urgency.EMERGENCY,
        "Loss of control of your bowels, or not noticing when you need to poo",
    ),
    RedFlag(
        "sexual",
        Urgency.EMERGENCY,
        "New loss of feeling in your genitals, or new problems with sex (for example erection"
        " or ejaculation problems)",
    ),
    RedFlag(
        "both_legs",
        Urgency.EMERGENCY,
        "Sciatica in both legs, or weakness or numbness in both legs that is severe or"
        " getting worse",
    ),
    RedFlag(
        "legs_give_way",
        Urgency.EMERGENCY,
        "Your legs suddenly become weak or give way, or you suddenly can't walk normally",
    ),
    RedFlag(
        "worsening_weakness",
        Urgency.SAME_DAY,
        "Weakness in your leg or foot is getting worse (for example your foot slaps or"
        " catches and you trip), or numbness is spreading",
    ),
    RedFlag(
        "fever",
        Urgency.SAME_DAY,
        "Back pain with a fever, chills or feeling generally unwell; or a recent infection,"
        " injecting drugs, or a weakened immune system (for example long-term steroids or"
        " chemotherapy)",
    ),
    RedFlag(
        "cancer_weight",
        Urgency.SAME_DAY,
        "You have had cancer before and now have new back pain, or you are losing weight"
        " without trying",
    ),
    RedFlag(
        "trauma",
        Urgency.SAME_DAY,
        "The pain started after a significant fall or accident, or after a minor fall or lift"
        " if you have osteoporosis or take long-term steroids",
    ),
    RedFlag(
        "night_pain",
        Urgency.SAME_DAY,
        "The pain is constant and severe, not eased by rest or changing position, and worse"
        " at night or lying flat",
    ),
    RedFlag(
        "upper_back",
        Urgency.SAME_DAY,
        "The pain is mainly in your upper or middle back (between the shoulder blades), or"
        " the shape of your back is changing",
    ),
    RedFlag(
        "not_improving",
        Urgency.SOON,
        "The pain has not improved after a few weeks of self-care, is getting worse, or is"
        " stopping you doing normal activities",
    ),
    RedFlag(
        "one_leg_persisting",
        Urgency.SOON,
        "Numbness, pins and needles or weakness in one leg is not going away",
    ),
)

BY_CODE = {flag.code: flag for flag in RED_FLAGS}

EMERGENCY_NUMBERS = "999 in the UK, 112 in the EU, 911 in the US"

#: The checklist is shown at first start and again weekly (clinical.md §5, "App behaviour").
CHECKLIST_EVERY_DAYS = 7


def most_urgent(codes: list[str]) -> Urgency | None:
    """The most urgent level among the ticked items, or None when nothing was ticked."""
    levels = {BY_CODE[code].urgency for code in codes if code in BY_CODE}
    for level in (Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.SOON):
        if level in levels:
            return level
    return None


def checklist_due(last_done: date | None, today: date) -> bool:
    return last_done is None or today - last_done >= timedelta(days=CHECKLIST_EVERY_DAYS)
