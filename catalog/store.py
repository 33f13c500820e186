"""The catalog between its shipped files, the database rows and its readers.

- `read_files()` reads the shipped JSON files (catalog/data/), keyed by file stem.
- `split()` turns that document into rows (section, slug, position, name, group, data); `join()` is its exact inverse.
- `sync()` writes rows idempotently and records a release; migrations and `manage.py load_catalog` call it.
- `current_document()` is the document joined from the rows, cached per process and rebuilt when the release changes
  (one indexed query per call to check the version); `current_derived()` keeps what a reader builds from it (the
  vocabularies, the engine's Catalog) for as long as the release lasts.
"""

import json
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from catalog.models import CatalogEntry, CatalogRelease

CATALOG_DIR = Path(__file__).resolve().parent / "data"
FILES = (
    "meta", "sources", "zones", "muscles", "stressors", "kinetic_chain", "symptom_rules",
    "treatment_order_rules", "safety_rules", "protocols", "outcome_measures",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    section: str
    slug: str
    position: int
    name: str
    group: str
    data: Any


def read_files(directory: Path = CATALOG_DIR) -> dict[str, Any]:
    return {stem: json.loads((directory / f"{stem}.json").read_text(encoding="utf-8")) for stem in FILES}


def _list(section: str, items: Iterable[dict[str, Any]], key: str, name: str, group: str = "") -> Iterator[Row]:
    for position, item in enumerate(items):
        yield Row(section, item[key], position, str(item.get(name) or item[key])[:300], str(item.get(group, "")), item)


def split(doc: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [Row("meta", "meta", 0, doc["meta"].get("title", "")[:300], "", doc["meta"])]
    rows += [Row("source", k, i, str(v.get("title") or v.get("cite") or k)[:300], "", v) for i, (k, v) in
             enumerate(doc["sources"].items())]  # fmt: skip
    rows += _list("zone", doc["zones"], "slug", "label", "group")
    rows += _list("muscle", doc["muscles"], "slug", "name", "region")
    stressors = doc["stressors"]
    rows.append(Row("stressor_category", "_note", 0, "note", "", {"note": stressors.get("note", "")}))
    for c_pos, category in enumerate(stressors["categories"]):
        header = {k: v for k, v in category.items() if k != "subtypes"}
        rows.append(Row("stressor_category", category["id"], c_pos + 1, category.get("label", "")[:300], "", header))
        for s_pos, subtype in enumerate(category["subtypes"]):
            name = subtype.get("label") or subtype["id"]
            rows.append(Row("stressor_kind", subtype["id"], c_pos * 1000 + s_pos, name[:300], category["id"], subtype))
    chain = doc["kinetic_chain"]
    rows.append(Row("chain", "kinetic_chain", 0, "Kinetic chain", "", {k: v for k, v in chain.items() if k != "links"}))
    rows += _list("chain_link", chain["links"], "id", "name", "type")
    rows += _list("universal_rule", doc["symptom_rules"]["universal"], "id", "text")
    rows += _list("symptom_rule", doc["symptom_rules"]["rules"], "id", "name")
    rows += _list("treatment_order_rule", doc["treatment_order_rules"], "id", "name")
    safety = doc["safety_rules"]
    offset = 0
    for list_name in sorted(safety):
        rows += [
            Row("safety_rule", r.slug, r.position + offset, r.name, list_name, r.data)
            for r in _list("safety_rule", safety[list_name], "id", "condition")
        ]
        offset += 1000
    rows += _list("protocol", doc["protocols"]["protocols"], "id", "name")
    rows.append(Row("protocol_conflicts", "conflicts", 0, "Conflicts", "", doc["protocols"]["conflicts"]))
    rows += _list("outcome_measure", doc["outcome_measures"], "id", "name")
    return rows


def join(rows: Iterable[Row]) -> dict[str, Any]:
    by: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (r.section, r.position, r.slug)):
        by.setdefault(row.section, []).append(row)
    categories = []
    note = ""
    for row in by.get("stressor_category", []):
        if row.slug == "_note":
            note = row.data.get("note", "")
            continue
        subtypes = [r.data for r in by.get("stressor_kind", []) if r.group == row.slug]
        categories.append({**row.data, "subtypes": subtypes})
    safety: dict[str, list[Any]] = {}
    for row in by.get("safety_rule", []):
        safety.setdefault(row.group, []).append(row.data)
    chain = by["chain"][0].data if by.get("chain") else {}
    stressors: dict[str, Any] = {"categories": categories}
    if note:
        stressors["note"] = note
    return {
        "meta": by["meta"][0].data,
        "sources": {r.slug: r.data for r in by.get("source", [])},
        "zones": [r.data for r in by.get("zone", [])],
        "muscles": [r.data for r in by.get("muscle", [])],
        "stressors": stressors,
        "kinetic_chain": {**chain, "links": [r.data for r in by.get("chain_link", [])]},
        "symptom_rules": {
            "universal": [r.data for r in by.get("universal_rule", [])],
            "rules": [r.data for r in by.get("symptom_rule", [])],
        },
        "treatment_order_rules": [r.data for r in by.get("treatment_order_rule", [])],
        "safety_rules": safety,
        "protocols": {
            "protocols": [r.data for r in by.get("protocol", [])],
            "conflicts": by["protocol_conflicts"][0].data if by.get("protocol_conflicts") else [],
        },
        "outcome_measures": [r.data for r in by.get("outcome_measure", [])],
    }


def sync(entry_model: Any, release_model: Any, doc: dict[str, Any], *, note: str = "") -> str:
    """Make the rows equal the document (insert, update, delete) and record its version. Idempotent.

    Takes the model classes so data migrations can pass their historical models.
    """
    rows = split(doc)
    wanted = {(r.section, r.slug): r for r in rows}
    existing = {(e.section, e.slug): e for e in entry_model.objects.all()}
    stale = [e.pk for key, e in existing.items() if key not in wanted]
    if stale:
        entry_model.objects.filter(pk__in=stale).delete()
    to_create, to_update = [], []
    for key, row in wanted.items():
        entry = existing.get(key)
        values = {"position": row.position, "name": row.name, "group": row.group, "data": row.data}
        if entry is None:
            to_create.append(entry_model(section=row.section, slug=row.slug, **values))
        elif any(getattr(entry, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(entry, field, value)
            to_update.append(entry)
    entry_model.objects.bulk_create(to_create, batch_size=500)
    entry_model.objects.bulk_update(to_update, ["position", "name", "group", "data"], batch_size=500)
    version = str(doc["meta"]["version"])
    release_model.objects.get_or_create(version=version, defaults={"note": note or "loaded from the shipped files"})
    return version


# --- the current catalog, cached per process ------------------------------------------------------------------


@dataclass
class _Cache:
    release: int
    document: dict[str, Any]
    checked_at: float = 0.0
    derived: dict[str, Any] | None = None


# How long a process trusts its cached catalog before asking the database for the current release again (setting
# CATALOG_RECHECK_SECONDS). Edits made in this process (admin, load_catalog) forget the cache at once through signals
# (catalog.apps).
RECHECK_SECONDS = 5.0


def recheck_seconds() -> float:
    return float(getattr(settings, "CATALOG_RECHECK_SECONDS", RECHECK_SECONDS))


_lock = threading.Lock()
_cache: _Cache | None = None


def rows_from_db() -> list[Row]:
    return [
        Row(e.section, e.slug, e.position, e.name, e.group, e.data)
        for e in CatalogEntry.objects.all().only("section", "slug", "position", "name", "group", "data")
    ]


def current_release_id() -> int:
    latest = CatalogRelease.objects.order_by("-id").values_list("id", flat=True).first()
    return int(latest or 0)


def current_release_version() -> str:
    return CatalogRelease.objects.order_by("-id").values_list("version", flat=True).first() or ""


def _current() -> _Cache:
    """The cache for the latest release: rechecked every few seconds with one small query, rebuilt when it changed."""
    global _cache
    cache = _cache
    now = time.monotonic()
    if cache is not None and now - cache.checked_at < recheck_seconds():
        return cache
    release = current_release_id()
    if cache is not None and cache.release == release:
        cache.checked_at = now
        return cache
    with _lock:
        cache = _Cache(release=release, document=join(rows_from_db()), checked_at=now)
        _cache = cache
    return cache


def current_release() -> int:
    """The id of the catalog release this process reasons with (what computed-read cache keys name)."""
    return _current().release


def current_document() -> dict[str, Any]:
    return _current().document


def current_derived(name: str, build: Any) -> Any:
    """A value derived from the current document (the zone vocabulary, the engine's Catalog), built once per release."""
    cache = _current()
    if cache.derived is None:
        cache.derived = {}
    if name not in cache.derived:
        cache.derived[name] = build(cache.document)
    return cache.derived[name]


def forget_cached_catalog() -> None:
    global _cache
    _cache = None
