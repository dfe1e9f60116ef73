"""API request throttling per token (issue 16, point 8): over API_THROTTLE_RATE a token gets 429 in the
error envelope with Retry-After; other tokens are not affected; "off" switches it off."""

# ruff: noqa: F811

import pytest

pytestmark = pytest.mark.django_db


def test_issue_16_8_a_token_over_the_rate_gets_429_and_others_do_not(clients, settings):
    settings.API_THROTTLE_RATE = "3/min"
    statuses = [clients["annotator"].get("/api/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = clients["annotator"].get("/api/projects/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["errors"][0]["message"].startswith("Request was throttled.")
    assert clients["reviewer"].get("/api/me/").status_code == 200  # counted per token


def test_writes_count_too_and_anonymous_requests_are_401_not_429(clients, settings):
    settings.API_THROTTLE_RATE = "1/min"
    assert clients["model"].post("/api/annotations/", [], format="json").status_code == 400
    assert clients["model"].post("/api/annotations/", [], format="json").status_code == 429
    assert clients["anonymous"].get("/api/me/").status_code == 401
    assert clients["anonymous"].get("/api/me/").status_code == 401


def test_throttling_can_be_switched_off(clients, settings):
    settings.API_THROTTLE_RATE = "off"
    assert {clients["annotator"].get("/api/me/").status_code for _ in range(30)} == {200}


def test_the_default_rate_is_generous_for_scripts(settings):
    from catalog.api.throttling import TokenRateThrottle

    assert TokenRateThrottle().parse_rate(settings.API_THROTTLE_RATE) == (600, 60)
