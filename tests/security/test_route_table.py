"""The route table covers the whole URLconf: a new route fails here until it is added to tests/security/routes.py."""

import pytest

from tests.security.routes import EXCLUDED, ROUTES, is_excluded, probed_routes, resolver_routes


def test_every_route_is_in_the_table():
    missing = [name for name in probed_routes() if name not in ROUTES]
    assert not missing, f"Routes missing from tests/security/routes.py ROUTES (add a probe for each): {missing}"


def test_the_table_has_no_route_the_resolver_does_not_serve():
    stale = sorted(set(ROUTES) - set(resolver_routes()))
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"


def test_every_exclusion_matches_a_served_route_and_says_why():
    served = resolver_routes()
    for key, reason in EXCLUDED.items():
        assert reason.strip()
        assert any(is_excluded(name) and (name == key or key.endswith(":*")) for name in served), key


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_route_has_at_least_one_probe(name):
    assert ROUTES[name]


@pytest.mark.django_db
def test_a_method_a_view_does_not_offer_is_405_not_a_capability_error(api):
    assert api.generic("TRACE", "/api/v1/ping/").status_code == 405
    assert api.delete("/api/v1/ping/").status_code == 405
