"""Reads of the clinical catalog (any signed-in user) in the shapes the API and pages use: plain data from the current
release, built once per release (catalog.store)."""

from typing import Any

from django.http import Http404

from catalog.store import current_derived, current_document

MUSCLE_FIELDS = (
    "slug", "name", "plain_name", "region", "synonyms", "trp_locations", "referral_zones", "referral_text",
    "symptoms_explained", "self_treatment", "self_treatment_notes", "practitioner_only", "ak_association", "ids",
    "sources", "confidence",
)  # fmt: skip


def catalog_version() -> str:
    return str(current_document()["meta"]["version"])


def muscle_list(*, search: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
    """Muscles in catalog order; `search` matches name, plain name, slug and synonyms (for type-ahead)."""
    muscles = current_derived("muscle_rows", lambda doc: [{k: m.get(k) for k in MUSCLE_FIELDS} for m in doc["muscles"]])
    if region:
        muscles = [m for m in muscles if m["region"] == region]
    terms = (search or "").lower().split()
    if terms:
        muscles = [m for m in muscles if all(t in _haystack(m) for t in terms)]
    return list(muscles)


def _haystack(muscle: dict[str, Any]) -> str:
    return " ".join(
        [muscle["slug"], muscle["name"], muscle.get("plain_name") or "", *(muscle.get("synonyms") or [])]
    ).lower()


def muscle_get(*, slug: str) -> dict[str, Any]:
    for muscle in muscle_list():
        if muscle["slug"] == slug:
            return muscle
    raise Http404("Not found.")


def zone_list() -> list[dict[str, Any]]:
    return list(current_document()["zones"])


def stressor_kind_list() -> list[dict[str, Any]]:
    """Every stressor kind with its category (the `kind` values stressors accept)."""

    def build(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "kind": s["id"], "label": s.get("label", ""), "category": c["id"], "category_label": c.get("label", ""),
                "examples": s.get("examples", []), "seed_claim": s.get("seed_claim", ""),
                "patient_action": s.get("patient_action", ""), "sources": s.get("sources", []),
            }
            for c in doc["stressors"]["categories"]
            for s in c["subtypes"]
        ]  # fmt: skip

    return list(current_derived("stressor_kinds_api", build))


def pattern_list(*, kind: str | None = None) -> list[dict[str, Any]]:
    """Kinetic-chain links and symptom rules, each with its sources."""

    def build(doc: dict[str, Any]) -> list[dict[str, Any]]:
        rules = [
            {"id": r["id"], "name": r.get("name", r["id"]), "kind": "symptom_rule", "sources": r.get("sources", []),
             "complaint_zones": r.get("complaint_zones", []), "candidates": r.get("candidates", []),
             "stressors_to_check": r.get("stressors_to_check", []), "red_flags": r.get("red_flags", []),
             "note": r.get("note", "")}
            for r in doc["symptom_rules"]["rules"]
        ]  # fmt: skip
        links = [
            {"id": link["id"], "name": link.get("name", link["id"]), "kind": "kinetic_chain",
             "sources": link.get("sources", []), "from": link.get("from", []), "to": link.get("to", []),
             "type": link.get("type", ""), "side_relation": link.get("side_relation", ""),
             "examine_muscles": link.get("examine_muscles"), "claim": link.get("claim", ""),
             "evidence": link.get("evidence", "")}
            for link in doc["kinetic_chain"]["links"]
        ]  # fmt: skip
        return rules + links

    patterns = current_derived("patterns_api", build)
    return [p for p in patterns if kind is None or p["kind"] == kind]


def safety_rule_list() -> list[dict[str, Any]]:
    safety = current_document()["safety_rules"]
    return [rule for name in sorted(safety) for rule in safety[name]]


def outcome_measure_list() -> list[dict[str, Any]]:
    return list(current_document()["outcome_measures"])


def protocol_list() -> dict[str, Any]:
    return dict(current_document()["protocols"])
