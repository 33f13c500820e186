"""Body map: a front and a back outline of the human figure with every catalog zone as a clickable region.

Pure Python (stdlib only, no Django) so that both the web page (``render_chart``) and the PDF builder can draw the same
figure from the same numbers.

Coordinates
    Each view (``front``, ``back``) is a ``WIDTH`` x ``HEIGHT`` (200 x 440) box: x grows to the viewer's right, y grows
    downwards, the figure's midline is x = 100.

    * Front view: the patient faces the viewer, so the patient's RIGHT side is on the viewer's LEFT (x < 100).
    * Back view: the viewer looks at the patient's back, so the patient's LEFT side is on the viewer's LEFT (x < 100).

    Either way the patient's other side is the mirror image x -> 200 - x. The arms hang slightly away from the trunk in
    the anatomical position (palms forward), so the thumb side of the forearm and hand is the outer edge in both views.

Soles
    The three plantar zones (``plantar_heel``, ``arch_instep``, ``plantar_forefoot``) are drawn on two small sole
    insets under the feet of the back view (y 392-438), at a smaller scale than the figure: the soles as seen from
    behind a kneeling patient, heel at the top and toes at the bottom, each under its own foot (patient's left sole
    on the viewer's left, big toe towards the middle).

Drawing
    ``OUTLINE[view]`` is a list of closed polygons (dense enough to draw with straight segments): fill them all, then
    draw the regions, then stroke the outline polygons on top. Closing edges of the small parts (ears, thumbs) run
    along the edge they join, so stroking every polygon gives one clean silhouette. ``DETAILS[view]`` are polylines
    (navel; spine and shoulder blades on the back) to stroke thinly on top; purely decorative.

Regions
    ``regions(view)`` gives every zone of the catalog as ``Region(zone, side, view, points)`` polygons. Paired zones
    have a "right" and a "left" region (mirror images); the zones in ``MIDLINE_ZONES`` have one "midline" region. A
    few zones appear in both views (vertex, neck-shoulder angle, top and side of the shoulder, outer upper arm, side
    of the chest, outer hip, elbows, hand, ankles). ``MUSCLE_POINTS`` / ``muscle_point()`` place a numbered marker
    for each catalog muscle.

Zoom areas
    The whole figure is too small on any screen for every zone to be a 24 x 24 px target (the ankle zones are 4 units
    wide), so the web chart zooms into one of ``ZOOM_AREAS`` (head and neck, each shoulder and arm, trunk, hip and
    thigh, knee and lower leg, ankle and foot): every region is in exactly one, ``area_box(area, view)`` is what it
    shows of each view and ``area_scale(area)`` the CSS pixels per unit at which its smallest zone is 24 px.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
View = Literal["front", "back"]
RegionSide = Literal["left", "right", "midline"]

WIDTH = 200.0
HEIGHT = 440.0
MIDLINE_X = WIDTH / 2
VIEWS: tuple[View, ...] = ("front", "back")


@dataclass(frozen=True)
class Region:
    """One clickable area: a zone on one side of the body in one view, as a closed polygon (view coordinates)."""

    zone: str
    side: RegionSide
    view: View
    points: tuple[Point, ...]


# --- geometry helpers ------------------------------------------------------------------------------------------------


def _r(p: Point) -> Point:
    return (round(p[0], 2), round(p[1], 2))


def _mirror(points: Sequence[Point]) -> tuple[Point, ...]:
    """The mirror image about the midline (order reversed so the winding stays the same)."""
    return tuple(_r((WIDTH - x, y)) for x, y in reversed(points))


def _spline(points: Sequence[Point], samples: int = 4) -> list[Point]:
    """A Catmull-Rom curve through `points` (open, end points kept), `samples` segments per span."""
    if len(points) < 3:
        return list(points)
    pts = [points[0], *points, points[-1]]
    out: list[Point] = [points[0]]
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(1, samples + 1):
            t = k / samples
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[j]
                        + (-p0[j] + p2[j]) * t
                        + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                        + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3
                    )
                    for j in (0, 1)
                )
            )
    return out


def _interp(stations: Sequence[tuple[float, float]], t: float) -> float:
    """A smooth (cubic Hermite, Catmull-Rom slopes) interpolation of (t, value) stations; clamped at the ends."""
    if t <= stations[0][0]:
        return stations[0][1]
    if t >= stations[-1][0]:
        return stations[-1][1]
    i = next(i for i in range(len(stations) - 1) if stations[i][0] <= t <= stations[i + 1][0])

    def slope(k: int) -> float:
        a, b = stations[max(k - 1, 0)], stations[min(k + 1, len(stations) - 1)]
        return (b[1] - a[1]) / (b[0] - a[0])

    (t0, v0), (t1, v1) = stations[i], stations[i + 1]
    h = t1 - t0
    s = (t - t0) / h
    h00, h10, h01, h11 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s, -2 * s**3 + 3 * s**2, s**3 - s**2
    return h00 * v0 + h10 * h * slope(i) + h01 * v1 + h11 * h * slope(i + 1)


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 14, *, closed: bool = False) -> tuple[Point, ...]:
    """`n` points round an ellipse (the first repeated at the end when `closed`, for an open polyline)."""
    pts = [_r((cx + rx * math.cos(2 * math.pi * k / n), cy + ry * math.sin(2 * math.pi * k / n))) for k in range(n)]
    return tuple([*pts, pts[0]] if closed else pts)


def _steps(t0: float, t1: float, step: float = 3.0) -> list[float]:
    n = max(1, math.ceil(abs(t1 - t0) / step))
    return [t0 + (t1 - t0) * k / n for k in range(n + 1)]


@dataclass(frozen=True)
class _Limb:
    """A body part laid along a straight axis, on the viewer's left half of a view.

    `t` is the distance down the axis from `origin`; the axis leans `lean` degrees towards the viewer's left.
    `stations` give (t, lateral half-width, medial half-width); lateral is towards the viewer's left edge.
    A point across the part is given by `u`: 0 on the lateral edge, 1 on the medial edge.
    """

    origin: Point
    lean: float
    stations: tuple[tuple[float, float, float], ...]

    def at(self, t: float, s: float) -> Point:
        """The point `t` down the axis and `s` across it (positive towards the lateral edge)."""
        a = math.radians(self.lean)
        down = (-math.sin(a), math.cos(a))
        lateral = (-math.cos(a), -math.sin(a))
        return (
            self.origin[0] + down[0] * t + lateral[0] * s,
            self.origin[1] + down[1] * t + lateral[1] * s,
        )

    def across(self, t: float, u: float) -> Point:
        lat = _interp([(st[0], st[1]) for st in self.stations], t)
        med = _interp([(st[0], st[2]) for st in self.stations], t)
        return self.at(t, lat + (-med - lat) * u)

    def edge(self, u: float, t0: float, t1: float, step: float = 2.0) -> list[Point]:
        return [self.across(t, u) for t in _steps(t0, t1, step)]

    def band(self, t0: float, t1: float, u0: float = 0.0, u1: float = 1.0) -> tuple[Point, ...]:
        """The part of the limb between `t0` and `t1` down and `u0` and `u1` across."""
        return tuple(_r(p) for p in [*self.edge(u0, t0, t1, 3.0), *reversed(self.edge(u1, t0, t1, 3.0))])

    def shape(self, points: Iterable[tuple[float, float]]) -> tuple[Point, ...]:
        """A polygon given in the limb's own (t, s) coordinates."""
        return tuple(_r(self.at(t, s)) for t, s in points)


