"""Generate the exercise illustrations used by rehab_app.

Every exercise gets one SVG card (640 x 300) with two panels side by side that
show the two key positions of the movement (start and end, or the two ends of
a rhythmic movement), a circled 1 / 2 in the corner of each panel and a subtle
arrow between them. There is no other text, because the app is translated.

The person is built from a small parametric skeleton. Joint angles (trunk,
neck, shoulders, elbows, hips, knees, ankles) go through forward kinematics
to give 3D joint positions; a few inverse-kinematics helpers put hands and
feet where they belong (on the floor, on a thigh, under the shoulders). The
joints are projected with an orthographic camera (a plain side view for most
exercises) and drawn as thick round-capped strokes: the torso thicker than
the limbs, the thighs thicker than the shins, a head with a hair cap, eye and
nose so that the face direction is readable. Limbs on the far side of the
body are drawn first in a lighter tint; the moving body part is drawn in a
warm accent colour and a curved arrow shows where the movement happens.

The script only needs the Python standard library. Run it from the
repository root to (re)write ``<exercise id>.svg`` next to this file::

    python resources/illustrations/generate.py
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent

# --------------------------------------------------------------------------
# Palette
# --------------------------------------------------------------------------

CARD = "#f7f9fb"
CARD_EDGE = "#e2e8ee"
FIGURE = "#34495e"
FIGURE_FAR = "#8fa3b8"
FACE = "#456079"
HAIR = "#1c2833"
ACCENT = "#e67e22"
ACCENT_FAR = "#f2b47c"
MAT_TOP = "#dceae1"
MAT_SIDE = "#bcd2c5"
FLOOR = "#ccd5de"
PROP = "#c3ced9"
PROP_DARK = "#a3b2c1"
CUSHION = "#d3dce5"
STRAP = "#b0916a"
BADGE_RING = "#a9b7c5"
BADGE_TEXT = "#5d6d7e"
HINT = "#c3cdd7"

# --------------------------------------------------------------------------
# Card layout (pixels)
# --------------------------------------------------------------------------

WIDTH = 640
HEIGHT = 300
PANEL_X = (14.0, 334.0)
PANEL_W = 292.0
FIT_TOP = 46.0
FIT_BOTTOM = 280.0
FIT_MARGIN = 12.0
MAX_SCALE = 250.0  # pixels per body height

# --------------------------------------------------------------------------
# Body proportions, in units of standing height
# --------------------------------------------------------------------------

THIGH = 0.245
SHIN = 0.245
UPPER_ARM = 0.175
FOREARM = 0.15
HAND = 0.062
LUMBAR = 0.14
THORAX = 0.16
NECK = 0.045
HEAD_R = 0.062
HIP_HALF = 0.05
SHOULDER_HALF = 0.09
SHOULDER_DROP = 0.035
ANKLE_HEIGHT = 0.045
HEEL = (-0.03, -0.025)
TOE = (0.085, -0.03)

W_TORSO = 0.125
W_QUAD = 0.07
W_NECK = 0.05
W_THIGH = 0.095
W_SHIN = 0.064
W_FOOT = 0.04
W_UPPER = 0.056
W_FORE = 0.046
W_HAND = 0.034
W_GAP = 0.011
W_ARROW = 0.017
FAR_DEPTH = 0.035  # a limb this much deeper than the trunk is tinted

Vec = tuple[float, float, float]
Vec2 = tuple[float, float]
Mat = tuple[Vec, Vec, Vec]

# --------------------------------------------------------------------------
# Vector helpers
# --------------------------------------------------------------------------


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def mul(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )


def length(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def unit(a: Vec) -> Vec:
    n = length(a)
    return mul(a, 1.0 / n) if n > 1e-12 else (0.0, 0.0, 0.0)


def lerp(a: Vec, b: Vec, t: float) -> Vec:
    return add(a, mul(sub(b, a), t))


def polar(angle: float, radius: float = 1.0) -> Vec:
    """Point in the x-y plane at ``angle`` degrees from +x."""
    a = math.radians(angle)
    return (radius * math.cos(a), radius * math.sin(a), 0.0)


def angle_of(v: Vec | Vec2) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def wrap(angle: float) -> float:
    """Wrap an angle in degrees into [-180, 180)."""
    return (angle + 180.0) % 360.0 - 180.0


def rot_x(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def mat_vec(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def mat_mul_pair(a: Mat, b: Mat) -> Mat:
    c0, c1, c2 = ((b[0][i], b[1][i], b[2][i]) for i in range(3))
    r0, r1, r2 = ((dot(row, c0), dot(row, c1), dot(row, c2)) for row in a)
    return (r0, r1, r2)


def mat_mul(*ms: Mat) -> Mat:
    """Product of several 3x3 matrices, left to right."""
    return reduce(mat_mul_pair, ms)


def rotate_about(point: Vec, origin: Vec, axis: Vec, deg: float) -> Vec:
    """Rotate ``point`` about the line through ``origin`` along ``axis``."""
    k = unit(axis)
    v = sub(point, origin)
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    turned = add(add(mul(v, c), mul(cross(k, v), s)), mul(k, dot(k, v) * (1 - c)))
    return add(origin, turned)


def bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Root of ``f`` between ``lo`` and ``hi`` (f must change sign)."""
    f_lo = f(lo)
    for _ in range(60):
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if (f_mid < 0) == (f_lo < 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


# --------------------------------------------------------------------------
# Skeleton: pose (joint angles) -> body (joint positions)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Limb:
    """Joint angles of one arm or leg, in degrees.

    ``flex`` is shoulder or hip flexion (the limb swings forwards), ``abduct``
    moves it away from the midline, ``bend`` is elbow or knee flexion, ``end``
    is wrist extension or ankle dorsiflexion (toes up) and ``twist`` turns the
    bent limb about the line from its root to its wrist or ankle (clamshell).
    """

    flex: float = 0.0
    abduct: float = 0.0
    bend: float = 0.0
    end: float = 0.0
    twist: float = 0.0


@dataclass(frozen=True)
class Pose:
    """Whole-body pose.

    World axes: x to the right, y up (the floor is y = 0), z towards the
    viewer. In the neutral pose the person stands facing +x, so the right side
    of the body faces the viewer. ``root`` is the pelvis centre (x, y).
    ``pitch`` turns the pelvis about z (90 = lying on the back, head to the
    left; -90 = lying face down, head to the right); ``roll`` turns it about
    the body's long axis. Spine and neck angles are flexion (+) / extension
    (-) relative to the segment below; ``side_bend`` bends the spine sideways,
    ``twist`` turns the trunk against the pelvis about the long axis and
    ``head_turn`` turns the head about the neck.
    """

    root: Vec2 = (0.0, ANKLE_HEIGHT + SHIN + THIGH)
    pitch: float = 0.0
    roll: float = 0.0
    lumbar: float = 0.0
    thoracic: float = 0.0
    side_bend: float = 0.0
    twist: float = 0.0
    neck: float = 0.0
    head_turn: float = 0.0
    right_arm: Limb = field(default_factory=Limb)
    left_arm: Limb = field(default_factory=Limb)
    right_leg: Limb = field(default_factory=Limb)
    left_leg: Limb = field(default_factory=Limb)


SIDES = (("r", 1.0), ("l", -1.0))


@dataclass
class Body:
    """Joint positions (world units) of one posed figure."""

    points: dict[str, Vec]
    head_frame: Mat

    def __getitem__(self, name: str) -> Vec:
        return self.points[name]


def pelvis_frame(pose: Pose) -> Mat:
    return mat_mul(rot_z(pose.pitch), rot_y(pose.roll))


def spine_frames(pose: Pose) -> tuple[Mat, Mat, Mat]:
    """Frames of the lumbar spine, thorax and head/neck."""
    half_bend = pose.side_bend / 2
    lumbar = mat_mul(pelvis_frame(pose), rot_y(pose.twist), rot_z(-pose.lumbar), rot_x(half_bend))
    thorax = mat_mul(lumbar, rot_z(-pose.thoracic), rot_x(half_bend))
    neck = mat_mul(thorax, rot_z(-pose.neck))
    return lumbar, thorax, neck


def thorax_angle(pose: Pose) -> float:
    """Rotation of the thorax in the x-y plane (planar poses only)."""
    return pose.pitch - pose.lumbar - pose.thoracic


def solve_arm(points: dict[str, Vec], thorax: Mat, pose: Pose, side: str, sign: float) -> None:
    arm = pose.right_arm if sign > 0 else pose.left_arm
    shoulder = add(
        points["neck_base"], mat_vec(thorax, (0.0, -SHOULDER_DROP, sign * SHOULDER_HALF))
    )
    upper = mat_mul(thorax, rot_x(-sign * arm.abduct), rot_z(arm.flex))
    elbow = add(shoulder, mat_vec(upper, (0.0, -UPPER_ARM, 0.0)))
    fore = mat_mul(upper, rot_z(arm.bend))
    wrist = add(elbow, mat_vec(fore, (0.0, -FOREARM, 0.0)))
    hand = add(wrist, mat_vec(mat_mul(fore, rot_z(arm.end)), (0.0, -HAND, 0.0)))
    if arm.twist:
        axis = sub(wrist, shoulder)
        elbow = rotate_about(elbow, shoulder, axis, sign * arm.twist)
        hand = rotate_about(hand, shoulder, axis, sign * arm.twist)
    points.update(
        {
            f"{side}_shoulder": shoulder,
            f"{side}_elbow": elbow,
            f"{side}_wrist": wrist,
            f"{side}_hand": hand,
        }
    )


def solve_leg(points: dict[str, Vec], pelvis: Mat, pose: Pose, side: str, sign: float) -> None:
    leg = pose.right_leg if sign > 0 else pose.left_leg
    hip = add(points["pelvis"], mat_vec(pelvis, (0.0, 0.0, sign * HIP_HALF)))
    thigh = mat_mul(pelvis, rot_x(-sign * leg.abduct), rot_z(leg.flex))
    knee = add(hip, mat_vec(thigh, (0.0, -THIGH, 0.0)))
    shin = mat_mul(thigh, rot_z(-leg.bend))
    ankle = add(knee, mat_vec(shin, (0.0, -SHIN, 0.0)))
    foot = mat_mul(shin, rot_z(leg.end))
    heel = add(ankle, mat_vec(foot, (HEEL[0], HEEL[1], 0.0)))
    toe = add(ankle, mat_vec(foot, (TOE[0], TOE[1], 0.0)))
    if leg.twist:
        axis = sub(ankle, hip)
        knee, heel, toe = (rotate_about(p, hip, axis, sign * leg.twist) for p in (knee, heel, toe))
    points.update(
        {
            f"{side}_hip": hip,
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_heel": heel,
            f"{side}_toe": toe,
        }
    )


def solve_body(pose: Pose) -> Body:
    """Forward kinematics: joint angles -> joint positions."""
    pelvis = pelvis_frame(pose)
    lumbar, thorax, neck = spine_frames(pose)
    origin = (pose.root[0], pose.root[1], 0.0)
    mid = add(origin, mat_vec(lumbar, (0.0, LUMBAR, 0.0)))
    neck_base = add(mid, mat_vec(thorax, (0.0, THORAX, 0.0)))
    neck_top = add(neck_base, mat_vec(neck, (0.0, NECK, 0.0)))
    head_frame = mat_mul(neck, rot_y(pose.head_turn))
    head = add(neck_top, mat_vec(head_frame, (0.25 * HEAD_R, 0.8 * HEAD_R, 0.0)))
    points = {
        "pelvis": origin,
        "mid": mid,
        "neck_base": neck_base,
        "neck_top": neck_top,
        "head": head,
    }
    for side, sign in SIDES:
        solve_arm(points, thorax, pose, side, sign)
        solve_leg(points, pelvis, pose, side, sign)
        points[f"{side}_hip_edge"] = add(origin, mat_vec(pelvis, (0.0, 0.0, sign * 0.06)))
        points[f"{side}_shoulder_edge"] = add(
            neck_base, mat_vec(thorax, (0.0, -0.045, sign * 0.085))
        )
    return Body(points, head_frame)


def limb_field(side: str, kind: str) -> str:
    return f"{'right' if side == 'r' else 'left'}_{kind}"


def get_limb(pose: Pose, side: str, kind: str) -> Limb:
    return getattr(pose, limb_field(side, kind))


def set_limb(pose: Pose, side: str, kind: str, **changes: float) -> Pose:
    limb = replace(get_limb(pose, side, kind), **changes)
    return replace(pose, **{limb_field(side, kind): limb})


# --------------------------------------------------------------------------
# Inverse kinematics (planar: the limb moves in the x-y plane)
# --------------------------------------------------------------------------


def two_link(root: Vec, target: Vec2, l1: float, l2: float, bend_ccw: bool) -> tuple[float, float]:
    """World angles of the two segments of a limb reaching ``target``.

    ``bend_ccw`` says whether the second segment turns counter-clockwise
    from the first (elbow flexion) or clockwise (knee flexion).
    """
    dx, dy = target[0] - root[0], target[1] - root[1]
    d = min(max(math.hypot(dx, dy), abs(l1 - l2) + 1e-6), l1 + l2 - 1e-6)
    base = math.degrees(math.atan2(dy, dx))
    beta = math.degrees(math.acos((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)))
    best = (base, base)
    for a1 in (base + beta, base - beta):
        mid = add(root, polar(a1, l1))
        a2 = angle_of((target[0] - mid[0], target[1] - mid[1]))
        turn = wrap(a2 - a1)
        if (turn >= 0) == bend_ccw:
            best = (a1, a2)
    return best


def set_leg_angles(pose: Pose, side: str, thigh: float, shin: float, foot: float) -> Pose:
    """Pose a leg from world angles of thigh, shin and foot (x-y plane)."""
    return set_limb(
        pose,
        side,
        "leg",
        flex=wrap(thigh - pose.pitch + 90),
        bend=wrap(thigh - shin),
        end=wrap(foot - shin - 90),
    )


def set_arm_angles(pose: Pose, side: str, upper: float, fore: float, hand: float) -> Pose:
    """Pose an arm from world angles of upper arm, forearm and hand."""
    return set_limb(
        pose,
        side,
        "arm",
        flex=wrap(upper - thorax_angle(pose) + 90),
        bend=wrap(fore - upper),
        end=wrap(hand - fore),
    )


def leg_to(pose: Pose, side: str, ankle: Vec2, foot: float = 0.0) -> Pose:
    """Bend a leg so that its ankle lands on ``ankle`` with the foot at ``foot``."""
    hip = solve_body(pose)[f"{side}_hip"]
    thigh, shin = two_link(hip, ankle, THIGH, SHIN, bend_ccw=False)
    return set_leg_angles(pose, side, thigh, shin, foot)


def arm_to(pose: Pose, side: str, wrist: Vec2, hand: float) -> Pose:
    """Bend an arm so that its wrist lands on ``wrist``, hand pointing ``hand``."""
    shoulder = solve_body(pose)[f"{side}_shoulder"]
    upper, fore = two_link(shoulder, wrist, UPPER_ARM, FOREARM, bend_ccw=True)
    return set_arm_angles(pose, side, upper, fore, hand)


def both_legs_to(pose: Pose, ankle: Vec2, foot: float = 0.0) -> Pose:
    return leg_to(leg_to(pose, "r", ankle, foot), "l", ankle, foot)


def both_arms_to(pose: Pose, wrist: Vec2, hand: float) -> Pose:
    return arm_to(arm_to(pose, "r", wrist, hand), "l", wrist, hand)


def ik_point(root: Vec, target: Vec, l1: float, l2: float, pole: Vec) -> Vec:
    """Middle joint of a two-segment chain in 3D, bending towards ``pole``."""
    d = sub(target, root)
    dist = min(length(d), l1 + l2 - 1e-6)
    n = unit(d)
    side = unit(sub(pole, mul(n, dot(pole, n))))
    a = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = math.sqrt(max(l1 * l1 - a * a, 0.0))
    return add(add(root, mul(n, a)), mul(side, h))


# --------------------------------------------------------------------------
# Camera and 2D shapes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Camera:
    """Orthographic camera: turn the world by ``yaw`` about y, tilt by ``elevation``."""

    elevation: float = 0.0
    yaw: float = 0.0

    def matrix(self) -> Mat:
        return mat_mul(rot_x(self.elevation), rot_y(self.yaw))

    def view(self, p: Vec) -> Vec:
        """Camera coordinates: screen x, screen y (up) and depth (towards viewer)."""
        return mat_vec(self.matrix(), p)

    def flat(self, p: Vec) -> Vec2:
        v = self.view(p)
        return (v[0], v[1])


SIDE_VIEW = Camera()


@dataclass
class Shape:
    """A 2D drawing element in projected world units (y up)."""

    kind: str  # "line", "poly" or "circle"
    pts: list[Vec2]
    stroke: str | None = None
    width: float = 0.0
    fill: str | None = None
    radius: float = 0.0
    cap: str = "round"


def line(pts: Sequence[Vec2], colour: str, width: float, cap: str = "round") -> Shape:
    return Shape("line", list(pts), stroke=colour, width=width, cap=cap)


def poly(pts: Sequence[Vec2], fill: str, stroke: str | None = None, width: float = 0.0) -> Shape:
    return Shape("poly", list(pts), stroke=stroke, width=width, fill=fill)


def circle(
    centre: Vec2, radius: float, fill: str, stroke: str | None = None, width: float = 0.0
) -> Shape:
    return Shape("circle", [centre], stroke=stroke, width=width, fill=fill, radius=radius)


def shape_extent(shape: Shape) -> Iterable[tuple[Vec2, float]]:
    pad = shape.width / 2 + (shape.radius if shape.kind == "circle" else 0.0)
    for p in shape.pts:
        yield p, pad


# --------------------------------------------------------------------------
# Drawing the figure
# --------------------------------------------------------------------------

PART_ALIASES = {
    "r_leg": ("r_thigh", "r_shin", "r_foot"),
    "l_leg": ("l_thigh", "l_shin", "l_foot"),
    "r_lower_leg": ("r_shin", "r_foot"),
    "l_lower_leg": ("l_shin", "l_foot"),
    "r_arm": ("r_upper", "r_fore", "r_hand"),
    "l_arm": ("l_upper", "l_fore", "l_hand"),
    "trunk": ("lumbar", "thoracic"),
}


def expand_parts(names: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        out.update(PART_ALIASES.get(name, (name,)))
    return frozenset(out)


def spine_curve(body: Body, cam: Camera, steps: int = 16) -> list[Vec2]:
    """Quadratic curve from pelvis to neck base that passes through ``mid``."""
    p0, p1, p2 = (cam.flat(body[k]) for k in ("pelvis", "mid", "neck_base"))
    ctrl = (2 * p1[0] - (p0[0] + p2[0]) / 2, 2 * p1[1] - (p0[1] + p2[1]) / 2)
    pts = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t * t
        pts.append((a * p0[0] + b * ctrl[0] + c * p2[0], a * p0[1] + b * ctrl[1] + c * p2[1]))
    return pts


def hair_outline(centre: Vec, frame: Mat, cam: Camera) -> list[Vec2]:
    """Visible outline of a spherical hair cap on the head, in 2D."""
    view = cam.matrix()
    axis = mat_vec(view, mat_vec(frame, unit((-0.62, 0.78, 0.0))))
    half_angle = math.radians(76)
    ca, sa = math.cos(half_angle), math.sin(half_angle)
    u = unit(cross(axis, (0.0, 0.0, 1.0) if abs(axis[2]) < 0.9 else (1.0, 0.0, 0.0)))
    v = cross(axis, u)
    ring = []
    for i in range(120):
        phi = 2 * math.pi * i / 120
        ring.append(
            mul(
                add(mul(axis, ca), add(mul(u, sa * math.cos(phi)), mul(v, sa * math.sin(phi)))),
                HEAD_R,
            )
        )
    seen = [q[2] >= 0 for q in ring]
    c2 = cam.flat(centre)
    if all(seen):
        return [(c2[0] + q[0], c2[1] + q[1]) for q in ring]
    if not any(seen):
        return []
    n = len(ring)
    start = next(i for i in range(n) if seen[i] and not seen[i - 1])
    arc = []
    i = start
    while seen[i % n]:
        arc.append(ring[i % n])
        i += 1
    a_end, a_start = angle_of(arc[-1]), angle_of(arc[0])
    for direction in (1.0, -1.0):
        sweep = ((a_start - a_end) * direction) % 360
        probe = polar(a_end + direction * sweep / 2)
        if dot(probe, axis) >= ca:
            break
    rim = [polar(a_end + direction * sweep * k / 24, HEAD_R) for k in range(25)]
    return [(c2[0] + q[0], c2[1] + q[1]) for q in arc + rim]


def head_shapes(body: Body, cam: Camera) -> list[Shape]:
    """Head disc with nose, hair cap and the eye(s) that face the viewer."""
    centre = body["head"]
    c2 = cam.flat(centre)
    view = cam.matrix()
    nose_dir = mat_vec(view, mat_vec(body.head_frame, unit((1.0, -0.25, 0.0))))
    nose = (c2[0] + nose_dir[0] * HEAD_R * 0.97, c2[1] + nose_dir[1] * HEAD_R * 0.97)
    shapes = [circle(nose, HEAD_R * 0.24, FACE), circle(c2, HEAD_R, FACE)]
    outline = hair_outline(centre, body.head_frame, cam)
    if outline:
        shapes.append(poly(outline, HAIR))
    for z in (0.62, -0.62):
        eye = mat_vec(view, mat_vec(body.head_frame, unit((0.78, 0.12, z))))
        if eye[2] > 0.25:
            pos = (c2[0] + eye[0] * HEAD_R * 0.9, c2[1] + eye[1] * HEAD_R * 0.9)
            shapes.append(circle(pos, HEAD_R * 0.12, CARD))
    return shapes


@dataclass
class Element:
    """One body part: a named polyline (or the trunk quad) and its stroke width."""

    name: str
    pts: list[Vec2]
    width: float


def torso_elements(body: Body, cam: Camera) -> list[Element]:
    curve = spine_curve(body, cam)
    half = len(curve) // 2
    elements = [
        Element("lumbar", curve[: half + 1], W_TORSO),
        Element("thoracic", curve[half:], W_TORSO),
        Element("neck", [cam.flat(body["neck_base"]), cam.flat(body["neck_top"])], W_NECK),
    ]
    quad = [
        cam.flat(body[k])
        for k in ("r_shoulder_edge", "l_shoulder_edge", "l_hip_edge", "r_hip_edge")
    ]
    if polygon_area(quad) > 0.004:
        elements.insert(0, Element("quad", quad, W_QUAD))
    return elements


def polygon_area(pts: Sequence[Vec2]) -> float:
    total = 0.0
    for i, p in enumerate(pts):
        q = pts[(i + 1) % len(pts)]
        total += p[0] * q[1] - q[0] * p[1]
    return abs(total) / 2


def limb_elements(body: Body, cam: Camera, side: str, kind: str) -> list[Element]:
    f = cam.flat
    if kind == "leg":
        return [
            Element(f"{side}_thigh", [f(body[f"{side}_hip"]), f(body[f"{side}_knee"])], W_THIGH),
            Element(f"{side}_shin", [f(body[f"{side}_knee"]), f(body[f"{side}_ankle"])], W_SHIN),
            Element(f"{side}_foot", [f(body[f"{side}_heel"]), f(body[f"{side}_toe"])], W_FOOT),
        ]
    return [
        Element(f"{side}_upper", [f(body[f"{side}_shoulder"]), f(body[f"{side}_elbow"])], W_UPPER),
        Element(f"{side}_fore", [f(body[f"{side}_elbow"]), f(body[f"{side}_wrist"])], W_FORE),
        Element(f"{side}_hand", [f(body[f"{side}_wrist"]), f(body[f"{side}_hand"])], W_HAND),
    ]


GROUP_POINTS = {
    "torso": ("pelvis", "mid", "neck_base", "head"),
    "arm": ("shoulder", "elbow", "wrist", "hand"),
    "leg": ("hip", "knee", "ankle", "toe"),
}


def group_depth(body: Body, cam: Camera, names: Sequence[str]) -> float:
    return sum(cam.view(body[n])[2] for n in names) / len(names)


def element_shapes(el: Element, colour: str, gap: bool) -> list[Shape]:
    width = el.width + (2 * W_GAP if gap else 0.0)
    if el.name == "quad":
        return [poly(el.pts, colour, colour, width)]
    return [line(el.pts, colour, width)]


def trunk_overlay(elements: Sequence[Element], accent: frozenset[str], colour: str) -> list[Shape]:
    """Accent part of the trunk drawn over the plain trunk.

    Where only half of the trunk is highlighted, the inner end is cut square
    so the accent does not bulge into the other half.
    """
    halves = {el.name: el for el in elements if el.name in ("lumbar", "thoracic")}
    hot = [name for name in ("lumbar", "thoracic") if name in accent]
    if len(hot) == 2:
        pts = halves["lumbar"].pts + halves["thoracic"].pts[1:]
        return [line(pts, colour, W_TORSO)]
    if not hot:
        return []
    half = halves[hot[0]]
    outer = half.pts[0] if hot[0] == "lumbar" else half.pts[-1]
    return [line(half.pts, colour, W_TORSO, cap="butt"), circle(outer, W_TORSO / 2, colour)]


def part_groups(body: Body, cam: Camera) -> list[tuple[float, str, bool]]:
    """(depth, group name, drawn in the far tint) for the trunk and each limb."""
    centre_depth = cam.view(body["pelvis"])[2]
    shoulders_depth = cam.view(body["neck_base"])[2]
    groups = [(group_depth(body, cam, GROUP_POINTS["torso"]), "torso", False)]
    for side, _ in SIDES:
        for kind in ("arm", "leg"):
            names = [f"{side}_{p}" for p in GROUP_POINTS[kind]]
            ref = shoulders_depth if kind == "arm" else centre_depth
            far = cam.view(body[names[0]])[2] < ref - FAR_DEPTH
            groups.append((group_depth(body, cam, names), f"{side}_{kind}", far))
    return sorted(groups, key=lambda g: g[0])


def group_shapes(
    body: Body, cam: Camera, name: str, far: bool, accent: frozenset[str]
) -> list[Shape]:
    """One group (trunk with head, or a limb): light gap outline first, then fill."""
    base = FIGURE_FAR if far else FIGURE
    hot = ACCENT_FAR if far else ACCENT
    if name == "torso":
        elements = torso_elements(body, cam)
    else:
        side, kind = name.split("_")
        elements = limb_elements(body, cam, side, kind)
    shapes: list[Shape] = []
    for el in elements:
        shapes += element_shapes(el, CARD, gap=True)
    if name != "torso":
        for el in sorted(elements, key=lambda e: e.name in accent):
            shapes += element_shapes(el, hot if el.name in accent else base, gap=False)
        return shapes
    shapes.append(circle(cam.flat(body["head"]), HEAD_R + W_GAP, CARD))
    for el in elements:
        plain = el.name in ("lumbar", "thoracic") or el.name not in accent
        shapes += element_shapes(el, base if plain else hot, gap=False)
    return shapes + trunk_overlay(elements, accent, hot) + head_shapes(body, cam)


def figure_shapes(body: Body, cam: Camera, accent: frozenset[str]) -> list[Shape]:
    """All shapes of one figure, deepest parts first."""
    shapes: list[Shape] = []
    for _, name, far in part_groups(body, cam):
        shapes += group_shapes(body, cam, name, far, accent)
    return shapes


def body_extent(body: Body, cam: Camera) -> list[tuple[Vec2, float]]:
    """Sample points of the figure outline with their radii (for fitting)."""
    out: list[tuple[Vec2, float]] = []
    for el in torso_elements(body, cam):
        out += [(p, el.width / 2) for p in el.pts]
    out.append((cam.flat(body["head"]), HEAD_R))
    for side, _ in SIDES:
        for kind in ("arm", "leg"):
            for el in limb_elements(body, cam, side, kind):
                out += [(p, el.width / 2) for p in el.pts]
    return out


def lowest(body: Body) -> float:
    """Lowest y reached by the outline of a figure."""
    return min(p[1] - r for p, r in body_extent(body, SIDE_VIEW))


def settle(pose: Pose, floor: float = 0.0) -> Pose:
    """Move the figure up or down so that it rests on ``floor``."""
    drop = lowest(solve_body(pose)) - floor
    return replace(pose, root=(pose.root[0], pose.root[1] - drop))


# --------------------------------------------------------------------------
# Props and arrows
# --------------------------------------------------------------------------


def mat(
    cam: Camera, x0: float, x1: float, z0: float = -0.28, z1: float = 0.28, thick: float = 0.028
) -> list[Shape]:
    """Exercise mat (a thin box) lying on the floor, top surface at y = 0."""
    top, bottom = 0.0, -thick
    faces = [  # (outward normal, corners)
        ((0.0, 0.0, 1.0), [(x0, top, z1), (x1, top, z1), (x1, bottom, z1), (x0, bottom, z1)]),
        ((0.0, 0.0, -1.0), [(x0, top, z0), (x1, top, z0), (x1, bottom, z0), (x0, bottom, z0)]),
        ((1.0, 0.0, 0.0), [(x1, top, z0), (x1, top, z1), (x1, bottom, z1), (x1, bottom, z0)]),
        ((-1.0, 0.0, 0.0), [(x0, top, z0), (x0, top, z1), (x0, bottom, z1), (x0, bottom, z0)]),
    ]
    shapes = []
    for normal, corners in faces:
        pts = [cam.flat(c) for c in corners]
        if cam.view(normal)[2] > 0.05 and polygon_area(pts) > 1e-4:
            shapes.append(poly(pts, MAT_SIDE, MAT_SIDE, 0.006))
    top_face = [cam.flat(c) for c in ((x0, top, z0), (x1, top, z0), (x1, top, z1), (x0, top, z1))]
    if polygon_area(top_face) > 1e-4:
        shapes.append(poly(top_face, MAT_TOP, MAT_TOP, 0.006))
    else:
        shapes.append(line([cam.flat((x0, top, z1)), cam.flat((x1, top, z1))], MAT_TOP, 0.012))
    return shapes


def floor_line(cam: Camera, x0: float, x1: float) -> list[Shape]:
    return [line([cam.flat((x0, -0.008, 0.0)), cam.flat((x1, -0.008, 0.0))], FLOOR, 0.016)]


def chair(cam: Camera, front: float, back: float, seat: float) -> list[Shape]:
    """Side view of a simple chair; ``seat`` is the height of the seat top."""
    f = cam.flat
    legs = [
        line([f((x, seat - 0.03, 0.0)), f((x, 0.0, 0.0))], PROP_DARK, 0.022)
        for x in (back + 0.02, front - 0.02)
    ]
    backrest = line(
        [f((back + 0.005, seat, 0.0)), f((back - 0.03, seat + 0.3, 0.0))], PROP_DARK, 0.024
    )
    seat_shape = line([f((back, seat - 0.014, 0.0)), f((front, seat - 0.014, 0.0))], PROP, 0.028)
    rail = line([f((back + 0.02, 0.1, 0.0)), f((front - 0.02, 0.1, 0.0))], PROP, 0.012)
    return [*legs, rail, backrest, seat_shape]


def cushion(cam: Camera, x: float, width: float, height: float) -> list[Shape]:
    f = cam.flat
    y = height / 2
    return [line([f((x - width / 2 + y, y, 0.0)), f((x + width / 2 - y, y, 0.0))], CUSHION, height)]


def strap(points: Sequence[Vec2]) -> list[Shape]:
    return [line(points, CARD, 0.03), line(points, STRAP, 0.018)]


def arrow_shapes(path: Sequence[Vec2]) -> list[Shape]:
    """An accent-coloured arrow along ``path`` with a filled head at the end."""
    tip, before = path[-1], path[-2]
    head_len, half_width = 0.05, 0.03
    d = unit((tip[0] - before[0], tip[1] - before[1], 0.0))
    back = (tip[0] - d[0] * head_len, tip[1] - d[1] * head_len)
    normal = (-d[1] * half_width, d[0] * half_width)
    head = [
        tip,
        (back[0] + normal[0], back[1] + normal[1]),
        (back[0] - normal[0], back[1] - normal[1]),
    ]
    # Stop the shaft inside the head so its round cap does not poke out.
    shaft = [*path[:-1], (tip[0] - d[0] * head_len * 0.8, tip[1] - d[1] * head_len * 0.8)]
    return [
        line(shaft, CARD, W_ARROW + 0.014),
        poly(head, CARD, CARD, 0.022),
        line(shaft, ACCENT, W_ARROW),
        poly(head, ACCENT, ACCENT, 0.008),
    ]


def arc_points(centre: Vec2, radius: float, a0: float, a1: float) -> list[Vec2]:
    steps = max(6, int(abs(a1 - a0) / 4))
    return [
        (
            centre[0] + radius * math.cos(math.radians(a0 + (a1 - a0) * i / steps)),
            centre[1] + radius * math.sin(math.radians(a0 + (a1 - a0) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def arc_arrow(
    cam: Camera,
    start: Body,
    end: Body,
    pivot: str,
    tip: str,
    *,
    pad: float = 0.07,
    trim: float = 6.0,
) -> list[Shape]:
    """Curved arrow around ``pivot`` showing how ``tip`` moves from start to end."""
    centre = cam.flat(end[pivot])
    p0, t0 = cam.flat(start[pivot]), cam.flat(start[tip])
    t1 = cam.flat(end[tip])
    v0 = (t0[0] - p0[0], t0[1] - p0[1])
    v1 = (t1[0] - centre[0], t1[1] - centre[1])
    r = max(math.hypot(*v0), math.hypot(*v1)) + pad
    a0 = angle_of(v0)
    sweep = wrap(angle_of(v1) - a0)
    direction = 1.0 if sweep >= 0 else -1.0
    pts = arc_points(centre, r, a0 + direction * trim, a0 + sweep - direction * trim)
    return arrow_shapes(pts)


def straight_arrow(a: Vec2, b: Vec2) -> list[Shape]:
    return arrow_shapes([a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), b])


def offset(p: Vec2, dx: float = 0.0, dy: float = 0.0) -> Vec2:
    return (p[0] + dx, p[1] + dy)


def travel_arrow(
    cam: Camera,
    start: Body,
    end: Body,
    point: str,
    *,
    shift: Vec2 = (0.0, 0.0),
    trim: float = 0.02,
    min_len: float = 0.11,
) -> list[Shape]:
    """Straight arrow showing how ``point`` travels, moved aside by ``shift``.

    Short travels are drawn at least ``min_len`` long, ending at the end point.
    """
    a, b = cam.flat(start[point]), cam.flat(end[point])
    d = unit((b[0] - a[0], b[1] - a[1], 0.0))
    if math.hypot(b[0] - a[0], b[1] - a[1]) < min_len + 2 * trim:
        a = (b[0] - d[0] * (min_len + 2 * trim), b[1] - d[1] * (min_len + 2 * trim))
    return straight_arrow(
        (a[0] + shift[0] + d[0] * trim, a[1] + shift[1] + d[1] * trim),
        (b[0] + shift[0] - d[0] * trim, b[1] + shift[1] - d[1] * trim),
    )


# --------------------------------------------------------------------------
# Illustration: two panels -> SVG
# --------------------------------------------------------------------------


@dataclass
class Panel:
    body: Body
    accent: Iterable[str] = ()
    back: list[Shape] = field(default_factory=list)
    front: list[Shape] = field(default_factory=list)
    arrows: list[Shape] = field(default_factory=list)

    def shapes(self, cam: Camera) -> list[Shape]:
        figure = figure_shapes(self.body, cam, expand_parts(self.accent))
        return [*self.back, *figure, *self.front, *self.arrows]


@dataclass
class Illustration:
    """Two panels sharing one camera; ``ground`` is "mat", "floor" or "none"."""

    ident: str
    panels: tuple[Panel, Panel]
    cam: Camera = SIDE_VIEW
    ground: str = "mat"

    def ground_shapes(self) -> list[Shape]:
        """Mat or floor line sized to cover both figures."""
        pts = [p for panel in self.panels for p in panel.body.points.values()]
        xs = [p[0] for p in pts]
        if self.cam == SIDE_VIEW:
            xs += [q[0] for panel in self.panels for s in panel.back for q in s.pts]
        margin = 0.1 if self.cam == SIDE_VIEW else 0.07
        x0, x1 = min(xs) - margin, max(xs) + margin
        if self.ground == "mat":
            z0 = min(-0.2, min(p[2] for p in pts) - margin)
            z1 = max(0.2, max(p[2] for p in pts) + margin)
            return mat(self.cam, x0, x1, z0, z1)
        if self.ground == "floor":
            return floor_line(self.cam, x0 - 0.05, x1 + 0.05)
        return []


def fmt(v: float) -> str:
    text = f"{v:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def shape_svg(shape: Shape, to_px: Callable[[Vec2], Vec2], scale: float) -> str:
    stroke = (
        f' stroke="{shape.stroke}" stroke-width="{fmt(shape.width * scale)}"'
        if shape.stroke
        else ""
    )
    if shape.kind == "circle":
        cx, cy = to_px(shape.pts[0])
        return (
            f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(shape.radius * scale)}"'
            f' fill="{shape.fill}"{stroke}/>'
        )
    pts = [to_px(p) for p in shape.pts]
    d = "M" + " L".join(f"{fmt(x)} {fmt(y)}" for x, y in pts)
    if shape.kind == "poly":
        return f'<path d="{d} Z" fill="{shape.fill}"{stroke} stroke-linejoin="round"/>'
    return (
        f'<path d="{d}" fill="none"{stroke} stroke-linecap="{shape.cap}" stroke-linejoin="round"/>'
    )


def fit(shape_sets: Sequence[list[Shape]]) -> tuple[float, float, float]:
    """Common scale and offsets so both panels fit and share one world frame."""
    xs: list[float] = []
    ys: list[float] = []
    for shapes in shape_sets:
        for shape in shapes:
            for (x, y), pad in shape_extent(shape):
                xs += [x - pad, x + pad]
                ys += [y - pad, y + pad]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(MAX_SCALE, (PANEL_W - 2 * FIT_MARGIN) / w, (FIT_BOTTOM - FIT_TOP) / h)
    cx = (max(xs) + min(xs)) / 2
    # Bottom-align the scene, but do not leave a figure floating far down.
    free = (FIT_BOTTOM - FIT_TOP) - h * scale
    bottom_px = FIT_BOTTOM - free * 0.35
    return scale, cx, bottom_px + min(ys) * scale


def digit_path(digit: int, cx: float, cy: float) -> str:
    if digit == 1:
        return (
            f"M{fmt(cx - 3)} {fmt(cy - 3.5)} L{fmt(cx + 0.8)} {fmt(cy - 6.5)}"
            f" L{fmt(cx + 0.8)} {fmt(cy + 6.5)}"
        )
    return (
        f"M{fmt(cx - 4.2)} {fmt(cy - 2.8)} C{fmt(cx - 4.2)} {fmt(cy - 8)}"
        f" {fmt(cx + 4.6)} {fmt(cy - 8)} {fmt(cx + 4.2)} {fmt(cy - 2.6)}"
        f" C{fmt(cx + 3.8)} {fmt(cy + 0.6)} {fmt(cx - 4.2)} {fmt(cy + 3.6)}"
        f" {fmt(cx - 4.4)} {fmt(cy + 6.5)} L{fmt(cx + 4.6)} {fmt(cy + 6.5)}"
    )


def badge(digit: int, x: float, y: float) -> str:
    return (
        f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="12" fill="#ffffff"'
        f' stroke="{BADGE_RING}" stroke-width="1.5"/>'
        f'<path d="{digit_path(digit, x, y)}" fill="none" stroke="{BADGE_TEXT}"'
        ' stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>'
    )


def separator() -> str:
    x, y = WIDTH / 2, HEIGHT / 2
    return (
        f'<path d="M{fmt(x - 7)} {fmt(y)} L{fmt(x + 6)} {fmt(y)}'
        f" M{fmt(x + 1)} {fmt(y - 6)} L{fmt(x + 7)} {fmt(y)}"
        f' L{fmt(x + 1)} {fmt(y + 6)}" fill="none" stroke="{HINT}"'
        ' stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>'
    )


def render(ill: Illustration) -> str:
    ground = ill.ground_shapes()
    shape_sets = [ground + panel.shapes(ill.cam) for panel in ill.panels]
    scale, cx, base_y = fit(shape_sets)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="{HEIGHT - 2}" rx="18"'
        f' fill="{CARD}" stroke="{CARD_EDGE}" stroke-width="2"/>',
        separator(),
    ]
    for index, shapes in enumerate(shape_sets):
        x_centre = PANEL_X[index] + PANEL_W / 2

        def to_px(p: Vec2, xc: float = x_centre) -> Vec2:
            return (xc + (p[0] - cx) * scale, base_y - p[1] * scale)

        parts.append("<g>")
        parts += [shape_svg(s, to_px, scale) for s in shapes]
        parts.append("</g>")
        parts.append(badge(index + 1, PANEL_X[index] + 18, 30))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------
# Base positions
# --------------------------------------------------------------------------

STAND_Y = ANKLE_HEIGHT + SHIN + THIGH
SEAT = 0.235
LYING_Y = W_TORSO / 2


def ankle_height_for(foot: float, contact: str) -> float:
    """Ankle height that puts the heel (or toe) of a tilted foot on the floor."""
    x, y = HEEL if contact == "heel" else TOE
    c, s = math.cos(math.radians(foot)), math.sin(math.radians(foot))
    return W_FOOT / 2 - (x * s + y * c)


def with_head_on(pose: Pose, surface: float = 0.0) -> Pose:
    """Tilt the neck so that the back of the head rests on ``surface``."""

    def gap(neck: float) -> float:
        return solve_body(replace(pose, neck=neck))["head"][1] - HEAD_R - surface

    return replace(pose, neck=bisect(gap, -45.0, 70.0))


def arms_by_sides(pose: Pose, reach: float = 0.322, forward: bool = True) -> Pose:
    """Lying: arms resting on the floor along the body."""
    body = solve_body(pose)
    for side, _ in SIDES:
        sh = body[f"{side}_shoulder"]
        wrist_y = W_FORE / 2 + 0.002
        dx = math.sqrt(max(reach**2 - (sh[1] - wrist_y) ** 2, 0.0))
        pose = arm_to(
            pose, side, (sh[0] + (dx if forward else -dx), wrist_y), 0.0 if forward else 180.0
        )
    return pose


def supine(x: float = 0.0, feet: float = 0.36) -> Pose:
    """Lying on the back, head to the left, knees bent and feet flat."""
    pose = Pose(root=(x, LYING_Y), pitch=90.0)
    pose = both_legs_to(pose, (x + feet, ANKLE_HEIGHT))
    pose = arms_by_sides(pose)
    return with_head_on(pose)


def straight_leg_supine(pose: Pose, side: str) -> Pose:
    hip = solve_body(pose)[f"{side}_hip"]
    return leg_to(pose, side, (hip[0] + THIGH + SHIN - 0.004, W_SHIN / 2 + 0.004), 65.0)


def prone(x: float = 0.0) -> Pose:
    """Lying face down, head to the right, legs straight, arms by the sides."""
    pose = Pose(root=(x, LYING_Y - 0.006), pitch=-90.0)
    for side, _ in SIDES:
        pose = leg_to(pose, side, (x - THIGH - SHIN + 0.004, W_SHIN / 2 + 0.002), 200.0)
    return arms_by_sides(pose, forward=False)


def standing(x: float = 0.0) -> Pose:
    pose = Pose(
        root=(x, STAND_Y - 0.004),
        right_arm=Limb(flex=4, bend=12, end=4),
        left_arm=Limb(flex=4, bend=12, end=4),
    )
    pose = leg_to(pose, "r", (x + 0.015, ANKLE_HEIGHT))
    return leg_to(pose, "l", (x - 0.035, ANKLE_HEIGHT))


def seated(x: float = 0.0, lumbar: float = 0.0, thoracic: float = 0.0, neck: float = 0.0) -> Pose:
    """Sitting on a chair seat, thighs level, feet flat on the floor."""
    pose = Pose(root=(x, SEAT + 0.056), lumbar=lumbar, thoracic=thoracic, neck=neck)
    pose = both_legs_to(pose, (x + THIGH + 0.02, ANKLE_HEIGHT))
    return hands_on_thighs(pose)


def hands_on_thighs(pose: Pose) -> Pose:
    body = solve_body(pose)
    for side, _ in SIDES:
        hip, knee = body[f"{side}_hip"], body[f"{side}_knee"]
        spot = lerp(hip, knee, 0.62)
        normal = polar(angle_of(sub(knee, hip)) + 90, W_THIGH / 2 + W_FORE / 2)
        pose = arm_to(
            pose, side, (spot[0] + normal[0], spot[1] + normal[1]), angle_of(sub(knee, hip)) - 8
        )
    return pose


def hands_behind_thigh(pose: Pose, side: str, frac: float = 0.4) -> Pose:
    """Both hands clasped behind the thigh of ``side``."""
    body = solve_body(pose)
    hip, knee = body[f"{side}_hip"], body[f"{side}_knee"]
    thigh = angle_of(sub(knee, hip))
    spot = lerp(hip, knee, frac)
    back = polar(thigh - 90, W_THIGH / 2 + 0.004)
    wrist = (spot[0] + back[0], spot[1] + back[1])
    return both_arms_to(pose, wrist, thigh - 150)


def quadruped(
    x: float = 0.0,
    incline: float = 17.0,
    bow: float = 0.0,
    neck: float = 0.0,
) -> Pose:
    """On hands and knees, head to the right.

    ``bow`` > 0 rounds the back up (cat), < 0 lets it sag (camel).
    """
    pose = Pose(
        root=(x, W_SHIN / 2 + THIGH),
        pitch=incline + bow - 90 + bow / 2,
        lumbar=bow / 2,
        thoracic=2 * bow,
        neck=neck,
    )
    for side, _ in SIDES:
        pose = leg_to(pose, side, (x - SHIN, W_SHIN / 2 + 0.002), 198.0)
    # Hands stay under where the shoulders are with a neutral back.
    neutral = solve_body(replace(pose, pitch=incline - 90, lumbar=0.0, thoracic=0.0))
    return both_arms_to(pose, (neutral["r_shoulder"][0], 0.03), 0.0)


def reach_arm(body: Body, side: str, wrist: Vec, pole: Vec, hand: Vec) -> None:
    """Place an arm in 3D, the elbow bending towards ``pole`` (overrides the pose)."""
    shoulder = body[f"{side}_shoulder"]
    elbow = ik_point(shoulder, wrist, UPPER_ARM, FOREARM, pole)
    wrist = add(elbow, mul(unit(sub(wrist, elbow)), FOREARM))
    body.points.update(
        {
            f"{side}_elbow": elbow,
            f"{side}_wrist": wrist,
            f"{side}_hand": add(wrist, mul(unit(hand), HAND)),
        }
    )


# --------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------


def nerve_supine_pose(bend: float, end: float, tuck: bool) -> Pose:
    pose = set_limb(supine(), "r", "leg", flex=100.0, bend=bend, end=end)
    pose = hands_behind_thigh(pose, "r", 0.55)
    return replace(pose, neck=34.0) if tuck else with_head_on(pose)


def head_arrow(start: Body, end: Body, cam: Camera = SIDE_VIEW) -> list[Shape]:
    return arc_arrow(cam, start, end, "neck_base", "head", pad=HEAD_R + 0.035, trim=0.0)


def sciatic_nerve_slider_supine() -> Illustration:
    a = solve_body(nerve_supine_pose(105.0, -30.0, tuck=True))
    b = solve_body(nerve_supine_pose(28.0, 15.0, tuck=False))

    def arrows(start: Body, end: Body) -> list[Shape]:
        return arc_arrow(SIDE_VIEW, start, end, "r_knee", "r_toe", pad=0.05) + head_arrow(
            start, end
        )

    return Illustration(
        "sciatic_nerve_slider_supine",
        (
            Panel(a, ("r_lower_leg",), arrows=arrows(b, a)),
            Panel(b, ("r_lower_leg",), arrows=arrows(a, b)),
        ),
    )


def sciatic_nerve_tensioner_supine() -> Illustration:
    a = solve_body(nerve_supine_pose(105.0, -30.0, tuck=True))
    b = solve_body(nerve_supine_pose(22.0, 18.0, tuck=True))
    return Illustration(
        "sciatic_nerve_tensioner_supine",
        (
            Panel(a, ("r_lower_leg",)),
            Panel(
                b, ("r_lower_leg",), arrows=arc_arrow(SIDE_VIEW, a, b, "r_knee", "r_toe", pad=0.05)
            ),
        ),
    )


def chair_props() -> list[Shape]:
    return chair(SIDE_VIEW, 0.1, -0.27, SEAT)


def sciatic_nerve_slider_seated() -> Illustration:
    start = leg_to(replace(seated(), neck=30.0), "r", (0.09, 0.1), -55.0)
    end = set_limb(replace(seated(), neck=-28.0), "r", "leg", flex=90.0, bend=8.0, end=15.0)
    a, b = solve_body(hands_on_thighs(start)), solve_body(hands_on_thighs(end))

    def arrows(s: Body, e: Body) -> list[Shape]:
        return arc_arrow(SIDE_VIEW, s, e, "r_knee", "r_ankle", pad=0.03) + head_arrow(s, e)

    return Illustration(
        "sciatic_nerve_slider_seated",
        (
            Panel(a, ("r_lower_leg",), chair_props(), arrows=arrows(b, a)),
            Panel(b, ("r_lower_leg",), chair_props(), arrows=arrows(a, b)),
        ),
        ground="floor",
    )


def sciatic_nerve_tensioner_seated() -> Illustration:
    slump = seated(lumbar=14.0, thoracic=22.0, neck=38.0)
    start = leg_to(slump, "r", (THIGH + 0.03, ANKLE_HEIGHT + 0.01), -12.0)
    end = set_limb(slump, "r", "leg", flex=90.0, bend=6.0, end=15.0)
    a, b = solve_body(hands_on_thighs(start)), solve_body(hands_on_thighs(end))
    return Illustration(
        "sciatic_nerve_tensioner_seated",
        (
            Panel(a, ("r_lower_leg",), chair_props()),
            Panel(
                b,
                ("r_lower_leg",),
                chair_props(),
                arrows=arc_arrow(SIDE_VIEW, a, b, "r_knee", "r_ankle", pad=0.05),
            ),
        ),
        ground="floor",
    )


def knee_to_chest() -> Illustration:
    pillow = 0.045
    base = with_head_on(supine(), pillow)
    hug = set_limb(base, "r", "leg", flex=125.0, bend=125.0, end=-10.0)
    body = solve_body(hug)
    knee, ankle = body["r_knee"], body["r_ankle"]
    spot = lerp(knee, ankle, 0.22)
    front = polar(angle_of(sub(ankle, knee)) + 90, W_SHIN / 2 + 0.01)
    hug = both_arms_to(
        hug, (spot[0] + front[0], spot[1] + front[1]), angle_of(sub(ankle, knee)) - 100
    )
    a, b = solve_body(base), solve_body(hug)
    props = cushion(SIDE_VIEW, a["head"][0] - 0.01, 0.2, pillow)
    return Illustration(
        "knee_to_chest",
        (
            Panel(a, ("r_leg",), props),
            Panel(
                b, ("r_leg",), props, arrows=arc_arrow(SIDE_VIEW, a, b, "r_hip", "r_knee", pad=0.12)
            ),
        ),
    )


def figure_four(pose: Pose) -> Body:
    """Cross the right ankle over the left knee (right knee turned outwards)."""
    body = solve_body(pose)
    pts = body.points
    l_hip, l_knee = pts["l_hip"], pts["l_knee"]
    thigh_dir = unit(sub(l_hip, l_knee))
    up = (-thigh_dir[1], thigh_dir[0], 0.0)
    if up[1] < 0:
        up = mul(up, -1.0)
    ankle = add(
        add(l_knee, mul(thigh_dir, 0.05)),
        add(mul(up, W_THIGH / 2 + W_SHIN / 2 - 0.012), (0.0, 0.0, 0.03)),
    )
    hip = pts["r_hip"]
    knee = ik_point(hip, ankle, THIGH, SHIN, (0.1, -0.05, 1.0))
    shin = unit(sub(ankle, knee))
    along = unit(sub((0.0, 0.0, -1.0), mul(shin, -shin[2])))
    sole = unit(cross(shin, along))
    pts.update(
        {
            "r_knee": knee,
            "r_ankle": ankle,
            "r_heel": add(add(ankle, mul(along, HEEL[0])), mul(sole, 0.02)),
            "r_toe": add(add(ankle, mul(along, TOE[0])), mul(sole, 0.02)),
        }
    )
    return body


PIRIFORMIS_CAM = Camera(elevation=35.0, yaw=-20.0)


def piriformis_stretch() -> Illustration:
    cam = PIRIFORMIS_CAM
    start = supine()
    pulled = set_limb(start, "l", "leg", flex=105.0, bend=95.0, end=0.0)
    body = solve_body(pulled)
    hip, knee = body["l_hip"], body["l_knee"]
    spot = lerp(hip, knee, 0.62)
    back = polar(angle_of(sub(knee, hip)) - 90, W_THIGH / 2 + 0.004)
    end = both_arms_to(
        pulled, (spot[0] + back[0], spot[1] + back[1]), angle_of(sub(knee, hip)) - 150
    )
    a, b = figure_four(start), figure_four(end)
    return Illustration(
        "piriformis_stretch",
        (
            Panel(a, ("r_leg",)),
            Panel(b, ("r_leg",), arrows=arc_arrow(cam, a, b, "l_hip", "l_knee", pad=0.12)),
        ),
        cam,
    )


def towel_line(body: Body) -> list[Shape]:
    toe, heel, ankle = body["r_toe"], body["r_heel"], body["r_ankle"]
    sole_dir = unit(sub(lerp(heel, toe, 0.72), ankle))
    loop = add(lerp(heel, toe, 0.72), mul(sole_dir, W_FOOT / 2 + 0.006))
    hand = lerp(body["r_wrist"], body["r_hand"], 0.5)
    return strap([(hand[0], hand[1]), (loop[0], loop[1])])


def hamstring_stretch_supine() -> Illustration:
    flat = straight_leg_supine(supine(), "r")
    flat = both_arms_to(flat, (-0.05, 0.2), 20.0)
    raised = set_limb(supine(), "r", "leg", flex=72.0, bend=4.0, end=-5.0)
    raised = both_arms_to(raised, (-0.1, 0.27), 60.0)
    a, b = solve_body(flat), solve_body(raised)
    return Illustration(
        "hamstring_stretch_supine",
        (
            Panel(a, ("r_leg",), front=towel_line(a)),
            Panel(
                b,
                ("r_leg",),
                front=towel_line(b),
                arrows=arc_arrow(SIDE_VIEW, a, b, "r_hip", "r_ankle", pad=0.08),
            ),
        ),
    )


KNEE_ROLL_CAM = Camera(elevation=28.0, yaw=-90.0)
KNEE_ROLL = -45.0


def lumbar_rotation_knee_rolls() -> Illustration:
    cam = KNEE_ROLL_CAM
    base = supine(feet=0.34)
    base = replace(
        base, right_arm=Limb(abduct=88.0, flex=-8.0), left_arm=Limb(abduct=88.0, flex=-8.0)
    )
    rolled = replace(base, roll=KNEE_ROLL, twist=-KNEE_ROLL)
    a, b = solve_body(base), solve_body(rolled)
    for body in (a, b):
        body.points["knees"] = lerp(body["r_knee"], body["l_knee"], 0.5)
    return Illustration(
        "lumbar_rotation_knee_rolls",
        (
            Panel(a, ("r_leg", "l_leg")),
            Panel(
                b,
                ("r_leg", "l_leg"),
                arrows=arc_arrow(cam, a, b, "pelvis", "knees", pad=0.16, trim=0.0),
            ),
        ),
        cam,
    )


def cat_camel() -> Illustration:
    a = solve_body(quadruped(bow=18.0, neck=40.0))
    b = solve_body(quadruped(bow=-13.0, neck=-22.0))

    def vertical(start: Body, end: Body) -> list[Shape]:
        top = max(start["mid"][1], end["mid"][1]) + W_TORSO / 2 + 0.05
        x = end["mid"][0]
        ends = ((x, top), (x, top + 0.09))
        return straight_arrow(*(ends if start["mid"][1] < end["mid"][1] else ends[::-1]))

    return Illustration(
        "cat_camel",
        (
            Panel(a, ("trunk",), arrows=vertical(b, a)),
            Panel(b, ("trunk",), arrows=vertical(a, b)),
        ),
    )


def prone_lying_on_elbows() -> Illustration:
    flat = with_head_on(replace(prone(), head_turn=-90.0))

    def propped(ext: float) -> Pose:
        pose = replace(prone(), lumbar=-ext * 0.6, thoracic=-ext * 0.4, neck=-6.0)
        for side, _ in SIDES:
            pose = set_arm_angles(pose, side, -90.0, 0.0, 0.0)
        return pose

    def shoulder_gap(ext: float) -> float:
        return solve_body(propped(ext))["r_shoulder"][1] - (UPPER_ARM + W_FORE / 2)

    a, b = solve_body(flat), solve_body(propped(bisect(shoulder_gap, 0.0, 80.0)))
    return Illustration(
        "prone_lying_on_elbows",
        (
            Panel(a, ()),
            Panel(b, ("trunk",), arrows=lift_arrow(b)),
        ),
    )


def lift_arrow(end: Body, back: float = 0.1) -> list[Shape]:
    """Upward arrow just above the upper back (lifting the chest)."""
    x = end["neck_base"][0] - back
    near = [p[1] for p in spine_curve(end, SIDE_VIEW) if abs(p[0] - x) < 0.04]
    y = max(near) + W_TORSO / 2 + 0.025
    return straight_arrow((x, y), (x, y + 0.11))


def prone_press_up() -> Illustration:
    start = with_head_on(prone(), 0.0)
    sh = solve_body(start)["r_shoulder"]
    hand_x = sh[0] + 0.02

    def lifted(ext: float) -> Pose:
        pose = replace(prone(), lumbar=-ext * 0.7, thoracic=-ext * 0.3, neck=-5.0)
        return both_arms_to(pose, (hand_x, 0.03), 0.0)

    def reach_gap(ext: float) -> float:
        s = solve_body(lifted(ext))["r_shoulder"]
        return math.hypot(s[0] - hand_x, s[1] - 0.03) - 0.285

    a = solve_body(start)
    for side, sign in SIDES:
        reach_arm(
            a, side, (hand_x - 0.02, 0.03, sign * 0.16), (-0.4, 1.0, sign * 0.8), (1.0, -0.05, 0.0)
        )
    b = solve_body(lifted(bisect(reach_gap, 0.0, 120.0)))
    return Illustration(
        "prone_press_up",
        (
            Panel(a, ()),
            Panel(b, ("trunk",), arrows=lift_arrow(b)),
        ),
    )


def hands_on_low_back(pose: Pose) -> Pose:
    body = solve_body(pose)
    pelvis = body["pelvis"]
    up = pose.pitch - pose.lumbar + 90
    back = polar(up + 90, W_TORSO / 2 + W_FORE / 2 - 0.005)
    lift = polar(up, 0.07)
    wrist = (pelvis[0] + back[0] + lift[0], pelvis[1] + back[1] + lift[1])
    return both_arms_to(pose, wrist, up + 180 + 15)


def lean_stance(lean: float) -> Pose:
    """Standing with straight legs tipped forward by ``lean`` degrees at the ankle."""
    leg = THIGH + SHIN - 0.002
    root = (leg * math.sin(math.radians(lean)), ANKLE_HEIGHT + leg * math.cos(math.radians(lean)))
    pose = replace(standing(), root=root)
    pose = leg_to(pose, "r", (0.015, ANKLE_HEIGHT))
    return leg_to(pose, "l", (-0.035, ANKLE_HEIGHT))


def standing_back_extension() -> Illustration:
    upright = hands_on_low_back(standing())
    lean = hands_on_low_back(replace(lean_stance(4.0), lumbar=-20.0, thoracic=-12.0, neck=-6.0))
    a, b = solve_body(upright), solve_body(lean)
    return Illustration(
        "standing_back_extension",
        (
            Panel(a, ("trunk",)),
            Panel(b, ("trunk",), arrows=arc_arrow(SIDE_VIEW, a, b, "pelvis", "head", pad=0.08)),
        ),
        ground="floor",
    )


def tilted_supine(tilt: float) -> Pose:
    """Hook lying, hands on the tummy; tilt > 0 arches the low back."""
    pose = replace(supine(), pitch=90.0 - tilt, thoracic=-2 * tilt)
    pose = both_legs_to(pose, (0.36, ANKLE_HEIGHT))
    return with_head_on(pose)


def hands_on_tummy(pose: Pose) -> Body:
    body = solve_body(pose)
    belly = lerp(body["pelvis"], body["mid"], 0.4)
    for side, sign in SIDES:
        reach_arm(
            body,
            side,
            (belly[0], belly[1] + W_TORSO / 2, sign * 0.05),
            (0.0, 0.15, sign * 1.0),
            (1.0, -0.2, 0.0),
        )
    return body


def pelvic_tilt() -> Illustration:
    a = hands_on_tummy(tilted_supine(18.0))
    b = hands_on_tummy(tilted_supine(-4.0))
    pelvis = SIDE_VIEW.flat(b["pelvis"])
    return Illustration(
        "pelvic_tilt",
        (
            Panel(a, ("lumbar",)),
            Panel(b, ("lumbar",), arrows=arrow_shapes(arc_points(pelvis, 0.15, 78.0, 150.0))),
        ),
    )


def glute_bridge() -> Illustration:
    feet = (0.33, ANKLE_HEIGHT)
    start = supine(feet=0.33)
    shoulder = solve_body(start)["neck_base"]

    def bridge(lift: float) -> Pose:
        pelvis = sub(shoulder, polar(180.0 + lift, LUMBAR + THORAX))
        pose = replace(start, root=(pelvis[0], pelvis[1]), pitch=90.0 + lift)
        return both_legs_to(pose, feet)

    def bend_gap(lift: float) -> float:
        body = solve_body(bridge(lift))
        line_angle = angle_of(sub(body["pelvis"], body["neck_base"]))
        return wrap(angle_of(sub(body["r_knee"], body["r_hip"])) - line_angle)

    end = with_head_on(arms_by_sides(bridge(bisect(bend_gap, 5.0, 45.0))))
    a, b = solve_body(start), solve_body(end)
    hip, knee = b["r_hip"], b["r_knee"]
    x = hip[0] + 0.1
    under = hip[1] + (knee[1] - hip[1]) * (x - hip[0]) / (knee[0] - hip[0])
    up = straight_arrow((x, 0.02), (x, under - W_THIGH / 2 - 0.02))
    return Illustration(
        "glute_bridge",
        (
            Panel(a, ("lumbar", "r_thigh")),
            Panel(b, ("lumbar", "r_thigh"), arrows=up),
        ),
    )


def bird_dog() -> Illustration:
    base = quadruped()
    reach = set_leg_angles(base, "r", 182.0, 182.0, 275.0)
    reach = set_arm_angles(reach, "l", 2.0, 2.0, 2.0)
    a, b = solve_body(base), solve_body(reach)
    return Illustration(
        "bird_dog",
        (
            Panel(a, ()),
            Panel(
                b,
                ("r_leg", "l_arm"),
                arrows=arc_arrow(SIDE_VIEW, a, b, "r_hip", "r_knee", pad=0.06)
                + arc_arrow(SIDE_VIEW, a, b, "l_shoulder", "l_elbow", pad=0.06),
            ),
        ),
    )


def dead_bug() -> Illustration:
    table = replace(
        supine(),
        right_arm=Limb(flex=90.0, end=5.0),
        left_arm=Limb(flex=90.0, end=5.0),
        right_leg=Limb(flex=90.0, bend=90.0),
        left_leg=Limb(flex=90.0, bend=90.0),
    )
    table = with_head_on(table)
    reach = set_limb(table, "r", "leg", flex=22.0, bend=4.0, end=0.0)
    reach = set_limb(reach, "l", "arm", flex=165.0, bend=5.0)
    a, b = solve_body(table), solve_body(reach)
    return Illustration(
        "dead_bug",
        (
            Panel(a, ()),
            Panel(
                b,
                ("r_leg", "l_arm"),
                arrows=arc_arrow(SIDE_VIEW, a, b, "r_hip", "r_ankle", pad=0.1, trim=0.0)
                + arc_arrow(SIDE_VIEW, a, b, "l_shoulder", "l_wrist", pad=0.08),
            ),
        ),
    )


def side_lying(hip: float, knee: float) -> Pose:
    """Lying on the right side, facing the viewer, head to the left."""
    return Pose(
        root=(0.0, 0.1),
        pitch=90.0,
        roll=-90.0,
        right_leg=Limb(flex=hip, bend=knee),
        left_leg=Limb(flex=hip, bend=knee),
    )


SIDE_PLANK_CAM = Camera(elevation=10.0, yaw=-15.0)


def side_plank_modified() -> Illustration:
    cam = SIDE_PLANK_CAM
    elbow_y = W_FORE / 2 + UPPER_ARM

    def plank(tilt: float, bend: float) -> Pose:
        pose = replace(
            side_lying(15.0, 95.0),
            pitch=90.0 - tilt,
            side_bend=-bend,
            right_arm=Limb(abduct=90.0 - tilt - bend, bend=90.0),
            left_arm=Limb(abduct=12.0, flex=5.0, bend=10.0),
        )
        knee = solve_body(pose)["r_knee"]
        return replace(
            pose, root=(pose.root[0] - knee[0], pose.root[1] - knee[1] + W_SHIN / 2 + 0.005)
        )

    def gap_bend(bend: float) -> float:
        return solve_body(plank(0.0, bend))["r_shoulder"][1] - elbow_y

    def gap_tilt(tilt: float) -> float:
        return solve_body(plank(tilt, 0.0))["r_shoulder"][1] - elbow_y

    a = solve_body(plank(0.0, bisect(gap_bend, 0.0, 60.0)))
    b = solve_body(plank(bisect(gap_tilt, 0.0, 40.0), 0.0))
    for body in (a, b):
        hip = body["l_hip_edge"]
        reach_arm(body, "l", add(hip, (0.02, 0.035, 0.02)), (0.3, 1.0, -0.6), (0.5, -0.2, 0.5))
    pb = cam.flat(b["pelvis"])
    x, y = pb[0] + 0.1, pb[1] + 0.13
    return Illustration(
        "side_plank_modified",
        (
            Panel(a, ("lumbar",)),
            Panel(b, ("lumbar",), arrows=straight_arrow((x, y), (x, y + 0.11))),
        ),
        cam,
    )


CLAMSHELL_CAM = Camera(elevation=15.0, yaw=-22.0)


def clamshell() -> Illustration:
    cam = CLAMSHELL_CAM
    base = replace(
        side_lying(45.0, 90.0),
        right_arm=Limb(flex=170.0, bend=20.0),
        left_arm=Limb(abduct=8.0, flex=20.0, bend=15.0),
    )
    base = settle(base)
    opened = set_limb(base, "l", "leg", twist=50.0)
    a, b = solve_body(base), solve_body(opened)
    return Illustration(
        "clamshell",
        (
            Panel(a, ("l_leg",)),
            Panel(
                b,
                ("l_leg",),
                arrows=straight_arrow(
                    offset(cam.flat(b["r_knee"]), 0.03, W_THIGH / 2 + 0.015),
                    offset(cam.flat(b["l_knee"]), 0.03, -W_THIGH / 2 - 0.01),
                ),
            ),
        ),
        cam,
    )


def curl_up_mcgill() -> Illustration:
    base = straight_leg_supine(supine(), "l")
    lifted = replace(base, thoracic=20.0, neck=8.0)
    a, b = solve_body(base), solve_body(lifted)
    mid = a["mid"]
    for body in (a, b):
        for side, sign in SIDES:
            reach_arm(
                body,
                side,
                (mid[0] + 0.03, 0.035, sign * 0.05),
                (0.0, -0.1, sign * 1.0),
                (0.3, 0.0, -sign * 1.0),
            )
    return Illustration(
        "curl_up_mcgill",
        (
            Panel(a, ("thoracic", "neck")),
            Panel(
                b,
                ("thoracic", "neck"),
                arrows=travel_arrow(SIDE_VIEW, a, b, "neck_base", shift=(0.08, 0.14)),
            ),
        ),
    )


def stride(x: float, lead: str) -> Pose:
    trail = "l" if lead == "r" else "r"
    pose = Pose(root=(x, STAND_Y - 0.025), lumbar=2.0, thoracic=2.0, neck=-4.0)
    heel_foot, toe_foot = 14.0, -22.0
    pose = leg_to(pose, lead, (x + 0.19, ankle_height_for(heel_foot, "heel")), heel_foot)
    pose = leg_to(pose, trail, (x - 0.17, ankle_height_for(toe_foot, "toe")), toe_foot)
    pose = set_limb(pose, lead, "arm", flex=-22.0, bend=18.0, end=5.0)
    return set_limb(pose, trail, "arm", flex=24.0, bend=28.0, end=5.0)


def walking_programme() -> Illustration:
    a, b = solve_body(stride(0.0, "r")), solve_body(stride(0.36, "l"))

    def ahead(body: Body) -> list[Shape]:
        x = body["pelvis"][0] + 0.3
        return straight_arrow((x, 0.55), (x + 0.12, 0.55))

    return Illustration(
        "walking_programme",
        (
            Panel(a, (), arrows=ahead(a)),
            Panel(b, (), arrows=ahead(b)),
        ),
        ground="floor",
    )


EXERCISES: tuple[Callable[[], Illustration], ...] = (
    sciatic_nerve_slider_supine,
    sciatic_nerve_slider_seated,
    sciatic_nerve_tensioner_supine,
    sciatic_nerve_tensioner_seated,
    knee_to_chest,
    piriformis_stretch,
    hamstring_stretch_supine,
    lumbar_rotation_knee_rolls,
    cat_camel,
    prone_lying_on_elbows,
    prone_press_up,
    standing_back_extension,
    pelvic_tilt,
    glute_bridge,
    bird_dog,
    dead_bug,
    side_plank_modified,
    clamshell,
    curl_up_mcgill,
    walking_programme,
)


def main() -> None:
    for build in EXERCISES:
        ill = build()
        path = OUT_DIR / f"{ill.ident}.svg"
        path.write_text(render(ill), encoding="utf-8")
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
