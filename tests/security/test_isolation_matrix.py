"""Cross-clinic isolation, every route x every role: another clinic's objects answer 404, exactly like nonexistent ones.

Each member of clinic A (owner, practitioner, assistant) probes every route of tests/security/routes.py with clinic B's
objects wherever an id can go:

- path: every object keyword from clinic B (a detail, a nested list, a PDF)                     -> 404
- child: the parent from clinic A, the nested object from clinic B (`/patients/A/stressors/B/`)  -> 404
- query: `?patient=` / `?with=` naming clinic B's object on clinic A's route                     -> 404
- body: an id inside the request body; where the route looks it up (POST /visits/ `patient`)     -> 404;
  where the route never uses it (a read-only or protected field) the answer is the same as for an id that exists
  nowhere, so it cannot tell a foreign object from a missing one
- routes that name no object (lists, search, catalog, pages) answer as for the role, listing nothing of clinic B.

Every answer's body is searched for every clinic-B id (and its patient's surname): none may appear. The 404 comes
before the role check, so it holds for the assistant on clinical routes too.
"""

import pytest
from django.db import transaction

from clinic.models import Role
from clinic.roles import role_can
from tests.security.routes import API_ROUTES, Probe, all_probes, call, client_for

pytestmark = pytest.mark.django_db

ROLES = (Role.OWNER, Role.PRACTITIONER, Role.ASSISTANT)


def _variants(probe: Probe) -> list[str]:
    variants = []
    if probe.path_refs:
        variants.append("path")
    if len(probe.path_refs) >= 2:
        variants.append("child")
    if probe.query_refs:
        variants.append("query")
    if probe.body_refs:
        variants.append("body")
    return variants or ["no-object"]


CASES = [
    pytest.param(role, name, probe, variant, id=f"{role}-{name}-{probe.name}-{variant}")
    for role in ROLES
    for name, probe in all_probes()
    for variant in _variants(probe)
]


def _undone(request):
    """Make a request and undo its writes, so two requests can be compared from the same starting state."""
    savepoint = transaction.savepoint()
    try:
        return request()
    finally:
        transaction.savepoint_rollback(savepoint)


def _leaks(response, foreign) -> list[str]:
    content = response.content.decode("utf-8", errors="replace")
    markers = foreign.all_ids() | {foreign.objects["patient"].last_name}
    return sorted(marker for marker in markers if marker in content)


@pytest.mark.parametrize(("role", "name", "probe", "variant"), CASES)
def test_another_clinics_object_is_404_for_every_role_and_never_shown(worlds, role, name, probe, variant):
    home, foreign = worlds
    client = client_for(home.members[role], api=name in API_ROUTES)
    if variant == "path":
        response = call(client, name, probe, own=home, path_from=dict.fromkeys(probe.path_refs, foreign))
        assert response.status_code == 404, response.content[:300]
    elif variant == "child":
        _parent, *children = probe.path_refs
        response = call(client, name, probe, own=home, path_from=dict.fromkeys(children, foreign))
        assert response.status_code == 404, response.content[:300]
    elif variant == "query":
        response = call(client, name, probe, own=home, query_from=dict.fromkeys(probe.query_refs, foreign))
        assert response.status_code == 404, response.content[:300]
    elif variant == "body":
        response = _undone(
            lambda: call(client, name, probe, own=home, body_from=dict.fromkeys(probe.body_refs, foreign))
        )
        if probe.body_fk == "used":
            assert response.status_code == 404, response.content[:300]
        else:
            missing = _undone(lambda: call(client, name, probe, own=home, nonexistent=frozenset(probe.body_refs)))
            assert response.status_code == missing.status_code, (response.content[:300], missing.content[:300])
    else:
        response = call(client, name, probe, own=home)
        allowed = probe.capability is None or role_can(role, probe.capability)
        assert response.status_code != 404
        assert (response.status_code == 403) is not allowed
    assert not _leaks(response, foreign), f"clinic B ids in the answer: {_leaks(response, foreign)}"


def test_naming_another_clinic_in_x_clinic_is_refused_and_shows_nothing(worlds):
    home, foreign = worlds
    client = client_for(home.members[Role.OWNER], api=True)
    for url in ("/api/v1/patients/", f"/api/v1/patients/{foreign.id_of('patient')}/", "/api/v1/visits/"):
        response = client.get(url, HTTP_X_CLINIC=foreign.id_of("clinic"))
        assert response.status_code == 403
        assert not _leaks(response, foreign)
