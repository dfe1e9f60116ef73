"""Answers are at most 10,000 characters wherever they are written (issue 16, point 13): the portals,
the API and sync (syncing/tests/test_hostile_sync_input.py) refuse a longer one with a clear message."""

# ruff: noqa: F811

import pytest

from annotation.models import MAX_ANSWER_LENGTH, Answer, GroundTruth
from tests.support.api_cast import parts, record

pytestmark = pytest.mark.django_db

MESSAGE = "is 10,001 characters long; at most 10,000 allowed"


def post_form(client, url, prefix, values):
    data = {f"{prefix}-q{q.pk}": v for q, v in values.items()}
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_issue_16_13_the_annotator_portal_refuses_a_too_long_description(client, annotator, project):
    group, single, description, (v1, _v2) = parts(project)
    client.force_login(annotator)
    url = f"/annotate/{project.pk}/videos/{v1.pk}/groups/{group.pk}/"
    page = client.get(f"/annotate/{project.pk}/").content.decode()
    assert f'maxlength="{MAX_ANSWER_LENGTH}"' in page  # the browser stops at the limit
    response = post_form(client, url, f"v{v1.pk}g{group.pk}", {single: "yes", description: "x" * 10_001})
    assert response.status_code == 400
    assert f"the answer to &#34;{description.text}&#34; {MESSAGE}" in response.content.decode()
    assert not Answer.objects.exists()
    ok = post_form(client, url, f"v{v1.pk}g{group.pk}", {single: "yes", description: "x" * 10_000})
    assert ok.status_code == 200 and Answer.objects.get(question=description).value == "x" * 10_000


def test_issue_16_13_the_reviewer_portal_refuses_a_too_long_description(client, reviewer, project):
    group, single, description, (v1, _v2) = parts(project)
    client.force_login(reviewer)
    url = f"/review/{project.pk}/videos/{v1.pk}/groups/{group.pk}/"
    response = post_form(client, url, f"v{v1.pk}g{group.pk}", {single: "yes", description: "x" * 10_001})
    assert MESSAGE in response.content.decode()
    assert not GroundTruth.objects.exists()


@pytest.mark.parametrize(("path", "role"), [("/api/annotations/", "annotator"), ("/api/ground-truth/", "reviewer")])
def test_issue_16_13_the_api_refuses_a_too_long_description(clients, project, path, role):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: "x" * 10_001})]
    response = clients[role].post(path, body, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["index"] == 0 and error["field"] == "answers" and error["message"].endswith(MESSAGE)
    assert not Answer.objects.exists() and not GroundTruth.objects.exists()
