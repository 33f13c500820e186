"""Recurring or improving points (CS-05, TO-08, SAFE-S6): one definition for the analysis, the comparison, the plan
and the progress report.

A point is a muscle and side.  At each visit its state is the highest tenderness charted there and whether any
finding there was an active trigger point.  It is *tender* from ``tender_from`` (3/10) or when active; it is
*improving* when its tenderness fell by ``improvement_points`` (2) or more since the previous visit, or it went from
active to not active without more tenderness; it is *recurring* when it was tender at ``visits`` (3) or more
consecutive visits, this one included, and is not improving.  Palpation tenderness has no MCID: the 2-point step
follows the NPRS MCID and is practitioner observation (catalog rule CS-05).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .catalog import Catalog
from .types import Finding

RULE_ID = "CS-05"
DEFAULT_VISITS = 3
DEFAULT_TENDER_FROM = 3
DEFAULT_IMPROVEMENT_POINTS = 2


@dataclass(frozen=True)
class PointState:
    """One point at one visit: its highest charted tenderness and whether it was an active trigger point."""

    tenderness: int
    active: bool


@dataclass(frozen=True)
class Course:
    """How a point has gone up to the latest visit of its history."""

    streak: int
    recurring: bool
    improving: bool


@dataclass(frozen=True)
class Thresholds:
    visits: int
    tender_from: int
    improvement_points: int

    @classmethod
    def of(cls, catalog: Catalog) -> Thresholds:
        return cls(
            visits=int(catalog.param(RULE_ID, "visits", DEFAULT_VISITS)),
            tender_from=int(catalog.param(RULE_ID, "tender_from", DEFAULT_TENDER_FROM)),
            improvement_points=int(catalog.param(RULE_ID, "improvement_points", DEFAULT_IMPROVEMENT_POINTS)),
        )

    def tender(self, state: PointState | None) -> bool:
        return state is not None and (state.tenderness >= self.tender_from or state.active)


def point_states(findings: Iterable[Finding]) -> dict[tuple[str, str], PointState]:
    """Each charted point of one visit (several findings in one muscle and side make one point)."""
    states: dict[tuple[str, str], PointState] = {}
    for finding in findings:
        key = (finding.muscle, finding.side)
        was = states.get(key)
        active = finding.status == "active"
        if was is None:
            states[key] = PointState(finding.tenderness, active)
        else:
            states[key] = PointState(max(was.tenderness, finding.tenderness), was.active or active)
    return states


def improving(before: PointState | None, after: PointState | None, thresholds: Thresholds) -> bool:
    """Tenderness fell by the improvement step, or active became not active without more tenderness (CS-05)."""
    if before is None or after is None:
        return False
    if before.tenderness - after.tenderness >= thresholds.improvement_points:
        return True
    return before.active and not after.active and after.tenderness <= before.tenderness


def course(history: Sequence[PointState | None], thresholds: Thresholds) -> Course:
    """The course of one point over visits in date order (None where the point was not charted)."""
    streak = 0
    for state in reversed(history):
        if not thresholds.tender(state):
            break
        streak += 1
    latest = history[-1] if history else None
    previous = history[-2] if len(history) >= 2 else None
    better = improving(previous, latest, thresholds)
    return Course(streak=streak, recurring=streak >= thresholds.visits and not better, improving=better)


def courses(
    visits: Sequence[Iterable[Finding]], catalog: Catalog
) -> dict[tuple[str, str], tuple[Course, tuple[PointState | None, ...]]]:
    """The course of every point charted at the last of ``visits`` (each visit's findings, in date order)."""
    thresholds = Thresholds.of(catalog)
    states = [point_states(findings) for findings in visits]
    if not states:
        return {}
    result = {}
    for key in sorted(states[-1]):
        history = tuple(visit.get(key) for visit in states)
        result[key] = (course(history, thresholds), history)
    return result
