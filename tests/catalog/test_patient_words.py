"""The catalog's patient-language layer (catalog/patient_words): complete, plain, and free of clinician text."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.store import read_files
from tests.plain_language import problems

DOC = read_files()
MUSCLES = DOC["muscles"]
PROPER_NAMES = [m["name"] for m in MUSCLES] + [m["patient"]["name"].rsplit("(", 1)[-1].rstrip(")") for m in MUSCLES]
CARE = DOC["meta"]["patient"]
KINDS = [s for c in DOC["stressors"]["categories"] for s in c["subtypes"]]
RULES = [r for rules in DOC["safety_rules"].values() for r in rules]


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [item for key, v in value.items() if key not in ("dose", "tools", "tier", "id") for item in
                _strings(v, f"{path}.{key}")]  # fmt: skip
    if isinstance(value, list):
        return [item for i, v in enumerate(value) for item in _strings(v, f"{path}[{i}]")]
    return []


def patient_strings() -> list[tuple[str, str]]:
    """Every catalog string a patient can read, with where it is."""
    found = _strings(CARE, "self_care")
    for m in MUSCLES:
        found += _strings(m["patient"], f"muscle {m['slug']}")
    for kind in KINDS:
        found += [(f"stressor {kind['id']}.label", kind["patient_label"]),
                  (f"stressor {kind['id']}.action", kind["patient_action"])]  # fmt: skip
    for rule in RULES:
        found += _strings(rule["patient"], f"safety {rule['id']}")
    found += [(f"zone {zone['slug']}", zone["patient_label"]) for zone in DOC["zones"]]
    return [(where, text) for where, text in found if text]


@pytest.mark.parametrize(("where", "text"), patient_strings(), ids=lambda v: str(v)[:60])
def test_every_patient_string_is_plain(where: str, text: str) -> None:
    assert problems(text, names=PROPER_NAMES) == [], f"{where}: {text}"


@pytest.mark.parametrize("muscle", MUSCLES, ids=lambda m: m["slug"])
def test_every_muscle_has_a_plain_name_with_its_proper_name_and_where_to_find_it(muscle: dict[str, Any]) -> None:
    words = muscle["patient"]
    assert words["where"], "where to find it, in lay terms"
    plain, _, proper = words["name"].rpartition(" (")
    assert plain and proper.endswith(")"), "plain words first, the proper name in brackets"
    assert muscle["plain_name"] == words["name"]
    assert len(words["spots"]) == len(muscle["trp_locations"]) and all(words["spots"]), "one spot per location (CS-08)"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k["id"])
def test_every_stressor_says_what_to_do(kind: dict[str, Any]) -> None:
    assert kind["patient_label"] and kind["patient_action"]


def test_every_rule_with_signs_for_patients_puts_each_in_a_tier() -> None:
    tiers = {t["id"] for t in CARE["tiers"]}
    signs = [s for r in RULES for s in r["patient"]["signs"]]
    assert {s["tier"] for s in signs} == tiers, "all three tiers are used"
    assert all(s["tier"] in tiers and s["text"] for s in signs)


@pytest.mark.parametrize("rule", [r for r in RULES if r["refers"]], ids=lambda r: r["id"])
def test_every_rule_that_refers_tells_the_patient_what_it_means(rule: dict[str, Any]) -> None:
    assert rule["patient"]["refer"], "a positive screen reaches the sheet: say what to do, in plain words"


@pytest.mark.parametrize(
    ("rule", "words"),
    [("SAFE-M-DVT", "breath"), ("SAFE-M-CES", "numb"), ("SAFE-M-HEADACHE", "sudden")],
)
def test_the_emergencies_the_issue_names_are_emergencies(rule: str, words: str) -> None:
    signs = next(r for r in RULES if r["id"] == rule)["patient"]["signs"]
    assert any(s["tier"] == "emergency" and words in s["text"].lower() for s in signs), signs


def test_clinician_criteria_never_reach_the_patient_words() -> None:
    text = " ".join(t for _, t in patient_strings()).lower()
    for criterion in ("age >=55", "5 ds", "3 ns", "diplopia", "dysarthria", "iv drug", "patellar", "wells"):
        assert criterion not in text


def test_every_tool_has_one_dose_from_a_protocol() -> None:
    protocols = {p["id"] for p in DOC["protocols"]["protocols"]}
    assert set(CARE["doses"]) == protocols
    for tool, entry in CARE["tools"].items():
        assert entry["dose"] in protocols, tool
        dose = CARE["doses"][entry["dose"]]
        assert dose["tools"] == "any" or tool in dose["tools"], f"{tool} borrows a dose written for other tools"
