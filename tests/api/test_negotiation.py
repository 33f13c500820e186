"""clinic.api.negotiation: JSON without parsing Accept when nothing else is asked for; DRF's answers otherwise."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json; q=0.9, */*;q=0.1"])
def test_json_is_answered_to_plain_and_json_accepts(api, accept):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    response = api.get("/api/v1/ping/", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"ok": True}


@pytest.mark.parametrize("accept", ["text/html", "application/xml"])
def test_an_accept_the_view_cannot_answer_is_still_406(api, accept):
    assert api.get("/api/v1/ping/", HTTP_ACCEPT=accept).status_code == 406


def test_a_format_the_view_does_not_render_is_still_404(api):
    assert api.get("/api/v1/ping/", {"format": "xml"}).status_code == 404
