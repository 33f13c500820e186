"""Whether a plan still matches the chart, and what a rebuild changed: pure comparisons of analyses and plans.

A plan keeps the ``Basis`` it was built on (the analysis' conclusions and the steps the engine proposed, each with a
digest of its content) and the ``digest`` of the whole analysis and proposal.  When the chart changes so that the
engine's analysis differs, so does the digest: the plan is out of date, and ``review`` says in the practitioner's words
what changed and which steps a rebuild would add, remove, move or change.  ``diff_steps`` also says what a rebuild
did to the practitioner's plan (steps added, removed, moved).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .catalog import Catalog
from .types import Analysis, Plan, PlanStep

STEP_WORDS = {
    "refer": "Refer",
    "address_stressor": "Address stressor",
    "treat_remote_driver": "Treat remote driver",
    "treat_trigger_point": "Treat trigger point",
    "retest": "Retest",
    "rehab": "Rehabilitation",
    "follow_up": "Follow up",
}
NOTE_WORDS = {
    "screen": "red flags to screen (U-1)",
    "screen_first": "screens to record before treating (CS-02, CS-04)",
    "caution": "a caution",
    "advisory": "an advisory",
    "rest": "rest advice (TO-09)",
    "unlinked_findings": "trigger points not linked to today's complaint (TO-04)",
    "muscle_tests": "muscle tests (TO-05)",
    "acute_injury": "an acute injury (CS-01, CS-02)",
    "history": "the history (HX-01)",
    "ask": "a stressor the history suggests asking about",
}


@dataclass(frozen=True)
class StepRef:
    """What a step is about (not its wording): its kind, muscle, side or stressor, and whether it is the
    practitioner's own."""

    kind: str
    muscle: str | None = None
    side: str | None = None
    stressor: str | None = None
    custom: bool = False


@dataclass(frozen=True)
class StepMove:
    step: StepRef
    before: int
    after: int


@dataclass(frozen=True)
class StepDiff:
    """Steps only in the later plan, only in the earlier one, in both but out of their earlier order (positions from
    1), and in both with other content (reasons, home care, pending screens)."""

    added: tuple[StepRef, ...] = ()
    removed: tuple[StepRef, ...] = ()
    moved: tuple[StepMove, ...] = ()
    changed: tuple[StepRef, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.changed)


