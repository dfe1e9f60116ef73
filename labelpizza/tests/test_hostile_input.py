"""Hostile input is a 400, never a 500 (issue 16, point 11): a NUL character in any API filter, portal
parameter, form field or cookie, a NUL inside a JSON body, and JSON nested thousands of levels deep.

On PostgreSQL a NUL reaching a query fails in the driver ("A string literal cannot contain NUL"); on
SQLite it used to pass. Both engines now answer the same 400, so these tests run on either.
"""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from catalog.api.parsers import MAX_DEPTH, nesting_depth
from tests.support.api_cast import parts, record, token_client

pytestmark = pytest.mark.django_db

NUL = "\x00"


def _api_filters() -> list[tuple[str, str]]:
    """Every (list path, query parameter) the schema documents, path parameters filled with 1."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    pairs = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if not get or "{id}" in path:
            continue
        for param in get.get("parameters", []):
            if param["in"] == "query":
                pairs.append((path.replace("{project_pk}", "1"), param["name"]))
    return pairs


def test_the_schema_lists_the_filters_checked_here():
    names = {name for _, name in _api_filters()}
    assert {"project_name", "video_uid", "user_name", "question_text", "page", "kind"} <= names


@pytest.mark.parametrize(("path", "name"), _api_filters())
def test_issue_16_11_nul_in_any_api_filter_is_a_400_envelope(clients, seeded, path, name):
    response = clients["admin"].get(path, {name: f"x{NUL}y"})
    assert response.status_code == 400, (path, name, response.status_code)
    assert response.json()["errors"][0]["field"] == name
    assert "NUL character" in response.json()["errors"][0]["message"]


def test_issue_16_11_the_reported_answers_filter(clients, seeded):
    response = clients["reviewer"].get("/api/answers/?project_name=%00")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "index": None,
                "field": "project_name",
                "message": "project_name: the request contains a NUL character (\\u0000), which no text may contain",
            }
        ]
    }


def test_issue_16_11_nul_in_a_json_body_is_a_400(clients, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: f"a{NUL}b"})]
    response = clients["annotator"].post("/api/annotations/", body, format="json")
    assert response.status_code == 400
    assert "NUL character" in response.json()["errors"][0]["message"]
    body = [record(project, v1, group, {single: "yes", description: "ok"}) | {"project_name": NUL}]
    assert clients["annotator"].post("/api/ground-truth/", body, format="json").status_code == 400


@pytest.mark.parametrize("path", ["/api/annotations/", "/api/ground-truth/", "/api/reviews/"])
def test_issue_16_11_json_nested_5000_deep_is_a_400(clients, path):
    body = "[" * 5000 + "]" * 5000
    response = clients["reviewer"].post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert f"nested deeper than {MAX_DEPTH} levels" in response.json()["errors"][0]["message"]
    deep_object = '{"a":' * 5000 + "1" + "}" * 5000
    assert clients["reviewer"].post(path, deep_object, content_type="application/json").status_code == 400


def test_nesting_depth_ignores_brackets_inside_strings():
    assert nesting_depth('[{"a": "[[[{{{\\"]]"}]') == 2
    assert nesting_depth("[]") == 1 and nesting_depth('"x"') == 0


@pytest.mark.parametrize(
    "url",
    [
        "/search/video/?q=%00",
        "/search/video/?video_uid=a%00",
        "/search/criteria/schema/?c=%00",
        "/search/completion/?per_page=%00",
        "/annotate/?q=%00",
        "/review/?q=%00&sort=name",
        "/api/docs/?x=%00",
    ],
)
def test_issue_16_11_nul_in_a_portal_parameter_is_an_html_400(client, admin, url, settings):
    settings.DEBUG = False
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    if url.startswith("/api/"):
        assert "NUL character" in response.json()["errors"][0]["message"]
    else:
        assert "Bad request" in body and "NUL character" in body


def test_issue_16_11_nul_in_a_portal_form_field_is_a_400(client, annotator, project):
    group, single, description, (v1, _v2) = parts(project)
    client.force_login(annotator)
    url = f"/annotate/{project.pk}/videos/{v1.pk}/groups/{group.pk}/"
    prefix = f"v{v1.pk}g{group.pk}"
    response = client.post(url, {f"{prefix}-q{single.pk}": "yes", f"{prefix}-q{description.pk}": f"a{NUL}b"})
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_issue_16_11_nul_in_the_session_cookie_is_a_400(client, annotator):
    client.cookies["sessionid"] = f"abc{NUL}"
    assert client.get("/annotate/").status_code == 400


def test_ordinary_requests_pass(client, annotator, clients, seeded):
    client.force_login(annotator)
    assert client.get("/annotate/?q=dog").status_code == 200
    assert clients["reviewer"].get("/api/answers/", {"project_name": "x"}).status_code == 200
    assert token_client(annotator).get("/api/me/").status_code == 200
