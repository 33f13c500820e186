"""Portable export and import of one clinic as a JSON document (works on SQLite and PostgreSQL alike).

The document holds every row of one clinic in dependency order, each row as its canonical JSON (field name -> value;
foreign keys as the target's id, users as their username; datetimes in UTC ISO 8601), the clinical catalog release it
was charted against, per-table counts and SHA-256 digests, and one checksum over them. The same row generator feeds
the export and `clinic_digest()`, so a database and a file can be compared by counts and checksums.

Import restores the rows as they were (ids, versions, created/updated times, signed status): it writes rows directly
in dependency order instead of going through the services, which rightly refuse writes to signed visits. It checks the
file's digests before writing anything and the database's digests after, in one transaction: any mismatch rolls back.
A file written before a field was added (ADDED_FIELDS) imports with that field's value for older rows, as the migration
that added it gave them; the check after writing then expects the rows with it.

Full-database backups are PostgreSQL's job (pg_dump/pg_restore, see README "Backup and restore"); this format moves one
clinic between servers or database kinds and is readable without this application.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from assessments.models import (
    Addendum,
    DocumentIssue,
    Finding,
    MuscleTest,
    Outcome,
    PainSite,
    Screening,
    TreatmentPlan,
    Visit,
)
from catalog.store import current_release_version
from clinic.models import Clinic, Membership
from patients.models import Injury, Patient, Stressor

FORMAT = "clinic-export"
FORMAT_VERSION = 1
CHUNK = 1000
USER_FIELDS = ("username", "first_name", "last_name", "email")
USER_SECRET_FIELDS = ("password", "is_active")

# Dependency order: every table only points at tables before it.
MODEL_TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("clinic", Clinic),
    ("memberships", Membership),
    ("patients", Patient),
    ("stressors", Stressor),
    ("injuries", Injury),
    ("visits", Visit),
    ("pain_sites", PainSite),
    ("findings", Finding),
    ("muscle_tests", MuscleTest),
    ("outcomes", Outcome),
    ("screenings", Screening),
    ("addenda", Addendum),
    ("treatment_plans", TreatmentPlan),
    ("document_issues", DocumentIssue),
)
TABLE_NAMES = ("clinic", "users", *(name for name, _ in MODEL_TABLES[1:]))
# Fields added to a table since the format was first written, with the value rows of older files stand for.
ADDED_FIELDS: dict[str, dict[str, Any]] = {
    "screenings": {"side": ""},  # assessments 0006: the side a red-flag screen concerns ("": not one side)
    # assessments 0011: what a plan was built on and what its last rebuild changed (none: stale only when the engine
    # or catalog version differs, engine.review)
    "treatment_plans": {"analysis_digest": "", "analysis_basis": {}, "last_rebuild": None},
    "clinic": {"time_zone": "UTC"},  # clinic 0005: the clinic's time zone (until then every clinic's was UTC)
}


class BackupError(Exception):
    """The export or import cannot be done as asked; nothing was written."""


@dataclass
class Digest:
    """Per-table row counts and SHA-256 digests of the canonical rows, and one checksum over them."""

    counts: dict[str, int] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)

    @property
    def checksum(self) -> str:
        overall = hashlib.sha256()
        for name in TABLE_NAMES:
            overall.update(f"{name}:{self.counts.get(name, 0)}:{self.tables.get(name, '')}\n".encode())
        return overall.hexdigest()


class _TableHasher:
    def __init__(self) -> None:
        self.count = 0
        self._sha = hashlib.sha256()

    def add(self, line: bytes) -> None:
        self.count += 1
        self._sha.update(line)
        self._sha.update(b"\n")

    @property
    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def canonical(row: dict[str, Any]) -> bytes:
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


# --- rows out -----------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)  # UUID, Decimal


def _is_user_fk(model_field: models.Field[Any, Any]) -> bool:
    return model_field.is_relation and model_field.related_model is get_user_model()


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _scoped(model: type[models.Model], clinic_id: Any) -> models.QuerySet[Any]:
    if model is Clinic:
        return Clinic.objects.filter(pk=clinic_id)
    return model._base_manager.filter(clinic_id=clinic_id)


def _user_ids(clinic_id: Any) -> set[int]:
    ids: set[int] = set()
    for _, model in MODEL_TABLES:
        for model_field in _fields(model):
            if _is_user_fk(model_field):
                ids.update(
                    _scoped(model, clinic_id)
                    .exclude(**{f"{model_field.attname}__isnull": True})
                    .values_list(model_field.attname, flat=True)
                    .distinct()
                )
    return ids


def _user_rows(clinic_id: Any, *, with_secrets: bool) -> tuple[list[dict[str, Any]], dict[int, str]]:
    names = (*USER_FIELDS, *USER_SECRET_FIELDS) if with_secrets else USER_FIELDS
    users = get_user_model()._default_manager.filter(pk__in=_user_ids(clinic_id)).values("pk", *names)
    rows = sorted(({name: _plain(user[name]) for name in names} for user in users), key=lambda r: r["username"])
    return rows, {user["pk"]: user["username"] for user in users}


def _model_rows(model: type[models.Model], clinic_id: Any, usernames: dict[int, str]) -> Iterator[dict[str, Any]]:
    columns = [(f.name, _is_user_fk(f)) for f in _fields(model)]
    for values in (
        _scoped(model, clinic_id)
        .order_by("pk")
        .values_list(*(f.attname for f in _fields(model)))
        .iterator(chunk_size=CHUNK)
    ):
        yield {
            name: _plain(usernames[value] if is_user and value is not None else value)
            for (name, is_user), value in zip(columns, values, strict=True)
        }


def clinic_table_rows(clinic_id: Any, *, with_secrets: bool = False) -> Iterator[tuple[str, Iterable[dict[str, Any]]]]:
    """(table name, its canonical rows) for one clinic, in dependency order, streamed from the database."""
    users, usernames = _user_rows(clinic_id, with_secrets=with_secrets)
    for name, model in MODEL_TABLES:
        yield name, _model_rows(model, clinic_id, usernames)
        if model is Clinic:
            yield "users", users


def clinic_digest(clinic_id: Any, *, with_secrets: bool = False) -> Digest:
    """Counts and digests of one clinic as the database holds it now (the same function the export uses)."""
    digest = Digest()
    for name, rows in clinic_table_rows(clinic_id, with_secrets=with_secrets):
        hasher = _TableHasher()
        for row in rows:
            hasher.add(canonical(row))
        digest.counts[name], digest.tables[name] = hasher.count, hasher.hexdigest
    return digest


def find_clinic(reference: str) -> Clinic:
    """A clinic by id or by exact name."""
    import uuid

    try:
        return Clinic.objects.get(pk=uuid.UUID(reference))
    except (ValueError, Clinic.DoesNotExist):
        pass
    try:
        return Clinic.objects.get(name=reference)
    except Clinic.DoesNotExist:
        raise BackupError(f"No clinic with id or name {reference!r}.") from None


def export_clinic(clinic: Clinic, out: IO[bytes], *, with_secrets: bool = False) -> Digest:
    """Write one clinic as the export document to `out`, streaming row by row; returns its digest."""
    start_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():  # one snapshot of every table (SQLite: one read transaction)
        if start_snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": timezone.now().astimezone(datetime.UTC).isoformat(),
            "clinic_id": str(clinic.pk),
            "clinic_name": clinic.name,
            "catalog_release": current_release_version(),
            "includes_password_hashes": with_secrets,
        }
        out.write(canonical(header)[:-1] + b',\n"tables":{\n')
        digest = Digest()
        for index, (name, rows) in enumerate(clinic_table_rows(clinic.pk, with_secrets=with_secrets)):
            out.write((b",\n" if index else b"") + json.dumps(name).encode() + b":[")
            hasher = _TableHasher()
            for row in rows:
                line = canonical(row)
                out.write((b",\n" if hasher.count else b"\n") + line)
                hasher.add(line)
            out.write(b"\n]")
            digest.counts[name], digest.tables[name] = hasher.count, hasher.hexdigest
    trailer = {"counts": digest.counts, "sha256": digest.tables, "checksum": digest.checksum}
    out.write(b"\n},\n" + canonical(trailer)[1:] + b"\n")
    return digest


def export_to_file(clinic: Clinic, path: Path, *, with_secrets: bool = False) -> Digest:
    """Export into `path` (readable by its owner only), written whole or not at all."""
    path = path.resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as out:
            digest = export_clinic(clinic, out, with_secrets=with_secrets)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


# --- rows in ------------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    clinic: Clinic
    digest: Digest
    users_created: list[str]
    users_reused: list[str]
    catalog_release: str
    catalog_release_here: str


def read_document(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as source:
            document = json.load(source)
    except (OSError, ValueError) as exc:
        raise BackupError(f"Cannot read {path}: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a clinic export.")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Unsupported export format version {document.get('format_version')!r}.")
    return document


def document_digest(document: dict[str, Any]) -> Digest:
    """Digest of the rows as they are in the document (to compare with the digest it declares)."""
    tables = document.get("tables")
    if not isinstance(tables, dict) or set(tables) != set(TABLE_NAMES):
        raise BackupError(f"The export must hold exactly the tables {', '.join(TABLE_NAMES)}.")
    digest = Digest()
    for name in TABLE_NAMES:
        rows = tables[name]
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise BackupError(f"Table {name} must be a list of rows.")
        hasher = _TableHasher()
        for row in rows:
            hasher.add(canonical(row))
        digest.counts[name], digest.tables[name] = hasher.count, hasher.hexdigest
    return digest


def _verify(expected: Digest, found: Digest, *, what: str, skip: Iterable[str] = ()) -> None:
    problems = [
        f"{name}: {found.counts.get(name)} rows, digest {found.tables.get(name, '')[:12]} "
        f"(expected {expected.counts.get(name)} rows, digest {expected.tables.get(name, '')[:12]})"
        for name in TABLE_NAMES
        if name not in skip
        and (found.counts.get(name) != expected.counts.get(name) or found.tables.get(name) != expected.tables.get(name))
    ]
    if problems:
        raise BackupError(f"Checksum mismatch ({what}): " + "; ".join(problems))


def _declared_digest(document: dict[str, Any]) -> Digest:
    counts, tables = document.get("counts"), document.get("sha256")
    if not isinstance(counts, dict) or not isinstance(tables, dict) or not isinstance(document.get("checksum"), str):
        raise BackupError("The export has no counts, digests or checksum (incomplete file?).")
    declared = Digest(counts=dict(counts), tables=dict(tables))
    if declared.checksum != document["checksum"]:
        raise BackupError("Checksum mismatch: the declared digests do not match the file's checksum.")
    return declared


def _with_added_fields(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The tables with the fields of ADDED_FIELDS filled in where an older file's rows lack them (the same object
    when none lacks any)."""
    older = {name for name, added in ADDED_FIELDS.items() if any(added.keys() - row.keys() for row in tables[name])}
    if not older:
        return tables
    return {name: [{**ADDED_FIELDS[name], **row} for row in rows] if name in older else rows
            for name, rows in tables.items()}  # fmt: skip


