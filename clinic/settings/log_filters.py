"""Logging filters that keep patient data out of the application logs.

URLs hold only opaque ids, but a query string may hold a name (`/api/v1/patients/?search=Maria`) and an unresolved
path may hold anything a client typed. So request log lines name the route (`assessments:chart`) and the status instead
of the path, and the development server's request lines lose their query strings. Standard library only: logging is
configured before the apps are loaded.
"""

import logging
import re
from collections.abc import Callable, Mapping

_Args = tuple[object, ...] | Mapping[str, object] | None
_QUERY = re.compile(r"\?[^\s\"]*")


class NoPatientData(logging.Filter):
    """For django.request, django.security.csrf (paths -> route names) and django.server (query strings dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "clinic_patient_data_removed", False):  # one record may pass two filters (logger, handler)
            return True
        record.clinic_patient_data_removed = True
        if record.name == "django.server":
            record.args = _map_args(record.args, lambda arg: _QUERY.sub("", arg))
            return True
        request = getattr(record, "request", None)
        paths = {getattr(request, "path", None), getattr(request, "get_full_path", lambda: None)()}
        paths |= {p.encode("unicode_escape").decode("ascii") for p in paths if isinstance(p, str)}
        paths.discard(None)
        match = getattr(request, "resolver_match", None)
        route = f"<route {match.view_name}>" if match is not None else "<unresolved path>"
        record.args = _map_args(record.args, lambda arg: route if arg in paths else _QUERY.sub("", arg))
        status = getattr(record, "status_code", None)
        if status is not None:
            record.msg = f"{record.msg} [status {status}]"
        return True


def _map_args(args: _Args, change: Callable[[str], str]) -> _Args:
    if isinstance(args, tuple):
        return tuple(change(arg) if isinstance(arg, str) else arg for arg in args)
    return args