# The trunk from the armpits to the hips: t is y, the lateral edge is the flank and the medial "edge" the midline.
_TRUNK = _Limb(
    (MIDLINE_X, 0.0),
    0.0,
    ((104, 30.5, 0), (114, 31.2, 0), (128, 30.6, 0), (144, 28.6, 0), (158, 27.6, 0), (172, 29.0, 0), (186, 32.6, 0)),
)
_FLANK_END = 186.0  # where the flank meets the outer hip (the leg's lateral edge at t = -10)

# The arm, hanging 12 degrees away from the trunk: t = 0 at the shoulder joint, elbow ~66, wrist ~118, fingertips 157.6.
_ARM = _Limb(
    (63.0, 90.0),
    12.0,
    (
        (-8, 9.5, 8.0),
        (0, 12.5, 10.0),
        (12, 12.2, 9.6),
        (26, 11.0, 9.0),
        (42, 9.6, 8.4),
        (56, 8.6, 7.8),
        (66, 8.0, 7.4),
        (76, 8.6, 8.0),
        (90, 8.0, 7.0),
        (104, 6.4, 5.6),
        (116, 5.0, 4.6),
        (122, 5.6, 5.2),
        (130, 7.4, 6.8),
        (138, 7.4, 7.2),
        (146, 6.6, 6.8),
        (152, 5.0, 5.4),
        (156, 2.8, 3.2),
        (157.6, 0.6, 0.8),
    ),
)
_ARMPIT_T = 14.0
_FINGERTIP_T = 157.6

# The leg from the hip joint, leaning slightly in: outer hip from t = -10, knee ~90, ankle ~166.
_LEG = _Limb(
    (82.0, 196.0),
    -1.7,
    (
        (-10, 14.1, 17.0),
        (0, 17.0, 17.0),
        (10, 18.4, 16.2),
        (30, 17.6, 14.2),
        (50, 16.0, 12.6),
        (70, 14.0, 11.0),
        (84, 11.6, 9.6),
        (94, 11.0, 9.2),
        (104, 11.4, 10.2),
        (118, 11.6, 11.2),
        (134, 10.0, 9.0),
        (150, 7.4, 6.6),
        (162, 6.0, 6.0),
        (168, 6.6, 6.4),
    ),
)
_LEG_TOP_T = 8.0
_ANKLE_T = 168.0


def _head() -> list[Point]:
    """The head outline, top of the skull at y 8, chin at y 55.6."""
    half = [(100.0, 8.0), (89.6, 10.4), (83.4, 18.0), (81.4, 29.0), (82.4, 40.0), (86.4, 48.6), (93.0, 54.0)]
    left = _spline([*half, (100.0, 55.6)], 4)
    return [*left, *_mirror(left[:-1])]


_HEAD = [_r(p) for p in _head()]


def _head_edge_below(y: float) -> list[Point]:
    """The viewer's-left half of the head outline below `y`, from the midline chin up to the height `y`."""
    half = [p for p in _HEAD if p[0] <= MIDLINE_X and p[1] >= y]
    return sorted(half, key=lambda p: -p[1])


def _ear() -> tuple[Point, ...]:
    return ((82.0, 27.0), (79.4, 26.4), (77.6, 29.0), (77.8, 34.4), (79.6, 39.4), (82.4, 41.0))


def _thumb() -> tuple[Point, ...]:
    """The thumb, on the outer edge of the hand (palm forward); its last edge runs along the hand."""
    return _ARM.shape(
        [(119, 5.2), (123.5, 8.6), (129, 10.6), (135, 11.4), (140, 11.0), (142.2, 9.6), (140.6, 8.0), (134.0, 7.5)]
    )


def _foot_front() -> list[Point]:
    """The foot seen from the front, toes pointing down and a little out: lateral ankle round the toes to the medial."""
    lat, med = _LEG.across(_ANKLE_T, 0), _LEG.across(_ANKLE_T, 1)
    toes = [(75.6, 383.4), (76.2, 385.8), (78.4, 386.4), (80.2, 386.6), (82.2, 387.6), (84.4, 387.6), (86.4, 388.8),
            (88.6, 389.0), (90.8, 390.2), (94.0, 390.2), (96.4, 388.6)]  # fmt: skip
    return _spline([lat, (79.8, 369.4), (77.8, 375.6), (75.8, 380.6), *toes, (96.9, 384.6), (95.8, 377.6),
                    (94.6, 370.4), med], 3)  # fmt: skip


def _foot_back() -> list[Point]:
    """The foot seen from behind: the heel, with the sole's edge either side."""
    lat, med = _LEG.across(_ANKLE_T, 0), _LEG.across(_ANKLE_T, 1)
    return _spline(
        [lat, (lat[0] - 0.8, lat[1] + 8), (lat[0] - 1.8, lat[1] + 14.5), (lat[0] + 1.2, lat[1] + 18),
         (lat[0] + 6.5, lat[1] + 19.6), (med[0] - 2.5, med[1] + 19.6), (med[0] + 1.6, med[1] + 17.4),
         (med[0] + 2.0, med[1] + 12), (med[0] + 0.8, med[1] + 6), med],
        3,
    )  # fmt: skip