def field_parser(model_field: models.Field[Any, Any], user_ids: dict[str, int]) -> Any:
    """The function turning an exported value of this field back into what the model holds."""
    if _is_user_fk(model_field):
        return user_ids.__getitem__
    if model_field.is_relation:
        return model_field.target_field.to_python  # type: ignore[attr-defined]
    if isinstance(model_field, models.BinaryField):
        return base64.b64decode
    return model_field.to_python


def _restore_users(rows: list[dict[str, Any]], *, with_secrets: bool) -> tuple[dict[str, int], list[str], list[str]]:
    user_model = get_user_model()
    ids: dict[str, int] = {}
    created, reused = [], []
    for row in rows:
        existing = user_model._default_manager.filter(username=row["username"]).first()
        if existing is not None:
            ids[row["username"]] = existing.pk
            reused.append(row["username"])
            continue
        user = user_model(**{name: row[name] for name in USER_FIELDS})
        if with_secrets:
            user.password = row["password"]
            user.is_active = bool(row["is_active"])
        else:
            user.set_unusable_password()  # signs in only after a password reset by an administrator
            user.is_active = False
        user.save()
        ids[row["username"]] = user.pk
        created.append(row["username"])
    return ids, created, reused


def _restore_table(model: type[models.Model], rows: list[dict[str, Any]], user_ids: dict[str, int]) -> None:
    fields = _fields(model)
    names = {f.name for f in fields}
    parsers = [(f.name, f.attname, field_parser(f, user_ids)) for f in fields]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for offset in range(0, len(rows), CHUNK):
        batch = rows[offset : offset + CHUNK]
        objects = []
        for row in batch:
            if row.keys() != names:
                raise BackupError(f"A {model._meta.verbose_name} row has unexpected or missing fields.")
            objects.append(
                model(**{attname: None if row[name] is None else parse(row[name]) for name, attname, parse in parsers})
            )
        stamps = [[f.get_db_prep_value(getattr(obj, f.attname), connection) for f in stamped] for obj in objects]
        model._base_manager.bulk_create(objects)
        if stamped:
            _put_back_stamps(model, stamped, stamps, [obj.pk for obj in objects])


