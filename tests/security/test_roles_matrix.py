"""Role x route, on the acting clinic's own objects: each call is allowed or refused (403) exactly as clinic.roles says.

The expectations are the capability table itself (clinic.roles.ROLE_CAPABILITIES) read through each probe's declared
capability in tests/security/routes.py; `test_the_role_table_is_exactly_this` pins the table so a change to it is a
deliberate, reviewed change.
"""

import pytest

from clinic.models import Role
from clinic.roles import ROLE_CAPABILITIES, Capability, role_can
from tests.security.routes import API_ROUTES, all_probes, call, client_for

pytestmark = pytest.mark.django_db

ROLES = (Role.OWNER, Role.PRACTITIONER, Role.ASSISTANT)
CASES = [
    pytest.param(role, name, probe, id=f"{role}-{name}-{probe.name}") for role in ROLES for name, probe in all_probes()
]


def test_the_role_table_is_exactly_this():
    c = Capability
    expected = {
        Role.OWNER: frozenset(Capability),
        Role.PRACTITIONER: {
            c.VIEW_PATIENTS, c.EDIT_PATIENTS, c.VIEW_SCHEDULE, c.VIEW_CLINICAL, c.CHART, c.SIGN, c.DOCUMENTS,
        },
        Role.ASSISTANT: {c.VIEW_PATIENTS, c.EDIT_PATIENTS, c.VIEW_SCHEDULE},
    }  # fmt: skip
    assert expected == ROLE_CAPABILITIES
    assert not role_can("receptionist", c.VIEW_PATIENTS)  # an unknown role has no capability


@pytest.mark.parametrize(("role", "name", "probe"), CASES)
def test_role_is_allowed_or_refused_as_the_table_says(worlds, role, name, probe):
    home, _ = worlds
    client = client_for(home.members[role], api=name in API_ROUTES)
    response = call(client, name, probe, own=home)
    allowed = probe.capability is None or role_can(role, probe.capability)
    if allowed:
        assert response.status_code not in {401, 403, 404, 405}, response.content[:300]
        assert response.status_code < 500
    else:
        assert response.status_code == 403, response.content[:300]
        if name in API_ROUTES:
            assert response.json() == {"detail": "Your role in this clinic does not allow this."}