def _body(view: View) -> list[Point]:
    """The silhouette without the head: neck, shoulders, arms, trunk, legs and feet, as one closed polygon."""
    chin = _head_edge_below(47.0)
    shoulder = _spline(
        [chin[-1], (90.4, 56.0), (89.4, 63.0), (85.0, 68.4), (75.0, 72.6), (64.0, 76.0), (58.6, 77.8), (54.4, 80.4),
         (51.8, 84.0), _ARM.across(0, 0), _ARM.across(8, 0)],
        4,
    )  # fmt: skip
    arm_out = _ARM.edge(0, 8, _FINGERTIP_T)
    arm_in = _ARM.edge(1, _FINGERTIP_T, _ARMPIT_T)
    flank = _TRUNK.edge(0, _ARM.across(_ARMPIT_T, 1)[1] + 1.5, _FLANK_END - 2)
    leg_out = _LEG.edge(0, -10, _ANKLE_T)
    foot = _foot_front() if view == "front" else _foot_back()
    leg_in = _LEG.edge(1, _ANKLE_T, _LEG_TOP_T)
    crotch = (MIDLINE_X, _LEG.across(_LEG_TOP_T, 1)[1] + 1.5)
    half = [*chin, *shoulder[1:], *arm_out[1:], *arm_in[1:], *flank, *leg_out, *foot[1:-1], *leg_in, crotch]
    half = [_r(p) for p in half]
    return [*half, *_mirror(half[1:-1])]


def _sole() -> tuple[Point, ...]:
    """The patient's left sole inset (viewer's left in the back view): heel at the top, big toe towards the middle."""
    outer = [(80.0, 393.0), (77.2, 397.0), (76.6, 404.0), (77.4, 412.0), (76.8, 420.0), (77.4, 427.0), (79.4, 433.0),
             (82.0, 436.6)]  # fmt: skip
    inner = [(91.6, 437.6), (94.0, 434.0), (94.2, 427.0), (93.4, 420.0), (90.6, 412.0), (89.8, 404.0), (88.6, 397.0),
             (85.4, 393.0)]  # fmt: skip
    return tuple(_r(p) for p in _spline([*outer, (87.0, 438.2), *inner, (82.6, 392.2), outer[0]], 3)[:-1])


_SOLE = _sole()

OUTLINE: dict[View, list[tuple[Point, ...]]] = {
    "front": [_ear(), _mirror(_ear()), _thumb(), _mirror(_thumb()), tuple(_body("front")), tuple(_HEAD)],
    "back": [
        _ear(),
        _mirror(_ear()),
        _thumb(),
        _mirror(_thumb()),
        tuple(_body("back")),
        tuple(_HEAD),
        _SOLE,
        _mirror(_SOLE),
    ],
}


# --- regions ---------------------------------------------------------------------------------------------------------
#
# Paired zones are drawn on the viewer's left half of each view: the patient's RIGHT side in the front view and the
# patient's LEFT side in the back view; the other side is their mirror image. Midline zones straddle x = 100 and are
# drawn whole.

MIDLINE_ZONES = frozenset(
    {"vertex", "forehead", "occiput", "anterior_neck_throat", "interscapular", "abdomen", "pelvic_internal",
     "sacrum_coccyx"}
)  # fmt: skip


def _poly(*parts: Iterable[Point]) -> tuple[Point, ...]:
    return tuple(_r(p) for part in parts for p in part)


def _both_halves(half: Sequence[Point]) -> tuple[Point, ...]:
    """A midline shape from its viewer's-left half, given from the midline at the top round to the midline below."""
    return _poly(half, _mirror(half))


def _thumb_side() -> tuple[Point, ...]:
    """The thumb and the thumb half of the hand."""
    return _poly(_thumb(), _ARM.edge(0, 134, 142)[1:], reversed(_ARM.edge(0.48, 119, 142, 3.0)))


def _chest() -> tuple[Point, ...]:
    """Below the collar bone, from the front of the shoulder to the breastbone, down to the lower ribs."""
    shoulder = _ARM.edge(1, -8, _ARMPIT_T)
    flank = _TRUNK.edge(0.22, shoulder[-1][1] + 2, 128, 3.0)
    return _poly(shoulder, flank, [(99.4, 128.0), (99.4, 77.4), (93.0, 77.4), (82.4, 79.6)])


def _abdomen() -> tuple[Point, ...]:
    """From the lower ribs to the pelvis, flank to flank."""
    return _both_halves([(100.0, 128.0), *_TRUNK.edge(0.22, 128, 150, 3.0), *_TRUNK.edge(0.04, 150, 184, 3.0)])


# The groin crease, from the front of the hip bone down to the pubis: the groin zone lies along it and the front
# and inner thigh zones start just below it.
_GROIN = ((75.6, 189.4), (82.2, 191.4), (90.2, 196.0), (97.4, 201.6), (98.4, 205.4), (97.9, 210.2), (92.8, 208.8),
          (84.8, 202.6), (77.0, 196.6), (75.4, 194.0))  # fmt: skip


def _front_thigh() -> tuple[Point, ...]:
    return _poly(
        [(77.0, 198.2), (84.4, 204.0), (88.6, 207.2)],
        _LEG.edge(0.7, 12.6, 84, 3.0),
        reversed(_LEG.edge(0.27, 1.6, 84, 3.0)),
    )


def _inner_thigh() -> tuple[Point, ...]:
    return _poly(
        [(89.0, 208.8), (92.6, 210.4), (97.6, 211.8)],
        _LEG.edge(1, 16.2, 84, 3.0),
        reversed(_LEG.edge(0.71, 14.4, 84, 3.0)),
    )


def _mid_back() -> tuple[Point, ...]:
    """Below the shoulder blade to the lowest ribs, flank to the spine."""
    top = [(99.4, 127.6), (88.4, 123.8), (88.0, 133.8), (81.0, 139.0)]
    flank = [*_TRUNK.edge(0.22, 139.0, 150.0), *_TRUNK.edge(0.04, 150.0, 165.0)]
    return _poly(top, flank, [(99.4, 165.0)])