@dataclass(frozen=True)
class Basis:
    """The conclusions a plan was built on: versions, red flags and screens (rule, side or ""), sources and drivers
    (muscle, side), stressors (id, kind), notes (kind, digest of the text) and the proposed steps (ref, digest)."""

    engine_version: str
    catalog_version: str
    red_flags: tuple[tuple[str, str], ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    drivers: tuple[tuple[str, str], ...] = ()
    stressors: tuple[tuple[str, str], ...] = ()
    screens_needed: tuple[tuple[str, str], ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    steps: tuple[tuple[StepRef, str], ...] = ()


@dataclass(frozen=True)
class Review:
    """``stale``: the engine's analysis of the chart differs from the one the plan was built on; ``changes`` says how
    (one line each), ``steps`` what a rebuild would do to the proposal."""

    stale: bool
    changes: tuple[str, ...] = ()
    steps: StepDiff = StepDiff()


def digest_of(value: Any) -> str:
    """SHA-256 of a canonical JSON form of engine dataclasses (or plain JSON values)."""
    plain = dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value
    text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def step_ref(step: PlanStep) -> StepRef:
    return StepRef(step.kind, step.muscle, step.side, step.stressor, step.custom)


def step_digest(step: PlanStep) -> str:
    """The digest of a step's content wherever it stands (its order left out)."""
    return digest_of(dataclasses.replace(step, order=0))[:16]


def analysis_digest(analysis: Analysis, proposal: Plan) -> str:
    """The digest of everything the engine concluded for a visit: its analysis and the plan it proposes."""
    return digest_of({"analysis": dataclasses.asdict(analysis), "plan": dataclasses.asdict(proposal)})


def basis_of(analysis: Analysis, proposal: Plan) -> Basis:
    def pairs(items: Iterable[Any]) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys((item.muscle, item.side) for item in items if not item.blocked_by))

    return Basis(
        engine_version=analysis.engine_version,
        catalog_version=analysis.catalog_version,
        red_flags=tuple(dict.fromkeys((flag.rule, flag.side or "") for flag in analysis.red_flags)),
        sources=pairs(analysis.suspected_sources),
        drivers=pairs(analysis.remote_drivers),
        stressors=tuple((item.id, item.kind) for item in analysis.stressors_to_address),
        screens_needed=tuple((item.rule, item.side or "") for item in analysis.screens_needed),
        notes=tuple((note.kind, digest_of(note.text)[:16]) for note in analysis.notes),
        steps=tuple((step_ref(step), step_digest(step)) for step in proposal.steps),
    )


def _moved(before: Sequence[StepRef], after: Sequence[StepRef]) -> tuple[StepMove, ...]:
    """Among the steps in both lists, those outside the longest run that kept its order (one longest increasing
    subsequence of their later positions, earliest first on ties)."""
    common = [ref for ref in before if ref in after]
    positions = [after.index(ref) for ref in common]
    runs: list[list[int]] = []
    for index, position in enumerate(positions):
        longest: list[int] = []
        for run in runs:
            if positions[run[-1]] < position and len(run) > len(longest):
                longest = run
        runs.append([*longest, index])
    keep: set[int] = set()
    for run in runs:
        if len(run) > len(keep):
            keep = set(run)
    return tuple(
        StepMove(ref, before.index(ref) + 1, after.index(ref) + 1)
        for index, ref in enumerate(common)
        if index not in keep
    )


def diff_steps(before: Sequence[tuple[StepRef, str]], after: Sequence[tuple[StepRef, str]]) -> StepDiff:
    """What changed from one list of steps to another; a step's digest "" never counts as changed content."""
    before_refs, after_refs = [ref for ref, _ in before], [ref for ref, _ in after]
    before_digest, after_digest = dict(before), dict(after)
    return StepDiff(
        added=tuple(ref for ref in after_refs if ref not in before_digest),
        removed=tuple(ref for ref in before_refs if ref not in after_digest),
        moved=_moved(before_refs, after_refs),
        changed=tuple(
            ref
            for ref in after_refs
            if ref in before_digest
            and before_digest[ref]
            and after_digest[ref]
            and before_digest[ref] != after_digest[ref]
        ),
    )


def step_label(ref: StepRef, catalog: Catalog, stressor_label: Callable[[str], str] = lambda s: "stressor") -> str:
    """A step in the practitioner's words: "Treat trigger point: Soleus (left)", "Address stressor: Footwear"."""
    kind = "Practitioner's step" if ref.custom else STEP_WORDS.get(ref.kind, ref.kind.replace("_", " "))
    if ref.muscle:
        side = f" ({ref.side})" if ref.side else ""
        return f"{kind}: {catalog.muscle_name(ref.muscle)}{side}"
    if ref.stressor:
        return f"{kind}: {stressor_label(ref.stressor)}"
    return kind


def _added_removed(
    before: Sequence[Any], now: Sequence[Any], label: Callable[[Any], str], added: str, removed: str
) -> list[str]:
    lines = [f"{added}: {label(item)}" for item in now if item not in before]
    lines += [f"{removed}: {label(item)}" for item in before if item not in now]
    return lines


def review(
    before: Basis,
    now: Basis,
    catalog: Catalog,
    *,
    digest_before: str,
    digest_now: str,
    stressor_label: Callable[[str], str] = lambda s: "stressor",
) -> Review:
    """Compare the basis a plan was built on with the current one.  A plan that kept no digest (built before
    engine 1.2.0: ``before`` then holds only its versions) is out of date when the engine or catalog version differs."""
    versions = []
    if before.engine_version != now.engine_version:
        versions.append(f"Reasoning engine {before.engine_version} -> {now.engine_version}")
    if before.catalog_version != now.catalog_version:
        versions.append(f"Clinical catalog {before.catalog_version} -> {now.catalog_version}")
    if not digest_before:
        if not versions:
            return Review(stale=False)
        note = "The plan was built before plans kept what they were built on: rebuild it to compare."
        return Review(stale=True, changes=(*versions, note))
    if digest_before == digest_now:
        return Review(stale=False)
    lines = list(versions)

    def muscle(pair: tuple[str, str]) -> str:
        return f"{catalog.muscle_name(pair[0])} ({pair[1]})"

    def rule(pair: tuple[str, str]) -> str:
        found = catalog.safety_rules.get(pair[0])
        condition = f" ({found.condition})" if found is not None else ""
        return f"{pair[0]}{condition}" + (f", {pair[1]}" if pair[1] else "")

    def stressor(pair: tuple[str, str]) -> str:
        kind = catalog.stressor_kinds.get(pair[1])
        return kind.label if kind is not None else pair[1].replace("_", " ")

    lines += _added_removed(
        before.red_flags, now.red_flags, rule, "Red flag now positive", "Red flag no longer positive"
    )
    lines += _added_removed(
        before.screens_needed, now.screens_needed, rule, "Screen now needed", "Screen no longer needed"
    )
    lines += _added_removed(before.drivers, now.drivers, muscle, "New remote driver", "No longer a remote driver")
    lines += _added_removed(before.sources, now.sources, muscle, "New suspected source", "No longer a suspected source")
    lines += _added_removed(before.stressors, now.stressors, stressor, "New stressor to address", "Stressor resolved")
    before_notes, now_notes = dict(before.notes), dict(now.notes)
    for kind, text in now_notes.items():
        words = NOTE_WORDS.get(kind, kind.replace("_", " "))
        if kind not in before_notes:
            lines.append(f"New note on {words}")
        elif before_notes[kind] != text:
            lines.append(f"The note on {words} changed")
    lines += [
        f"No note on {NOTE_WORDS.get(kind, kind.replace('_', ' '))} any more"
        for kind in before_notes
        if kind not in now_notes
    ]
    steps = diff_steps(before.steps, now.steps)
    if not lines and steps.empty:
        lines.append("The engine's reasons changed (evidence or wording); it proposes the same steps.")
    return Review(stale=True, changes=tuple(lines), steps=steps)


def basis_to_plain(basis: Basis) -> dict[str, Any]:
    """A Basis as JSON-ready values (to keep with the plan)."""
    plain = dataclasses.asdict(basis)
    plain["steps"] = [[dataclasses.asdict(ref), digest] for ref, digest in basis.steps]
    return plain


def basis_from_plain(plain: Mapping[str, Any] | None) -> Basis | None:
    """The Basis kept with a plan, or None for a plan that kept none (built before engine 1.2.0)."""
    if not plain:
        return None

    def pairs(name: str) -> tuple[tuple[str, str], ...]:
        return tuple((str(a), str(b)) for a, b in plain.get(name, ()))

    return Basis(
        engine_version=str(plain.get("engine_version", "")),
        catalog_version=str(plain.get("catalog_version", "")),
        red_flags=pairs("red_flags"),
        sources=pairs("sources"),
        drivers=pairs("drivers"),
        stressors=pairs("stressors"),
        screens_needed=pairs("screens_needed"),
        notes=pairs("notes"),
        steps=tuple((StepRef(**ref), str(digest)) for ref, digest in plain.get("steps", ())),
    )
