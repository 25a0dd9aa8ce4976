"""Plain-word, translatable names for the domain's codes (categories, regions, stages ...)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from rehab_app.core.vocabulary import BodyRegion, Category, Position, Side, Stage


def _tr(text: str) -> str:
    return QCoreApplication.translate("labels", text)


def category_label(value: Category) -> str:
    return {
        Category.NEURAL_MOBILISATION: _tr("Nerve glides (nerve flossing)"),
        Category.STRETCH: _tr("Stretches"),
        Category.MOBILITY: _tr("Loosening movements"),
        Category.DIRECTIONAL_PREFERENCE: _tr("Back bends (McKenzie)"),
        Category.MOTOR_CONTROL: _tr("Control and balance"),
        Category.STRENGTH: _tr("Strengthening"),
        Category.AEROBIC: _tr("Walking and fitness"),
    }[value]


def region_label(value: BodyRegion) -> str:
    return {
        BodyRegion.NECK: _tr("Neck"),
        BodyRegion.THORACIC_SPINE: _tr("Upper back"),
        BodyRegion.LUMBAR_SPINE: _tr("Lower back"),
        BodyRegion.ABDOMEN: _tr("Tummy"),
        BodyRegion.PELVIS: _tr("Pelvis"),
        BodyRegion.BUTTOCK: _tr("Buttock"),
        BodyRegion.HIP: _tr("Hip"),
        BodyRegion.THIGH: _tr("Thigh"),
        BodyRegion.KNEE: _tr("Knee"),
        BodyRegion.ANKLE: _tr("Ankle and foot"),
        BodyRegion.SHOULDER: _tr("Shoulder"),
        BodyRegion.WHOLE_BODY: _tr("Whole body"),
    }[value]


def stage_label(value: Stage) -> str:
    return {
        Stage.ACUTE: _tr("Early (first 6 weeks)"),
        Stage.SUBACUTE: _tr("Settling (6 to 12 weeks)"),
        Stage.CHRONIC: _tr("Longer term (over 12 weeks)"),
    }[value]


def position_label(value: Position) -> str:
    return {
        Position.SUPINE: _tr("lying on your back"),
        Position.PRONE: _tr("lying face down"),
        Position.SIDE_LYING: _tr("lying on your side"),
        Position.SITTING: _tr("sitting"),
        Position.STANDING: _tr("standing"),
        Position.FOUR_POINT_KNEELING: _tr("on hands and knees"),
    }[value]


def side_label(value: Side) -> str:
    return {
        Side.AFFECTED: _tr("the painful side"),
        Side.EACH: _tr("each side in turn"),
        Side.ALTERNATE: _tr("left and right alternately"),
        Side.BILATERAL: _tr("both sides together"),
    }[value]


def dose_summary(sets: int, reps: int, hold_s: int) -> str:
    """'2 × 10, hold 5 s', or '10 minutes' for a single long bout such as a walk."""
    parts = []
    if sets * reps > 1:
        parts.append(f"{sets} × {reps}")
    if hold_s >= 60:
        minutes, seconds = divmod(hold_s, 60)
        text = _tr("%1 minutes").replace("%1", str(minutes))
        if seconds:
            text += _tr(" %1 seconds").replace("%1", str(seconds))
        parts.append(text)
    elif hold_s:
        parts.append(_tr("hold %1 s").replace("%1", str(hold_s)))
    return ", ".join(parts) or "1 ×"