def _lumbar() -> tuple[Point, ...]:
    return _poly(
        _TRUNK.edge(0.04, 165.0, 184.0, 3.0),
        [(74.4, 187.0), (80.6, 188.4), (89.0, 190.2), (99.4, 190.2), (99.4, 165.0)],
    )


def _buttock() -> tuple[Point, ...]:
    """From the hip bone to the buttock crease, between the sacrum and the outer hip."""
    return _poly(
        [(72.8, 189.6), (80.6, 190.2), (87.2, 192.8), (87.2, 200.6), (90.2, 206.4), (94.8, 206.0), (96.6, 201.6),
         (99.4, 205.0)],
        _LEG.edge(1, 10, 32, 3.0),
        [(92.4, 230.6), (84.0, 231.8), (76.6, 229.4)],
        _LEG.edge(0.2, 30, -6, 3.0),
    )  # fmt: skip


_SHOULDER_ANGLE = ((90.3, 58.0), (93.0, 58.0), (93.0, 72.2), (84.4, 73.4), (80.8, 71.6), (86.0, 67.6), (89.4, 63.2))
_TOP_OF_SHOULDER = ((79.6, 72.2), (84.0, 74.4), (93.0, 73.4), (93.0, 76.2), (82.0, 78.4), (72.6, 82.0), (64.0, 81.0),
                    (56.4, 80.0), (58.8, 78.4), (64.2, 76.6), (72.0, 74.0))  # fmt: skip
_VERTEX = ((92.0, 9.2), (100.0, 8.4), (108.0, 9.2), (113.0, 13.2), (87.0, 13.2))

# fmt: off
_FRONT: list[tuple[str, Sequence[Point]]] = [
    # head and face
    ("vertex", _VERTEX),
    ("forehead", ((86.0, 14.0), (114.0, 14.0), (116.4, 18.6), (110.0, 18.6), (109.4, 26.0), (90.6, 26.0),
                  (90.0, 18.6), (83.6, 18.6))),
    ("temple", ((84.0, 19.4), (89.2, 19.4), (89.8, 27.0), (86.4, 27.4), (82.4, 28.4), (82.6, 22.6))),
    ("eye_orbit", _ellipse(92.2, 30.6, 5.0, 2.8)),
    ("ear", ((81.8, 27.4), (79.4, 26.8), (77.9, 29.2), (78.1, 34.4), (79.8, 39.0), (82.2, 40.4))),
    ("cheek_face", ((82.6, 29.6), (86.6, 29.6), (88.4, 34.6), (96.6, 34.6), (96.0, 40.6), (85.2, 40.6), (83.0, 35.0))),
    ("jaw_tmj", ((82.8, 41.4), (88.0, 41.6), (92.0, 47.6), (92.8, 53.0), (88.4, 50.6), (84.6, 46.4))),
    ("teeth", ((89.6, 41.8), (99.4, 41.8), (99.4, 47.2), (93.0, 47.2))),
    # neck and shoulder
    ("anterior_neck_throat", ((93.6, 57.4), (106.4, 57.4), (107.0, 73.0), (93.0, 73.0))),
    ("neck_shoulder_angle", _SHOULDER_ANGLE),
    ("top_of_shoulder", _TOP_OF_SHOULDER),
    ("lateral_shoulder_deltoid", _ARM.band(-8, 26, 0.0, 0.48)),
    ("anterior_shoulder", _ARM.band(-8, 26, 0.48, 1.0)),
    # chest and abdomen
    ("anterior_chest", _chest()),
    ("lateral_chest", _TRUNK.band(107, 150, 0.02, 0.22)),
    ("abdomen", _abdomen()),
    ("pelvic_internal", ((86.0, 186.4), (114.0, 186.4), (110.0, 193.0), (103.6, 199.8), (96.4, 199.8), (90.0, 193.0))),
    ("groin", _GROIN),
    ("lateral_hip_trochanter", _LEG.band(-8, 24, 0.0, 0.26)),
    # arm, palm forward: the thumb side is the outer edge
    ("upper_arm_lateral", _ARM.band(26, 62, 0.0, 0.34)),
    ("upper_arm_anterior", _ARM.band(26, 62, 0.34, 1.0)),
    ("lateral_elbow", _ARM.band(62, 76, 0.0, 0.3)),
    ("anterior_elbow", _ARM.band(62, 76, 0.3, 0.7)),
    ("medial_elbow", _ARM.band(62, 76, 0.7, 1.0)),
    ("forearm_radial", _ARM.band(76, 110, 0.0, 0.42)),
    ("wrist_band", _ARM.band(110, 119, 0.0, 1.0)),
    ("hand_radial_thumb", _thumb_side()),
    ("hand_ulnar_fingers", _ARM.band(128, _FINGERTIP_T - 0.6, 0.52, 1.0)),
    # thigh and knee
    ("lateral_thigh", _LEG.band(24, 84, 0.0, 0.26)),
    ("anterior_thigh", _front_thigh()),
    ("medial_thigh", _inner_thigh()),
    ("lateral_knee", _LEG.band(84, 104, 0.0, 0.28)),
    ("anterior_knee_patella", _LEG.band(84, 104, 0.28, 0.7)),
    ("medial_knee", _LEG.band(84, 104, 0.7, 1.0)),
    # lower leg and ankle
    ("lateral_leg", _LEG.band(104, 158, 0.0, 0.3)),
    ("anterior_shin", _LEG.band(104, 158, 0.3, 0.62)),
    ("medial_shin", _LEG.band(104, 158, 0.62, 1.0)),
    ("lateral_ankle", _LEG.band(158, 172, 0.0, 0.3)),
    ("anterior_ankle", _LEG.band(158, 172, 0.3, 0.7)),
    ("medial_ankle", _LEG.band(158, 172, 0.7, 1.0)),
    # foot, from the front
    ("lateral_foot", ((80.4, 369.2), (82.4, 369.2), (82.4, 382.0), (76.6, 382.6), (77.6, 378.0), (79.2, 373.4))),
    ("dorsal_foot", ((82.4, 369.2), (93.6, 369.2), (94.6, 375.0), (95.4, 381.8), (82.4, 382.0))),
    ("lesser_toes", ((76.8, 383.4), (88.8, 382.8), (88.8, 388.2), (86.4, 388.0), (84.4, 387.0), (82.2, 386.8),
                     (80.2, 386.0), (77.6, 385.4))),
    ("big_toe", ((88.8, 382.8), (95.6, 382.4), (96.2, 386.4), (95.2, 388.6), (93.6, 389.4), (90.6, 389.4),
                 (88.8, 388.2))),
]

