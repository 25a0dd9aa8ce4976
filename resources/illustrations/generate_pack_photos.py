"""Generate the pictures of the example packs' own exercises (PNG, 640 x 300).

A pack may carry pictures only as PNG or JPEG (docs/pack-format.md), so the exercises a
therapist adds in an example pack get a PNG instead of the SVG the built-in exercises use.
The drawing reuses the parametric figure of ``generate.py`` (same palette, proportions and
two-panel card), writes the SVG to memory and renders it with Qt's SVG renderer.

Run it from the repository root to (re)write the pictures::

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/illustrations/generate_pack_photos.py

Pictures written:

- ``exercises/packs/strengthening/media/sit_to_stand.png``
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import generate as g  # noqa: E402  (the built-in illustration generator next to this file)

# --------------------------------------------------------------------------
# Sit to stand
# --------------------------------------------------------------------------

#: Chair of the seated nerve exercises: seat front at x = 0.1, back at x = -0.27.
CHAIR_FRONT = 0.1
#: Feet a little behind the knees, as the steps say, so the weight can come over them.
FEET_X = 0.2


def arms_crossed(pose: g.Pose) -> g.Pose:
    """Forearms folded across the chest, hands resting near the opposite shoulder."""
    body = g.solve_body(pose)
    trunk = g.thorax_angle(pose) + 90  # world angle of the trunk's long axis
    chest = g.lerp(body["mid"], body["neck_base"], 0.4)
    front = g.polar(trunk - 90, g.W_TORSO / 2 + g.W_FORE / 2 - 0.004)
    wrist = (chest[0] + front[0], chest[1] + front[1])
    return g.both_arms_to(pose, wrist, trunk - 5)


def leaning_forward() -> g.Pose:
    """Sitting at the front of the seat, hinged forward from the hips, back straight."""
    pose = g.Pose(root=(0.02, g.SEAT + 0.056), pitch=-38.0, lumbar=-4.0, thoracic=2.0, neck=-14.0)
    pose = g.both_legs_to(pose, (FEET_X, g.ANKLE_HEIGHT))
    return arms_crossed(pose)


def standing_tall() -> g.Pose:
    """Standing up in front of the chair, feet where they were, arms still crossed."""
    pose = g.Pose(root=(FEET_X - 0.02, g.STAND_Y - 0.006))
    pose = g.leg_to(pose, "r", (FEET_X, g.ANKLE_HEIGHT))
    pose = g.leg_to(pose, "l", (FEET_X - 0.02, g.ANKLE_HEIGHT))
    return arms_crossed(pose)


def sit_to_stand() -> g.Illustration:
    a = g.solve_body(leaning_forward())
    b = g.solve_body(standing_tall())
    # Arrow beside the buttocks: up and forwards, the way the hips travel.
    rise = g.travel_arrow(g.SIDE_VIEW, a, b, "pelvis", shift=(-0.13, 0.0), trim=0.04)
    return g.Illustration(
        "sit_to_stand",
        (
            g.Panel(a, ("r_thigh",), g.chair_props()),
            g.Panel(b, ("r_thigh",), g.chair_props(), arrows=rise),
        ),
        ground="floor",
    )


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

PICTURES: tuple[tuple[Callable[[], g.Illustration], Path], ...] = (
    (sit_to_stand, REPO / "exercises" / "packs" / "strengthening" / "media" / "sit_to_stand.png"),
)


def svg_to_png(svg: str, path: Path) -> None:
    """Render ``svg`` at its own size (640 x 300) to a PNG file with Qt."""
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        QGuiApplication([])
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise RuntimeError(f"the SVG for {path.name} could not be read")
    image = QImage(g.WIDTH, g.HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise RuntimeError(f"could not write {path}")


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for build, path in PICTURES:
        svg_to_png(g.render(build()), path)
        print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
