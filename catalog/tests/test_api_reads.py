"""Catalog read endpoints of the API (API-2/3/4, SEC-4): the role matrix, scoping, filters, pagination
and constant query counts (API-6)."""

# The cast's fixtures are imported, so pytest finds them; test arguments then "redefine" the names.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Assignment
from catalog.tests.factories import (
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from tests.support.api_cast import parts, token_client

pytestmark = pytest.mark.django_db

EVERYONE = {"annotator": 200, "reviewer": 200, "admin": 200, "model": 200, "outsider": 200, "anonymous": 401}
MEMBERS = {**EVERYONE, "outsider": 404}
ADMINS = {"annotator": 403, "reviewer": 403, "admin": 200, "model": 403, "outsider": 403, "anonymous": 401}
OWN_ROW = {"annotator": 200, "reviewer": 404, "admin": 200, "model": 404, "outsider": 404, "anonymous": 401}


def endpoints(project, seeded):
    group, single, _description, (video, _) = parts(project)
    row = seeded["assignment"]
    return [
        ("/api/me/", EVERYONE),
        ("/api/users/", ADMINS),
        (f"/api/users/{row.user_id}/", ADMINS),
        ("/api/videos/", EVERYONE),
        (f"/api/videos/{video.pk}/", MEMBERS),
        ("/api/questions/", EVERYONE),
        (f"/api/questions/{single.pk}/", MEMBERS),
        ("/api/question-groups/", EVERYONE),
        (f"/api/question-groups/{group.pk}/", MEMBERS),
        ("/api/schemas/", EVERYONE),
        (f"/api/schemas/{project.schema_id}/", MEMBERS),
        ("/api/projects/", EVERYONE),
        (f"/api/projects/{project.pk}/", MEMBERS),
        (f"/api/projects/{project.pk}/custom-displays/", MEMBERS),
        ("/api/project-groups/", EVERYONE),
        (f"/api/project-groups/{seeded['project_group'].pk}/", MEMBERS),
        ("/api/assignments/", EVERYONE),
        (f"/api/assignments/{row.pk}/", OWN_ROW),
    ]


def test_every_catalog_endpoint_answers_each_role_as_the_matrix_says(clients, project, seeded):
    failures = []
    for url, expected in endpoints(project, seeded):
        for role, status in expected.items():
            got = clients[role].get(url).status_code
            if got != status:
                failures.append(f"{role} GET {url}: {got}, expected {status}")
    assert not failures, "\n".join(failures)


def test_anonymous_gets_401_with_a_token_challenge(clients):
    response = clients["anonymous"].get("/api/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "errors": [{"index": None, "field": "", "message": "Authentication credentials were not provided."}]
    }


def test_outsider_lists_are_empty(clients, project, seeded):
    for url in ("/api/videos/", "/api/questions/", "/api/question-groups/", "/api/schemas/", "/api/projects/"):
        body = clients["outsider"].get(url).json()
        assert body["count"] == 0 and body["results"] == [], url
    assert clients["outsider"].get("/api/project-groups/").json()["count"] == 0
    assert clients["outsider"].get("/api/assignments/").json()["count"] == 0


def test_annotator_sees_the_project_definition(clients, project, seeded):
    group, single, description, (v1, v2) = parts(project)
    client = clients["annotator"]
    detail = client.get(f"/api/projects/{project.pk}/").json()
    assert detail["name"] == project.name
    assert detail["schema_name"] == project.schema.name
    assert detail["videos"] == [v1.video_uid, v2.video_uid]
    assert detail["mode"] == "annotation"
    assert detail["gt_progress"] == 50.0  # GT on one of two videos
    assert detail["progress"] == 50.0  # the annotator's own answers
    groups = client.get("/api/question-groups/").json()["results"]
    assert [g["title"] for g in groups] == [group.title]
    assert [q["text"] for q in groups[0]["questions"]] == [single.text, description.text]
    assert groups[0]["questions"][0]["options"] == ["yes", "no"]
    schema = client.get("/api/schemas/").json()["results"][0]
    assert schema["question_group_titles"] == [group.title]
    displays = client.get(f"/api/projects/{project.pk}/custom-displays/").json()["results"]
    assert displays == [
        {
            "id": seeded["custom_display"].pk,
            "project_name": project.name,
            "video_uid": v1.video_uid,
            "question_text": single.text,
            "custom_display_text": "Yes?",
            "custom_option_display_map": None,
        }
    ]
    assert client.get("/api/project-groups/").json()["results"][0]["projects"] == [project.name]


def test_me_lists_active_roles_per_project(clients, project, cast):
    body = clients["reviewer"].get("/api/me/").json()
    assert body["user_id"] == "Rev Iewer" and body["user_type"] == "human" and not body["is_global_admin"]
    assert body["projects"] == [
        {"project_id": project.pk, "project_name": project.name, "roles": ["annotator", "reviewer"]}
    ]
    model_me = clients["model"].get("/api/me/").json()
    assert model_me["email"] is None and model_me["projects"][0]["roles"] == ["model"]


def test_users_list_has_no_password_data(clients, cast):
    body = clients["admin"].get("/api/users/").json()
    assert {u["user_id"] for u in body["results"]} >= {"Ann Otator", "Model 1", "Out Sider"}
    assert all("password" not in u for u in body["results"])


def test_assignments_show_only_the_callers_rows_except_for_admins(clients, project, cast):
    mine = clients["reviewer"].get("/api/assignments/").json()["results"]
    assert {(a["user_name"], a["role"]) for a in mine} == {("Rev Iewer", "annotator"), ("Rev Iewer", "reviewer")}
    everyone = clients["admin"].get(f"/api/assignments/?project_name={project.name}").json()["results"]
    assert {a["user_name"] for a in everyone} == {"Ann Otator", "Rev Iewer", "Admin One", "Model 1"}
    filtered = clients["admin"].get("/api/assignments/?user_name=Model%201&role=model").json()["results"]
    assert [(a["user_name"], a["role"], a["user_weight"]) for a in filtered] == [("Model 1", "model", 1.0)]


def test_archived_project_disappears_for_members_but_not_for_admins(clients, project, seeded):
    project.is_active = False
    project.save()
    assert clients["annotator"].get(f"/api/projects/{project.pk}/").status_code == 404
    assert clients["annotator"].get("/api/videos/").json()["count"] == 0
    assert clients["admin"].get(f"/api/projects/{project.pk}/").json()["is_active"] is False


def test_filters_take_natural_keys_and_never_widen_the_scope(clients, project, seeded):
    other = ProjectFactory(
        schema=SchemaFactory(groups=[QuestionGroupFactory(questions=[SingleQuestionFactory()])]),
        videos=[VideoFactory(video_uid="hidden.mp4")],
    )
    _group, _single, _description, (v1, _v2) = parts(project)
    annotator = clients["annotator"]
    assert annotator.get(f"/api/videos/?project_name={other.name}").json()["count"] == 0
    assert annotator.get("/api/videos/?video_uid=hidden.mp4").json()["count"] == 0
    assert [v["video_uid"] for v in annotator.get(f"/api/videos/?video_uid={v1.video_uid}").json()["results"]] == [
        v1.video_uid
    ]
    assert clients["admin"].get(f"/api/videos/?project_name={other.name}").json()["count"] == 1
    bad = annotator.get("/api/videos/?is_active=maybe")
    assert bad.status_code == 400
    assert bad.json() == {
        "errors": [{"index": None, "field": "is_active", "message": '"maybe" is not a boolean; use true or false.'}]
    }
    v1.is_active = False
    v1.save()
    assert annotator.get("/api/videos/?is_active=false").json()["results"][0]["video_uid"] == v1.video_uid


def test_lists_paginate_with_page_and_page_size(clients, project, seeded):
    body = clients["admin"].get("/api/videos/?page_size=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1
    assert body["next"].endswith("page=2&page_size=1") and body["previous"] is None
    second = clients["admin"].get("/api/videos/?page_size=1&page=2").json()
    assert second["next"] is None and second["results"][0]["video_uid"] != body["results"][0]["video_uid"]
    assert clients["admin"].get("/api/videos/?page=9").status_code == 404


# --------------------------------------------------------------------------- constant queries (API-6)


def _projects(n: int, annotator) -> None:
    schema = SchemaFactory(groups=[QuestionGroupFactory(questions=[SingleQuestionFactory()])])
    for _ in range(n):
        p = ProjectFactory(schema=schema, videos=[VideoFactory(), VideoFactory()])
        Assignment.objects.create(user=annotator, project=p, role=Assignment.Role.ANNOTATOR)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("extra", [1, 9])  # with the cast's project: 2 and 10 rows
def test_projects_list_runs_the_same_queries_for_2_and_10_projects(
    client, annotator, project, extra, django_assert_num_queries
):
    _projects(extra, annotator)
    client.force_login(annotator)
    # session + user, count, page, video prefetch, and project_figures' four.
    with django_assert_num_queries(9):
        body = client.get("/api/projects/").json()
    assert body["count"] == extra + 1


def test_question_groups_and_videos_lists_do_not_grow_with_rows(annotator, project):
    client = token_client(annotator)
    client.get("/api/me/")  # the token's first use records last_used_at: one write, not per request
    before = {url: _queries(client, url) for url in ("/api/question-groups/", "/api/videos/", "/api/schemas/")}
    _projects(8, annotator)
    after = {url: _queries(client, url) for url in before}
    assert after == before


def test_the_browsable_api_renders_for_a_logged_in_user(client, project, seeded, cast):
    client.force_login(cast["admin"])
    for url in ("/api/", "/api/projects/", "/api/ground-truth/", "/api/reviews/", "/api/annotations/", "/api/me/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 405), url
        assert response["Content-Type"].startswith("text/html"), url
