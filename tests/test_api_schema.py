"""The OpenAPI schema (API-1): it validates, lists every endpoint of API-4/5, is served with its docs pages
(assets from our own static files), and a schemathesis fuzz run against it finds no server error."""

# The cast's fixtures are imported, so pytest finds them; test arguments then "redefine" the names.
# ruff: noqa: F811

from __future__ import annotations

import json
import re
import time
import traceback
from collections import Counter

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from catalog.tokens import issue_token

pytestmark = pytest.mark.django_db

# Every endpoint the spec lists (API-4, API-5), with its methods.
ENDPOINTS = {
    "/api/me/": {"get"},
    "/api/users/": {"get"},
    "/api/videos/": {"get"},
    "/api/questions/": {"get"},
    "/api/question-groups/": {"get"},
    "/api/schemas/": {"get"},
    "/api/projects/": {"get"},
    "/api/projects/{id}/": {"get"},
    "/api/projects/{project_pk}/custom-displays/": {"get"},
    "/api/project-groups/": {"get"},
    "/api/assignments/": {"get"},
    "/api/answers/": {"get"},
    "/api/ground-truth/": {"get", "post"},
    "/api/reviews/": {"get", "post"},
    "/api/ground-truth/history/": {"get"},
    "/api/projects/{project_pk}/progress/": {"get"},
    "/api/projects/{project_pk}/accuracy/": {"get"},
    "/api/projects/{project_pk}/agreement/": {"get"},
    "/api/annotations/": {"post"},
    "/api/ground-truth/override/": {"post"},
    "/api/team/": {"get"},
    "/api/team/people/{id}/": {"get"},
    "/api/team/people/{id}/payments/": {"get"},
    "/api/team/people/{id}/feedback/": {"get"},
}


def test_the_schema_validates_and_lists_every_endpoint(tmp_path):
    out = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(out))
    schema = json.loads(out.read_text())
    assert schema["openapi"].startswith("3.")
    missing = [
        f"{method.upper()} {path}"
        for path, methods in ENDPOINTS.items()
        for method in methods
        if method not in schema["paths"].get(path, {})
    ]
    assert not missing
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_and_docs_are_served_to_logged_in_users_without_a_cdn(client, annotator):
    assert client.get("/api/schema/").status_code == 401
    client.force_login(annotator)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and "/api/annotations/" in schema.json()["paths"]
    for url, asset in (
        ("/api/docs/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/docs/redoc/", "/api/docs/redoc/redoc.standalone.js"),
    ):
        page = client.get(url).content.decode()
        assert asset in page, url
        assert "cdn." not in page and "unpkg" not in page and "googleapis" not in page, url
        assert not re.search(r"<script>(?!\s*</script>)", page), url  # no inline code (issue 11.10, CSP)
    # The assets ship with the app: the staticfiles finders (and so collectstatic/WhiteNoise) have them.
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    bundle = client.get("/api/docs/redoc/redoc.standalone.js")
    assert bundle.status_code == 200 and bundle["Content-Type"].startswith("text/javascript")
    body = bundle.content.decode()
    assert "Redoc" in body and "cdn.redoc.ly" not in body and "/static/img/favicon.svg" in body
    assert client.get("/api/docs/redoc/redoc.standalone.js", HTTP_IF_NONE_MATCH=bundle["ETag"]).status_code == 304


def test_the_api_root_lists_the_router_endpoints(clients):
    body = clients["annotator"].get("/api/").json()
    assert {"projects", "answers", "ground-truth", "reviews"} <= set(body)


# --------------------------------------------------------------------------- fuzzing (schemathesis)

EXAMPLES = 5  # per operation and generation mode: ~40 operations × 2 modes in well under a minute


@pytest.fixture
def wsgi_app():
    """The real WSGI app, called in-process inside the test's transaction.

    Django closes "old" connections at the start and end of each request; in a test transaction that
    would close the connection mid-test, so, like Django's test client, switch that off meanwhile.
    Server errors are recorded with their traceback, so a failure shows where it broke.
    """
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        errors.append(
            f"{request.method if request else '?'} {request.get_full_path() if request else '?'}\n"
            + traceback.format_exc()
        )

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record)
    try:
        yield get_wsgi_application(), errors
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def hostile_cases(operation) -> list:
    """Per operation: a NUL in each query parameter, and for writes a body nested 500 deep and a record
    whose strings hold a NUL. Each must be refused with a 400, never a 500 (issue 16.11)."""
    path_parameters = {p.name: "1" for p in operation.path_parameters}
    cases = [operation.Case(path_parameters=path_parameters, query={p.name: "a\x00b"}) for p in operation.query]
    if operation.method.lower() == "post":
        deep: list = []
        for _ in range(500):
            deep = [deep]
        for body in (deep, [{"project_name": "\x00", "video_uid": "v\x00"}]):
            cases.append(operation.Case(path_parameters=path_parameters, body=body, media_type="application/json"))
    return cases


@override_settings(API_THROTTLE_RATE="off")  # hundreds of requests a minute with one token
def test_fuzzing_every_operation_finds_no_server_error(wsgi_app, cast, seeded):
    app, errors = wsgi_app
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = app
    headers = {"Authorization": f"Token {issue_token(cast['admin'])}"}
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    hostile = 0
    assert len(operations) >= len(ENDPOINTS)

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,  # no .hypothesis/ folder in the work tree
                derandomize=True,  # the same cases on every run, so CI is stable
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

            try:
                run()
            except Unsatisfiable:
                # Nothing to break: an operation without parameters or body has no negative cases.
                assert mode == GenerationMode.NEGATIVE, f"{operation.method} {operation.path}"
        # Random strings seldom hold a NUL and never nest deep: every operation also gets those (issue 16.11).
        for case in hostile_cases(operation):
            hostile += 1
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            if response.status_code != 400:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")
    assert not failures, "\n".join(failures + errors)
    assert hostile > 60, hostile  # every filter of every list, and three bodies per write
    # The token was accepted and real reads and writes happened, not only refusals.
    assert statuses[200] > 50 and 401 not in statuses, statuses
    assert time.monotonic() - started < 120