_BACK: list[tuple[str, Sequence[Point]]] = [
    # head and neck
    ("vertex", _VERTEX),
    ("occiput", ((84.6, 16.0), (115.4, 16.0), (117.6, 28.0), (116.6, 40.0), (112.8, 46.6), (100.0, 49.4), (87.2, 46.6),
                 (83.4, 40.0), (82.4, 28.0))),
    ("posterior_neck", ((90.4, 52.4), (94.0, 54.6), (99.4, 55.6), (99.4, 76.4), (93.6, 76.6), (93.6, 58.0),
                        (90.3, 57.4))),
    ("neck_shoulder_angle", _SHOULDER_ANGLE),
    ("top_of_shoulder", _TOP_OF_SHOULDER),
    ("lateral_shoulder_deltoid", _ARM.band(-8, 26, 0.0, 0.48)),
    ("posterior_shoulder", _ARM.band(-8, 26, 0.48, 1.0)),
    # back of the trunk
    ("medial_scapular_border", ((85.2, 84.0), (90.6, 82.6), (90.2, 104.0), (88.0, 121.6), (83.0, 119.0),
                                (84.4, 104.0))),
    ("interscapular", _both_halves([(100.0, 78.0), (93.8, 78.0), (90.6, 82.6), (90.2, 104.0), (88.0, 121.6),
                                    (100.0, 126.4)])),
    ("inferior_scapular_angle", ((77.0, 118.4), (82.6, 119.8), (87.2, 122.8), (87.0, 133.0), (80.6, 137.6),
                                 (77.4, 132.6), (76.8, 123.0))),
    ("lateral_chest", _TRUNK.band(107, 150, 0.02, 0.22)),
    ("thoracic_mid_back", _mid_back()),
    ("lumbar", _lumbar()),
    ("sacroiliac", ((88.4, 193.4), (93.6, 192.2), (94.8, 197.0), (94.6, 205.0), (90.8, 205.6), (88.0, 200.2))),
    ("sacrum_coccyx", _both_halves([(100.0, 190.8), (95.8, 190.8), (95.4, 195.0), (96.4, 200.0), (100.0, 204.4)])),
    ("buttock", _buttock()),
    ("lateral_hip_trochanter", _LEG.band(-6, 30, 0.0, 0.2)),
    # arm from behind
    ("upper_arm_lateral", _ARM.band(26, 62, 0.0, 0.3)),
    ("upper_arm_posterior", _ARM.band(26, 62, 0.3, 1.0)),
    ("lateral_elbow", _ARM.band(62, 76, 0.0, 0.34)),
    ("medial_elbow", _ARM.band(62, 76, 0.66, 1.0)),
    ("forearm_dorsal", _ARM.band(76, 110, 0.0, 1.0)),
    ("wrist_dorsal", _ARM.band(110, 119, 0.0, 1.0)),
    ("hand_radial_thumb", _thumb_side()),
    ("hand_ulnar_fingers", _ARM.band(128, _FINGERTIP_T - 0.6, 0.52, 1.0)),
    # leg from behind
    ("posterior_thigh", _LEG.band(36, 84, 0.0, 1.0)),
    ("posterior_knee", _LEG.band(84, 104, 0.0, 1.0)),
    ("calf", _LEG.band(104, 150, 0.0, 1.0)),
    ("lateral_ankle", _LEG.band(156, 172, 0.0, 0.3)),
    ("achilles", _LEG.band(150, 172, 0.32, 0.68)),
    ("medial_ankle", _LEG.band(156, 172, 0.7, 1.0)),
    ("posterior_heel", ((81.0, 372.4), (93.6, 372.0), (94.2, 378.6), (91.0, 382.2), (84.6, 382.6), (80.4, 379.4))),
    # the sole inset under the foot
    ("plantar_heel", ((80.4, 393.8), (85.0, 393.4), (88.4, 397.0), (89.2, 405.0), (77.0, 405.0), (77.4, 397.0))),
    ("arch_instep", ((77.2, 406.0), (89.4, 406.0), (91.0, 415.0), (93.2, 420.0), (77.0, 420.0), (77.4, 412.0))),
    ("plantar_forefoot", ((77.0, 421.0), (93.4, 421.0), (94.0, 428.0), (77.8, 428.0))),
]
# fmt: on

_VIEWER_LEFT_SIDE: dict[View, RegionSide] = {"front": "right", "back": "left"}
_OTHER: dict[RegionSide, RegionSide] = {"right": "left", "left": "right", "midline": "midline"}


def _build_regions() -> tuple[Region, ...]:
    out: list[Region] = []
    for view, shapes in (("front", _FRONT), ("back", _BACK)):
        v: View = "front" if view == "front" else "back"
        for zone, points in shapes:
            pts = _poly(points)
            if zone in MIDLINE_ZONES:
                out.append(Region(zone, "midline", v, pts))
            else:
                side = _VIEWER_LEFT_SIDE[v]
                out.append(Region(zone, side, v, pts))
                out.append(Region(zone, _OTHER[side], v, _mirror(pts)))
    return tuple(out)


REGIONS: tuple[Region, ...] = _build_regions()


def regions(view: View | None = None) -> tuple[Region, ...]:
    """Every region, or those of one view; front view first, head to feet, the viewer's left one of a pair first."""
    return REGIONS if view is None else tuple(r for r in REGIONS if r.view == view)


def region_centroid(region: Region) -> Point:
    """The area centroid of the region's polygon (a good spot for a label or a marker)."""
    pts = region.points
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts))
    return (round(cx / (3 * area), 2), round(cy / (3 * area), 2))


# --- decorative detail lines -----------------------------------------------------------------------------------------

_SCAPULA = ((74.0, 84.6), (86.0, 83.4), (85.0, 96.0), (83.6, 110.0), (80.6, 126.8), (77.0, 123.0), (72.4, 112.0),
            (69.0, 100.0), (67.0, 92.0), (74.0, 84.6))  # fmt: skip
_SCAPULAR_SPINE = ((86.0, 92.0), (76.0, 87.6), (64.0, 83.0))