def _put_back_stamps(
    model: type[models.Model], stamped: list[models.Field[Any, Any]], stamps: list[list[Any]], pks: list[Any]
) -> None:
    """bulk_create sets auto_now(_add) fields to the current time: write the recorded times back, in one statement."""
    quote = connection.ops.quote_name
    pk_field = model._meta.pk
    assert pk_field is not None
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in stamped)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk_field.column)} = %s"  # noqa: S608
    params = [[*values, pk_field.get_db_prep_value(pk, connection)] for values, pk in zip(stamps, pks, strict=True)]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def import_document(document: dict[str, Any], *, into_new_db: bool = False) -> ImportResult:
    """Restore one clinic from an export document, all or nothing; verified against its checksum before and after."""
    declared = _declared_digest(document)
    _verify(declared, document_digest(document), what="the file was changed or damaged")
    tables: dict[str, list[dict[str, Any]]] = _with_added_fields(document["tables"])
    expected = declared if tables is document["tables"] else document_digest({"tables": tables})
    if len(tables["clinic"]) != 1:
        raise BackupError("The export must hold exactly one clinic.")
    clinic_row = tables["clinic"][0]
    with_secrets = bool(document.get("includes_password_hashes"))
    with transaction.atomic():
        if into_new_db and Clinic.objects.exists():
            raise BackupError("--into-new-db: this database already holds clinics.")
        if Clinic.objects.filter(pk=clinic_row["id"]).exists():
            raise BackupError(f"Clinic {clinic_row['id']} already exists in this database; nothing was imported.")
        if Clinic.objects.filter(name=clinic_row["name"]).exists():
            raise BackupError(f"A clinic named {clinic_row['name']!r} already exists; nothing was imported.")
        user_ids, created, reused = _restore_users(tables["users"], with_secrets=with_secrets)
        try:
            for name, model in MODEL_TABLES:
                _restore_table(model, tables[name], user_ids)
        except (IntegrityError, KeyError, ValueError, TypeError) as exc:
            raise BackupError(f"Cannot restore the rows: {exc}") from exc
        clinic = Clinic.objects.get(pk=clinic_row["id"])
        found = clinic_digest(clinic.pk, with_secrets=with_secrets)
        _verify(expected, found, what="the database after import", skip=("users",) if reused else ())
        if reused and set(found_usernames(clinic.pk)) != {row["username"] for row in tables["users"]}:
            raise BackupError("Checksum mismatch (the database after import): users differ.")
    return ImportResult(
        clinic=clinic,
        digest=found,
        users_created=created,
        users_reused=reused,
        catalog_release=str(document.get("catalog_release", "")),
        catalog_release_here=current_release_version(),
    )


def found_usernames(clinic_id: Any) -> list[str]:
    rows, _ = _user_rows(clinic_id, with_secrets=False)
    return [row["username"] for row in rows]
