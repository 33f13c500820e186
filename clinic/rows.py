"""The lookups every request makes, as SQL written once: model instances from one SELECT over joined tables.

Django compiles each QuerySet afresh on every evaluation: for the small lookups that every request runs (the API
token with its user and memberships, the visit or patient a read names) the compiling costs several times what the
database does (bench/load.py --profile). These few lookups are written as SQL once per process, with the column lists
taken from the models' metadata and each value passed through the backend's and the field's own converters, so the
instances are the ones the ORM would give (`Model.from_db`, loaded state included).

Use it only for hot single-row lookups whose SQL is obvious; everything else stays in the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

Converter = Callable[[Any, Any, Any], Any]


class Table:
    """One model's columns in a hand-written SELECT, under a table alias: all of its concrete fields, or `only` the
    named ones (in that order; the primary key among them)."""

    def __init__(self, model: type[Model], alias: str, only: Sequence[str] | None = None) -> None:
        self.model = model
        self.alias = alias
        self.fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        if only is not None:
            by_name = {field.name: field for field in self.fields}
            self.fields = [by_name[name] for name in only]
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)

    @property
    def source(self) -> str:
        """The table under its alias, for FROM and JOIN."""
        return f"{connection.ops.quote_name(self.model._meta.db_table)} {self.alias}"

    def column(self, name: str) -> str:
        """The qualified column of a field (by field name), for joins and conditions."""
        field = self.model._meta.get_field(name)
        return f"{self.alias}.{connection.ops.quote_name(str(field.column))}"  # type: ignore[union-attr]

    def value(self, name: str, value: Any) -> Any:
        """A parameter compared with a field's column, as the backend stores it (a UUID is text on SQLite)."""
        return self.model._meta.get_field(name).get_db_prep_value(value, connection)  # type: ignore[union-attr]

    def columns(self) -> str:
        return ", ".join(f"{self.alias}.{connection.ops.quote_name(field.column)}" for field in self.fields)

    def converters(self, wrapper: BaseDatabaseWrapper) -> list[tuple[int, Any, list[Converter]]]:
        """The fields that have converters on this connection: (index, column expression, converters), as
        SQLCompiler.get_converters finds them. Kept on the connection (a thread's, for its whole life)."""
        memo: dict[int, list[tuple[int, Any, list[Converter]]]] = wrapper.__dict__.setdefault("_rows_converters", {})
        found = memo.get(id(self))
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                functions = [*wrapper.ops.get_db_converters(column), *column.get_db_converters(wrapper)]
                if functions:
                    found.append((index, column, functions))
            memo[id(self)] = found
        return found

    def convert(self, values: list[Any], wrapper: BaseDatabaseWrapper) -> list[Any]:
        """One row's values of this table's columns (in `fields` order) as the ORM gives them, converted in place."""
        for index, column, functions in self.converters(wrapper):
            value = values[index]
            for convert in functions:
                value = convert(value, column, wrapper)
            values[index] = value
        return values


class Query:
    """A SELECT of several tables' columns (in the order given) with a FROM ... WHERE ... of its own.

    `tail(*tables)` gives the SQL after the column list ("FROM ... WHERE ... ORDER BY ..."), built once per process
    and backend from the tables (so quoting follows the backend); its parameters are given per call.
    """

    def __init__(self, tables: Sequence[Table], tail: Callable[..., str]) -> None:
        self.tables = tables
        self._tail = tail
        self._sql: dict[str, str] = {}

    def sql(self, wrapper: BaseDatabaseWrapper | None = None) -> str:
        vendor = (wrapper or connections[DEFAULT_DB_ALIAS]).vendor
        if vendor not in self._sql:
            columns = ", ".join(table.columns() for table in self.tables)
            self._sql[vendor] = f"SELECT {columns} {self._tail(*self.tables)}"
        return self._sql[vendor]

    def rows(self, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Each row as one instance per table (None where an outer join found nothing)."""
        wrapper = connections[DEFAULT_DB_ALIAS]
        with wrapper.cursor() as cursor:
            cursor.execute(self.sql(wrapper), params)
            raw_rows = cursor.fetchall()
        if not raw_rows:
            return []
        result = []
        for raw in raw_rows:
            start = 0
            instances: list[Any] = []
            for table in self.tables:
                values = list(raw[start : start + len(table.fields)])
                start += len(table.fields)
                if values[table.pk_index] is None:
                    instances.append(None)
                    continue
                instances.append(table.model.from_db(wrapper.alias, table.attnames, table.convert(values, wrapper)))
            result.append(tuple(instances))
        return result


class Insert:
    """A model's INSERT of one new row, written once per process: what `instance.save()` sends for a new instance
    (each field's `pre_save`, so `auto_now_add` and defaults apply, and its `get_db_prep_save`), without compiling
    the ORM's INSERT every time. For append-only records with no save signals (a document issued)."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not getattr(field, "db_returning", False)]
        self._sql: dict[str, str] = {}

    def sql(self, wrapper: BaseDatabaseWrapper) -> str:
        if wrapper.vendor not in self._sql:
            quote = wrapper.ops.quote_name
            columns = ", ".join(quote(field.column) for field in self.fields)
            marks = ", ".join(["%s"] * len(self.fields))
            # Identifiers from the model's metadata; every value is a parameter.
            self._sql[wrapper.vendor] = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        return self._sql[wrapper.vendor]

    def save(self, instance: Model) -> Model:
        assert type(instance) is self.model and instance._state.adding
        wrapper = connections[DEFAULT_DB_ALIAS]
        params = [field.get_db_prep_save(field.pre_save(instance, True), wrapper) for field in self.fields]
        with wrapper.cursor() as cursor:
            cursor.execute(self.sql(wrapper), params)
        instance._state.adding = False
        instance._state.db = wrapper.alias
        return instance