DETAILS: dict[View, list[tuple[Point, ...]]] = {
    "front": [_ellipse(100.0, 164.0, 1.1, 1.3, 8, closed=True)],
    "back": [
        ((100.0, 58.0), (100.0, 190.0)),
        _SCAPULA,
        _mirror(_SCAPULA),
        _SCAPULAR_SPINE,
        _mirror(_SCAPULAR_SPINE),
    ],
}


# --- muscles ---------------------------------------------------------------------------------------------------------

# A marker position for each catalog muscle on the patient's RIGHT side, (view, x, y): in the front view the patient's
# right is x < 100, in the back view x > 100. Approximate: the usual trigger point or the belly, spread so that markers
# (radius ~3) do not overlap.
MUSCLE_POINTS: dict[str, tuple[View, float, float]] = {
    # head and neck
    "temporalis": ("front", 85.6, 22.8),
    "masseter": ("front", 86.4, 43.4),
    "sternocleidomastoid": ("front", 92.0, 62.0),
    "scalenes": ("front", 86.8, 70.0),
    "suboccipitals": ("back", 104.4, 53.4),
    "splenius": ("back", 109.2, 60.6),
    "levator_scapulae": ("back", 113.0, 69.0),
    "trapezius_upper": ("back", 122.0, 74.0),
    # shoulder girdle and upper back
    "trapezius_middle": ("back", 108.0, 92.0),
    "trapezius_lower": ("back", 111.0, 124.0),
    "rhomboids": ("back", 112.0, 106.0),
    "supraspinatus": ("back", 123.0, 84.0),
    "infraspinatus": ("back", 123.0, 100.0),
    "teres_minor": ("back", 129.0, 110.0),
    "latissimus_dorsi": ("back", 127.6, 128.0),
    "subscapularis": ("front", 71.2, 107.0),
    "pectoralis_major": ("front", 88.0, 96.0),
    "pectoralis_minor": ("front", 78.6, 92.0),
    "serratus_anterior": ("front", 71.6, 122.0),
    "deltoid": ("front", 53.1, 98.1),
    # arm
    "biceps_brachii": ("front", 54.5, 137.3),
    "triceps_brachii": ("back", 145.7, 131.1),
    "brachioradialis": ("front", 41.5, 169.3),
    "supinator": ("front", 47.5, 160.3),
    "wrist_extensors_radial": ("back", 157.7, 175.6),
    # trunk
    "rectus_abdominis": ("front", 94.0, 150.0),
    "iliopsoas": ("front", 85.0, 180.0),
    "erector_spinae": ("back", 108.4, 160.0),
    "multifidus": ("back", 104.0, 184.0),
    "quadratus_lumborum": ("back", 120.0, 176.0),
    # hip
    "gluteus_medius": ("back", 122.4, 196.0),
    "gluteus_minimus": ("back", 128.4, 206.0),
    "gluteus_maximus": ("back", 112.0, 220.0),
    "piriformis": ("back", 117.6, 208.0),
    "tensor_fasciae_latae": ("front", 70.6, 200.0),
    "adductors_longus_brevis": ("front", 94.7, 219.6),
    "adductor_magnus": ("back", 105.8, 235.7),
    # thigh
    "rectus_femoris": ("front", 81.6, 216.0),
    "sartorius": ("front", 88.1, 231.8),
    "vastus_intermedius": ("front", 83.4, 244.0),
    "vastus_lateralis": ("front", 71.8, 256.3),
    "gracilis": ("front", 94.8, 257.6),
    "vastus_medialis": ("front", 90.4, 275.8),
    "semitendinosus_semimembranosus": ("back", 110.2, 257.8),
    "biceps_femoris": ("back", 122.9, 266.2),
    # leg
    "popliteus": ("back", 113.2, 289.9),
    "gastrocnemius": ("back", 108.8, 303.8),
    "tibialis_posterior": ("back", 114.5, 313.9),
    "flexor_digitorum_longus": ("back", 106.4, 317.7),
    "flexor_hallucis_longus": ("back", 118.8, 336.1),
    "soleus": ("back", 109.7, 341.8),
    "tibialis_anterior": ("front", 82.8, 304.0),
    "fibularis_longus_brevis": ("front", 75.3, 306.2),
    "extensor_digitorum_longus": ("front", 79.7, 320.1),
    "extensor_hallucis_longus": ("front", 84.2, 338.0),
    # foot (the sole markers go on the sole inset under the back view)
    "extensor_digitorum_brevis": ("front", 79.0, 374.4),
    "quadratus_plantae": ("back", 115.6, 407.0),
    "abductor_hallucis": ("back", 111.0, 412.4),
    "flexor_digitorum_brevis": ("back", 115.0, 418.0),
}


def muscle_point(slug: str, side: str = "right") -> tuple[View, float, float]:
    """The marker position for a muscle on the patient's `side` ("right" or "left"; the left one mirrors x)."""
    view, x, y = MUSCLE_POINTS[slug]
    if side == "left":
        return (view, round(WIDTH - x, 2), y)
    return (view, x, y)


# --- SVG -------------------------------------------------------------------------------------------------------------

VIEW_HEIGHT = HEIGHT + 12  # each view of the web chart: the figure and the "soles" note under the back view's insets
_SOLES_NOTE_Y = HEIGHT + 9


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


