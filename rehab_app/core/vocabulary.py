"""The fixed vocabularies of exercise files: categories, body regions, positions, stages, sides.

Kept apart from the pydantic models so screens can build their filters without importing
pydantic before the window's first paint.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    NEURAL_MOBILISATION = "neural_mobilisation"
    STRETCH = "stretch"
    MOBILITY = "mobility"
    DIRECTIONAL_PREFERENCE = "directional_preference"
    MOTOR_CONTROL = "motor_control"
    STRENGTH = "strength"
    AEROBIC = "aerobic"


class BodyRegion(StrEnum):
    NECK = "neck"
    THORACIC_SPINE = "thoracic_spine"
    LUMBAR_SPINE = "lumbar_spine"
    ABDOMEN = "abdomen"
    PELVIS = "pelvis"
    BUTTOCK = "buttock"
    HIP = "hip"
    THIGH = "thigh"
    KNEE = "knee"
    ANKLE = "ankle"
    SHOULDER = "shoulder"
    WHOLE_BODY = "whole_body"


class Position(StrEnum):
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side_lying"
    SITTING = "sitting"
    STANDING = "standing"
    FOUR_POINT_KNEELING = "four_point_kneeling"


class Stage(StrEnum):
    """Acute 0-6 weeks, subacute 6-12 weeks, chronic 12 weeks or more (clinical.md §1)."""

    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


class Side(StrEnum):
    AFFECTED = "affected"  # the painful side only
    EACH = "each"  # all sets on one side, then the other
    ALTERNATE = "alternate"  # left and right in turn within a set
    BILATERAL = "bilateral"  # both sides at once, or no side
