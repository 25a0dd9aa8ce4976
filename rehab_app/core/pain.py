"""The pain-monitoring ("traffic light") rule, clinical.md §2.1 and its table.

Pain during an exercise up to `green_max` is fine, up to `amber_max` acceptable, above it the
exercise is stopped for today and the easier version suggested. For nerve exercises the
stricter neural rules apply on top: tingling that spreads further down the leg is red, and
tingling that lingers is amber. The limits come from the plan (a therapist may set them), not
from constants here. The advice is coaching, never a diagnosis.
"""

from __future__ import annotations

from rehab_app.core.plan import PainThresholds
from rehab_app.core.session import Advice, Effort, Light, NerveResponse

_RANK = {Light.GREEN: 0, Light.AMBER: 1, Light.RED: 2}


def advise(
    pain_during: int | None,
    thresholds: PainThresholds,
    nerve_response: NerveResponse | None = None,
    effort: Effort | None = None,
) -> Advice:
    """Green / amber / red advice for one exercise, with the reason in plain words."""
    candidates: list[Advice] = [Advice(light=Light.GREEN, message=_green(effort))]
    if pain_during is not None and pain_during > thresholds.amber_max:
        candidates.append(
            Advice(
                light=Light.RED,
                message=(
                    f"Pain of {pain_during} out of 10 is above your limit of"
                    f" {thresholds.amber_max}. Stop this exercise for today and use the easier"
                    " version next time. If the pain stays high, contact your therapist."
                ),
            )
        )
    elif pain_during is not None and pain_during > thresholds.green_max:
        candidates.append(
            Advice(
                light=Light.AMBER,
                message=(
                    f"Pain of {pain_during} out of 10 is acceptable, but ease off a little: keep"
                    " the same dose, and check that it has settled by tomorrow morning."
                ),
            )
        )
    if nerve_response == NerveResponse.SPREAD:
        candidates.append(
            Advice(
                light=Light.RED,
                message=(
                    "Symptoms spreading further down the leg mean this exercise is too much"
                    " for now. Stop it for today and tell your therapist."
                ),
            )
        )
    elif nerve_response == NerveResponse.LINGERED:
        candidates.append(
            Advice(
                light=Light.AMBER,
                message=(
                    "Tingling that lingers means the nerve was pushed a little far. Next time"
                    " use a smaller range and go only to the first light tension."
                ),
            )
        )
    return max(candidates, key=lambda advice: _RANK[advice.light])


def _green(effort: Effort | None) -> str:
    if effort == Effort.TOO_HARD:
        return "Pain is within your limits. It felt hard: keep this dose until it feels easier."
    if effort == Effort.EASY:
        return "Pain is within your limits and it felt easy: keep going as prescribed."
    return "Pain is within your limits: keep going as prescribed."