# The outlines are sampled densely; on screen (200 units across about 300-400 px) a point closer than this to the line
# between its neighbours changes nothing visible, and dropping them halves the chart's bytes (the visit page's bulk).
SVG_TOLERANCE = 0.1


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the points that keep the line within `tolerance` of the original (first and last kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            on_line = abs(dy * px - dx * py + bx * ay - by * ax) / length if length >= 1e-9 else 0.0
            d = on_line if length >= 1e-9 else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


@functools.cache
def drawn_points(points: tuple[Point, ...], closed: bool = True) -> tuple[Point, ...]:
    """The points the web chart draws for a polygon (closed) or polyline: simplified within SVG_TOLERANCE and rounded
    to 0.1 unit. The figure is fixed, so each is worked out once per process."""
    kept = simplify([*points, points[0]], SVG_TOLERANCE)[:-1] if closed else simplify(points, SVG_TOLERANCE)
    return tuple((round(x, 1), round(y, 1)) for x, y in kept)


def _pts(points: Iterable[Point], *, closed: bool = True) -> str:
    """The SVG points attribute of `drawn_points`."""
    kept = drawn_points(points if isinstance(points, tuple) else tuple(points), closed)
    return " ".join(f"{x:.1f},{y:.1f}".replace(".0,", ",").removesuffix(".0") for x, y in kept)


# --- zoom areas ------------------------------------------------------------------------------------------------------

# WCAG 2.2 success criterion 2.5.8, Target Size (Minimum): a pointer target is at least 24 by 24 CSS pixels. The whole
# figure is too small for that on any screen (the ankle zones are 4 units wide), so the web chart zooms into an area.
TARGET_PX = 24.0
_AREA_MARGIN = 1.5  # units of figure shown round an area's zones
_SOLE_INSET_TOP = 390.0
_NOTE_ROOM = 4.0  # units under the sole insets for the "soles" note, which the script sets at 12 px when zoomed


@dataclass(frozen=True)
class ZoomArea:
    """A part of the figure the web chart zooms into: the regions of `zones` on `sides`, in both views.

    An arm is one side only: both arms side by side are too wide to show each of their zones at TARGET_PX on a phone.
    """

    key: str
    label: str
    zones: frozenset[str]
    sides: frozenset[RegionSide] = frozenset({"left", "right", "midline"})

    def holds(self, region: Region) -> bool:
        return region.zone in self.zones and region.side in self.sides


_HEAD_NECK = frozenset(
    {"vertex", "forehead", "temple", "eye_orbit", "ear", "cheek_face", "jaw_tmj", "teeth", "occiput",
     "anterior_neck_throat", "posterior_neck", "neck_shoulder_angle"}
)  # fmt: skip
_SHOULDER_ARM = frozenset(
    {"top_of_shoulder", "lateral_shoulder_deltoid", "anterior_shoulder", "posterior_shoulder", "upper_arm_lateral",
     "upper_arm_anterior", "upper_arm_posterior", "lateral_elbow", "anterior_elbow", "medial_elbow", "forearm_radial",
     "forearm_dorsal", "wrist_band", "wrist_dorsal", "hand_radial_thumb", "hand_ulnar_fingers"}
)  # fmt: skip
_TRUNK_BACK = frozenset(
    {"anterior_chest", "lateral_chest", "abdomen", "pelvic_internal", "medial_scapular_border", "interscapular",
     "inferior_scapular_angle", "thoracic_mid_back", "lumbar", "sacroiliac", "sacrum_coccyx"}
)  # fmt: skip
_HIP_THIGH = frozenset(
    {"groin", "lateral_hip_trochanter", "buttock", "lateral_thigh", "anterior_thigh", "medial_thigh", "posterior_thigh"}
)
_KNEE_LEG = frozenset(
    {"lateral_knee", "anterior_knee_patella", "medial_knee", "posterior_knee", "lateral_leg", "anterior_shin",
     "medial_shin", "calf"}
)  # fmt: skip
_ANKLE_FOOT = frozenset(
    {"lateral_ankle", "anterior_ankle", "medial_ankle", "achilles", "posterior_heel", "lateral_foot", "dorsal_foot",
     "lesser_toes", "big_toe", "plantar_heel", "arch_instep", "plantar_forefoot"}
)  # fmt: skip

ZOOM_AREAS: tuple[ZoomArea, ...] = (
    ZoomArea("head_neck", "Head & neck", _HEAD_NECK),
    ZoomArea("right_arm", "Right shoulder & arm", _SHOULDER_ARM, frozenset({"right"})),
    ZoomArea("left_arm", "Left shoulder & arm", _SHOULDER_ARM, frozenset({"left"})),
    ZoomArea("trunk", "Trunk & back", _TRUNK_BACK),
    ZoomArea("hip_thigh", "Hip & thigh", _HIP_THIGH),
    ZoomArea("knee_leg", "Knee & lower leg", _KNEE_LEG),
    ZoomArea("ankle_foot", "Ankle & foot", _ANKLE_FOOT),
)


def area_of(region: Region) -> ZoomArea:
    """The zoom area a region is in (each region is in exactly one)."""
    return next(area for area in ZOOM_AREAS if area.holds(region))


_SOLES_AREA = area_of(next(r for r in REGIONS if r.zone == "plantar_heel"))


def _drawn_box(points: tuple[Point, ...]) -> tuple[float, float, float, float]:
    kept = drawn_points(points)
    xs, ys = [x for x, _ in kept], [y for _, y in kept]
    return (min(xs), min(ys), max(xs), max(ys))


@functools.cache
def area_box(area: ZoomArea, view: View) -> tuple[float, float, float, float]:
    """What the chart shows of `view` when zoomed into `area`, as an SVG viewBox (x, y, width, height): its zones
    with a small margin, and room for the "soles" note under the sole insets."""
    boxes = [_drawn_box(r.points) for r in regions(view) if area.holds(r)]
    x0 = min(b[0] for b in boxes) - _AREA_MARGIN
    y0 = min(b[1] for b in boxes) - _AREA_MARGIN
    x1 = max(b[2] for b in boxes) + _AREA_MARGIN
    y1 = max(b[3] for b in boxes) + _AREA_MARGIN
    if max(b[1] for b in boxes) >= _SOLE_INSET_TOP:
        y1 += _NOTE_ROOM
    return (round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1))


@functools.cache
def area_scale(area: ZoomArea) -> float:
    """The fewest CSS pixels per unit at which every zone of `area` is at least TARGET_PX wide and tall (rounded up)."""
    boxes = [_drawn_box(r.points) for r in REGIONS if area.holds(r)]
    smallest = min(min(x1 - x0, y1 - y0) for x0, y0, x1, y1 in boxes)
    return math.ceil(100 * TARGET_PX / smallest) / 100


def _label(zone: str, labels: Mapping[str, str] | None) -> str:
    if labels and zone in labels:
        return labels[zone]
    return zone.replace("_", " ").capitalize()


