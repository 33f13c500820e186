"""What the structured history says to the reasoning (issue 23): pure helpers for the HX rules.

The rules and their numbers are the catalog's (``catalog/history/history.yaml``, principles HX-01..HX-07); this
module reads them through ``Catalog.param`` so an older catalog without them changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .catalog import Catalog
from .types import History, Injury, PainSite, PriorTreatment, Stressor

ACUTE_DAYS = 42
CHRONIC_DAYS = 84
HISTORY_INJURY_ID = "history-onset"
"""The id of the acute injury HX-01 derives from the history (a specific injury at the main complaint site)."""


def onset_days(history: History | None, on: dt.date) -> int | None:
    if history is None or history.onset is None or history.onset > on:
        return None
    return (on - history.onset).days


def acuity(history: History | None, on: dt.date, catalog: Catalog) -> str:
    """HX-01: "acute" within the acute window (CS-01's 42 days), "subacute" within 84 days, "chronic" after; "" when
    the onset is not charted."""
    days = onset_days(history, on)
    if days is None:
        return ""
    if days <= int(catalog.param("HX-01", "acute_days", ACUTE_DAYS)):
        return "acute"
    if days <= int(catalog.param("HX-01", "chronic_days", CHRONIC_DAYS)):
        return "subacute"
    return "chronic"


def onset_injury(history: History | None, main_pain: PainSite | None, on: dt.date, catalog: Catalog) -> Injury | None:
    """HX-01: a complaint that began with a specific injury within the acute window is an acute injury at the main
    painful site, so the acute-injury rules (CS-01, CS-02, TO-02) apply there."""
    if history is None or history.mechanism != "specific_injury" or main_pain is None:
        return None
    if acuity(history, on, catalog) != "acute":
        return None
    return Injury(
        id=HISTORY_INJURY_ID,
        zone=main_pain.zone,
        side=main_pain.side,
        occurred_on=history.onset,
        description="the injury that began today's complaint (history, HX-01)",
        painful_now=True,
    )


def warning_patterns(history: History | None, catalog: Catalog) -> tuple[str, ...]:
    """HX-02: the charted 24-hour patterns that ask for a screen (night pain, constant pain)."""
    if history is None:
        return ()
    wanted = set(catalog.param("HX-02", "patterns", ()))
    return tuple(p for p in history.patterns if p in wanted)


def screen_for_node(node: str | None, catalog: Catalog) -> str:
    """HX-02: the screen for serious causes in the painful region (its chain node), or the fallback."""
    screens = dict(catalog.param("HX-02", "screens", {}))
    return str(screens.get(node or "", catalog.param("HX-02", "fallback_screen", "")))


def supported_stressors(
    history: History | None, treatments: Iterable[PriorTreatment], pain_zones: Iterable[str], catalog: Catalog
) -> dict[str, tuple[str, str]]:
    """HX-03, HX-04, HX-07: stressor kind -> (rule id, what in the history supports it)."""
    found: dict[str, tuple[str, str]] = {}
    if history is not None:
        sitting = [a for a in history.aggravating if a in set(catalog.param("HX-03", "activities", ()))]
        kind = str(catalog.param("HX-03", "stressor", ""))
        if sitting and kind:
            words = ", ".join(catalog.history.label("activities", a).lower() for a in sitting)
            found[kind] = ("HX-03", f"the history says it is worse with {words}")
        mornings = [p for p in history.patterns if p in set(catalog.param("HX-04", "patterns", ()))]
        kind = str(catalog.param("HX-04", "stressor", ""))
        if mornings and kind:
            words = ", ".join(catalog.history.label("patterns", p).lower() for p in mornings)
            found[kind] = ("HX-04", f"the history says: {words}")
    rolling = hard_self_treatment(treatments, pain_zones, catalog)
    kind = str(catalog.param("HX-07", "stressor", ""))
    if rolling is not None and kind:
        found[kind] = ("HX-07", describe_treatment(rolling, catalog))
    return found


def hard_self_treatment(
    treatments: Iterable[PriorTreatment], pain_zones: Iterable[str], catalog: Catalog
) -> PriorTreatment | None:
    """HX-07: a current rolling, ball or stick treatment, daily or more, hard, on a painful zone (or with no zone
    charted: the painful spot is what patients roll)."""
    kinds = set(catalog.param("HX-07", "treatments", ()))
    often = set(catalog.param("HX-07", "frequencies", ()))
    hard = set(catalog.param("HX-07", "intensities", ()))
    zones = set(pain_zones)
    for treatment in treatments:
        if not treatment.current or treatment.kind not in kinds:
            continue
        if (
            treatment.frequency in often
            and treatment.intensity in hard
            and (not treatment.zone or treatment.zone in zones)
        ):
            return treatment
    return None


def describe_treatment(treatment: PriorTreatment, catalog: Catalog) -> str:
    vocabulary = catalog.history
    parts = [vocabulary.label("treatments", treatment.kind).lower()]
    if treatment.zone:
        parts.append(f"on the {catalog.zone_label(treatment.zone).lower()}")
    if treatment.frequency:
        parts.append(vocabulary.label("frequencies", treatment.frequency).lower())
    if treatment.intensity:
        parts.append(vocabulary.label("intensities", treatment.intensity).lower())
    return ", ".join(parts)


def change_before_onset(history: History | None, stressor: Stressor, catalog: Catalog) -> str:
    """HX-05: why a change stressor (new shoes, foot products, load) is supported by the history, or ""."""
    if history is None or stressor.kind not in set(catalog.param("HX-05", "stressors", ())):
        return ""
    if history.change_stressor and history.change_stressor == stressor.id:
        return "the history says the complaint came after this change"
    if history.onset is None or stressor.onset is None:
        return ""
    weeks = int(catalog.param("HX-05", "weeks_before", 12))
    lead = (history.onset - stressor.onset).days
    if 0 <= lead <= weeks * 7:
        when = f"{lead} days" if lead < 14 else f"{lead // 7} weeks"
        return f"it began {when} before the complaint ({stressor.onset.isoformat()})"
    return ""