def _marked_keys(marked: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(zone, side) pairs to shade. 'bilateral' shades both sides; a side the zone is not drawn on shades all of it."""
    drawn: dict[str, set[str]] = {}
    for r in REGIONS:
        drawn.setdefault(r.zone, set()).add(r.side)
    keys: set[tuple[str, str]] = set()
    for zone, side in marked:
        sides = drawn.get(zone, set())
        if side in sides:
            keys.add((zone, side))
        else:
            keys.update((zone, s) for s in sides)
    return keys


def _zoom_toolbar(id_prefix: str) -> str:
    """The buttons that zoom the chart into an area: each names the box of each view and the scale it needs."""
    esc = html.escape
    prefix = esc(id_prefix)
    out = [
        f'<div class="bc-zoom" role="toolbar" aria-labelledby="{prefix}-zoom" aria-controls="{prefix}-views">'
        f'<span class="bc-zoom-label" id="{prefix}-zoom">Zoom the chart to</span>',
        '<button type="button" class="bc-zoom-button" data-zoom="" aria-pressed="true" tabindex="0">'
        "Whole body</button>",
    ]
    for area in ZOOM_AREAS:
        boxes = " ".join(f'data-{view}="{" ".join(_fmt(v) for v in area_box(area, view))}"' for view in VIEWS)
        out.append(
            f'<button type="button" class="bc-zoom-button" data-zoom="{esc(area.key)}" {boxes}'
            f' data-scale="{_fmt(area_scale(area))}" aria-pressed="false" tabindex="-1">{esc(area.label)}</button>'
        )
    out.append("</div>")
    return "".join(out)


def render_chart(
    *,
    marked: Iterable[tuple[str, str]] = (),
    selectable: bool = True,
    labels: Mapping[str, str] | None = None,
    id_prefix: str = "bc",
) -> str:
    """The web chart: the two views side by side, each an ``<svg>`` that scales to the width of its box.

    With `selectable` the zones are toggle buttons that take one stop in the Tab order between them (the first zone;
    static/js/body_chart.js moves it with the arrow keys), and a toolbar zooms into one of ZOOM_AREAS. Styles come from
    classes (static/css/body_chart.css)."""
    esc = html.escape
    prefix = esc(id_prefix)
    keys = _marked_keys(marked)
    marked_names = sorted({f"{_label(r.zone, labels)}, {r.side}" for r in REGIONS if (r.zone, r.side) in keys})
    desc = "Front view: the patient's right side is on the left. Back view: the patient's left side is on the left."
    if marked_names:
        desc += " Marked: " + "; ".join(marked_names) + "."
    if selectable:
        desc += " Arrow keys move between the areas, Enter or Space chooses one; the zoom buttons enlarge a part."
    out = [
        f'<div class="body-chart" id="{prefix}-chart" role="group"'
        f' aria-label="Body chart{": choose an area" if selectable else ""}" aria-describedby="{prefix}-desc">',
        f'<p class="bc-desc" id="{prefix}-desc" hidden="">{esc(desc)}</p>',
    ]
    if selectable:
        out.append(_zoom_toolbar(id_prefix))
    out.append(f'<div class="bc-views" id="{prefix}-views">')
    tab_stop = True
    for view in VIEWS:
        caption = "Front" if view == "front" else "Back"
        left_hint, right_hint = ("R", "L") if view == "front" else ("L", "R")
        viewbox = f"0 0 {_fmt(WIDTH)} {_fmt(VIEW_HEIGHT)}"
        out.append(
            f'<div class="bc-view bc-{view}" data-view="{view}">'
            f'<p class="bc-caption" aria-hidden="true"><span class="bc-hint">{left_hint}</span>'
            f' <span class="bc-caption-name">{caption}</span> <span class="bc-hint">{right_hint}</span></p>'
            f'<svg xmlns="http://www.w3.org/2000/svg" class="body-chart-svg" id="{prefix}-{view}" viewBox="{viewbox}"'
            f' data-viewbox="{viewbox}" role="group" aria-label="{caption} view">'
        )
        # Presentation attributes (not style attributes, so no CSP concern) keep the chart legible without the
        # stylesheet; static/css/body_chart.css overrides them.
        if view == "back":
            out.append(
                f'<text class="bc-note" x="{_fmt(WIDTH / 2)}" y="{_fmt(_SOLES_NOTE_Y)}" data-y="{_fmt(_SOLES_NOTE_Y)}"'
                f' data-area="{_SOLES_AREA.key}" text-anchor="middle" font-size="9" aria-hidden="true">soles</text>'
            )
        out.append('<g class="bc-body" fill="#f4f2ef" aria-hidden="true">')
        out.extend(f'<polygon points="{_pts(poly)}"/>' for poly in OUTLINE[view])
        out.append("</g>")
        out.append('<g class="bc-zones" fill="#dbe5ef" stroke="#fff" stroke-width="0.8">')
        for region in regions(view):
            label = _label(region.zone, labels)
            name = f"{label}, {region.side}"
            is_marked = (region.zone, region.side) in keys
            attrs = [
                f'class="zone{" marked" if is_marked else ""}"',
                f'points="{_pts(region.points)}"',
                f'data-zone="{esc(region.zone)}"',
                f'data-side="{esc(region.side)}"',
                f'data-label="{esc(label)}"',
            ]
            if is_marked:
                attrs.append('fill="#e4572e"')
            if selectable:
                attrs += [
                    f'data-area="{area_of(region).key}"',
                    f'tabindex="{"0" if tab_stop else "-1"}"',
                    'role="button"',
                    f'aria-pressed="{"true" if is_marked else "false"}"',
                    f'aria-label="{esc(name)}"',
                ]
                tab_stop = False
            out.append(f"<polygon {' '.join(attrs)}><title>{esc(name)}</title></polygon>")
        out.append("</g>")
        out.append(
            '<g class="bc-outline" fill="none" stroke="#3d4a57" stroke-width="1.1" stroke-linejoin="round"'
            ' aria-hidden="true" pointer-events="none">'
        )
        out.extend(f'<polygon points="{_pts(poly)}"/>' for poly in OUTLINE[view])
        out.extend(
            f'<polyline class="bc-detail" points="{_pts(line, closed=False)}" stroke="#8e99a6" stroke-width="0.6"/>'
            for line in DETAILS[view]
        )
        out.append("</g>")
        if selectable:  # drawn over the zone with the keyboard focus, on top of its neighbours and the outline
            out.append(
                '<g class="bc-focus" fill="none" aria-hidden="true" pointer-events="none">'
                '<polygon class="bc-focus-halo"/><polygon class="bc-focus-line"/></g>'
            )
        out.append("</svg></div>")
    out.append("</div></div>")
    return "".join(out)
