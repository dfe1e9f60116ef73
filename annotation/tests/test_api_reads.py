"""Annotation read endpoints of the API: answers, ground truth (with version tokens), history, reviews and
the project reports, with the role matrix (API-3/4, SEC-4/5) and constant query counts (API-6)."""

# The cast's fixtures are imported, so pytest finds them; test arguments then "redefine" the names.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from annotation.ground_truth import version_token
from annotation.models import Answer, GroundTruth
from catalog.models import Assignment
from catalog.tests.factories import UserFactory
from tests.support.api_cast import parts

pytestmark = pytest.mark.django_db

EVERYONE = {"annotator": 200, "reviewer": 200, "admin": 200, "model": 200, "outsider": 200, "anonymous": 401}
REVIEWERS = {"annotator": 404, "reviewer": 200, "admin": 200, "model": 404, "outsider": 404, "anonymous": 401}
REPORTS = {"annotator": 403, "reviewer": 200, "admin": 200, "model": 403, "outsider": 404, "anonymous": 401}
OWNER_OR_REVIEWER = {"annotator": 200, "reviewer": 200, "admin": 200, "model": 404, "outsider": 404, "anonymous": 401}


def endpoints(project, seeded):
    pk = project.pk
    return [
        ("/api/answers/", EVERYONE),
        (f"/api/answers/{seeded['answer'].pk}/", OWNER_OR_REVIEWER),
        ("/api/ground-truth/", EVERYONE),
        (f"/api/ground-truth/{seeded['gt'].pk}/", REVIEWERS),
        ("/api/ground-truth/history/", EVERYONE),
        (f"/api/ground-truth/history/{seeded['history'].pk}/", REVIEWERS),
        ("/api/reviews/", EVERYONE),
        (f"/api/reviews/{seeded['review'].pk}/", REVIEWERS),
        (f"/api/projects/{pk}/progress/", REPORTS),
        (f"/api/projects/{pk}/agreement/", REPORTS),
        # Not in training mode: the reviewers get 409 (SCORE-ACC-1).
        (f"/api/projects/{pk}/accuracy/", {**REPORTS, "reviewer": 409, "admin": 409}),
    ]


def test_every_annotation_endpoint_answers_each_role_as_the_matrix_says(clients, project, seeded):
    failures = []
    for url, expected in endpoints(project, seeded):
        for role, status in expected.items():
            got = clients[role].get(url).status_code
            if got != status:
                failures.append(f"{role} GET {url}: {got}, expected {status}")
    assert not failures, "\n".join(failures)


def test_annotators_and_models_read_only_their_own_answers(clients, project, seeded):
    def users(role):
        return {a["user_name"] for a in clients[role].get("/api/answers/").json()["results"]}

    assert users("annotator") == {"Ann Otator"}
    assert users("model") == {"Model 1"}
    assert users("reviewer") == {"Ann Otator", "Model 1"}
    assert users("admin") == {"Ann Otator", "Model 1"}
    assert users("outsider") == set()
    for role in ("annotator", "model", "outsider"):
        for url in ("/api/ground-truth/", "/api/ground-truth/history/", "/api/reviews/"):
            assert clients[role].get(url).json()["count"] == 0, (role, url)


def test_answers_carry_natural_keys_review_and_confidence(clients, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    query = {"project_name": project.name, "video_uid": v1.video_uid, "user_name": "Ann Otator"}
    rows = clients["reviewer"].get("/api/answers/", {**query, "question_text": description.text}).json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["project_name"], row["video_uid"], row["question_text"], row["user_name"]) == (
        project.name,
        v1.video_uid,
        description.text,
        "Ann Otator",
    )
    assert (row["value"], row["review_status"], row["reviewer_name"]) == ("A dog.", "approved", "Rev Iewer")
    model_rows = clients["reviewer"].get("/api/answers/", {"user_name": "Model 1", "question_text": single.text}).json()
    assert [(r["value"], r["confidence_score"], r["review_status"]) for r in model_rows["results"]] == [
        ("no", 0.5, "pending")
    ]
    by_group = clients["reviewer"].get("/api/answers/", {"question_group_title": group.title}).json()
    assert by_group["count"] == 4
    assert clients["reviewer"].get("/api/answers/?question_group_title=Nope").json()["count"] == 0


def test_ground_truth_rows_carry_the_groups_version_token(clients, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    rows = clients["reviewer"].get("/api/ground-truth/", {"project_name": project.name}).json()["results"]
    token = version_token(project, v1, [single, description])
    assert [(r["question_text"], r["value"], r["question_group_title"], r["version"]) for r in rows] == sorted(
        [(single.text, "yes", group.title, token), (description.text, "A dog.", group.title, token)]
    )
    assert rows[0]["reviewer_name"] == "Rev Iewer" and rows[0]["overridden_by_name"] is None
    detail = clients["admin"].get(f"/api/ground-truth/{seeded['gt'].pk}/").json()
    assert detail["version"] == token


def test_history_and_reviews_list_with_keys(clients, project, seeded):
    _group, _single, description, (v1, _v2) = parts(project)
    history = clients["reviewer"].get(f"/api/ground-truth/history/?video_uid={v1.video_uid}").json()["results"]
    assert {(h["kind"], h["source"], h["actor_name"]) for h in history} == {("created", "review", "Rev Iewer")}
    reviews = clients["reviewer"].get("/api/reviews/", {"project_name": project.name}).json()["results"]
    assert [(r["user_name"], r["question_text"], r["status"], r["reviewer_name"]) for r in reviews] == [
        ("Ann Otator", description.text, "approved", "Rev Iewer")
    ]


def test_progress_lists_answering_users_and_gt_progress(clients, project, seeded):
    body = clients["reviewer"].get(f"/api/projects/{project.pk}/progress/").json()
    assert body["gt_progress"] == 50.0 and body["mode"] == "annotation"
    by_user = {u["user_name"]: u for u in body["users"]}
    assert by_user["Ann Otator"]["progress"] == 50.0
    assert by_user["Model 1"]["progress"] == 50.0 and by_user["Model 1"]["roles"] == ["model"]
    assert by_user["Rev Iewer"]["progress"] == 0.0


def test_accuracy_in_training_mode_and_unrounded_agreement(clients, cast, project, seeded):
    group, single, description, (v1, v2) = parts(project)
    reviewer = cast["reviewer"]
    for q, value in ((single, "no"), (description, "x")):
        GroundTruth.objects.create(
            project=project, video=v2, question=q, value=value, reviewer_value=value, reviewer=reviewer
        )
    annotator = seeded["answer"].user
    Answer.objects.create(project=project, video=v2, question=single, user=annotator, value="yes")
    third = UserFactory(user_id="Third Person")
    Assignment.objects.create(user=third, project=project, role="annotator")
    Answer.objects.create(project=project, video=v1, question=single, user=third, value="no")
    body = clients["reviewer"].get(f"/api/projects/{project.pk}/accuracy/").json()
    ann = next(u for u in body["users"] if u["user_name"] == "Ann Otator")
    # single: yes=yes on v1, yes≠no on v2; description: one approved review.
    assert (ann["correct"], ann["total"]) == (2, 3)
    assert ann["percent"] == pytest.approx(200 / 3)
    reviewers = clients["admin"].get(f"/api/projects/{project.pk}/accuracy/?kind=reviewer").json()
    assert [(u["user_name"], u["correct"], u["total"]) for u in reviewers["users"]] == [("Rev Iewer", 4, 4)]
    assert clients["admin"].get(f"/api/projects/{project.pk}/accuracy/?kind=x").status_code == 400

    # v1 single answers: Ann yes, Third no (+ Model no when models count).
    humans = clients["reviewer"].get(f"/api/projects/{project.pk}/agreement/").json()
    assert humans["include_models"] is False
    assert humans["questions"][0]["percent_agreement"] == 0.0 and humans["questions"][0]["coders"] == 2
    with_models = clients["reviewer"].get(f"/api/projects/{project.pk}/agreement/?include_models=true").json()
    row = with_models["questions"][0]
    assert row["coders"] == 3 and row["n"] == 3
    assert row["percent_agreement"] == pytest.approx(100 / 3)  # unrounded (SCORE-AGR-4)
    assert with_models["mean_percent_agreement"] == row["percent_agreement"]


def test_accuracy_outside_training_mode_is_409_with_the_spec_message(clients, project, seeded):
    response = clients["reviewer"].get(f"/api/projects/{project.pk}/accuracy/")
    assert response.status_code == 409
    assert response.json() == {"errors": [{"index": None, "field": "", "message": "project is not in training mode"}]}


# --------------------------------------------------------------------------- constant queries (API-6)


def _answers(project, n: int) -> None:
    _group, single, _description, (v1, _v2) = parts(project)
    for _ in range(n):
        Answer.objects.create(project=project, video=v1, question=single, user=UserFactory(), value="yes")


@pytest.mark.parametrize("rows", [2, 10])
def test_answers_list_runs_the_same_queries_for_2_and_10_rows(
    client, reviewer, project, rows, django_assert_num_queries
):
    _answers(project, rows)
    client.force_login(reviewer)
    # session + user, the count and the page (reviews and reviewers joined in).
    with django_assert_num_queries(4):
        body = client.get("/api/answers/").json()
    assert body["count"] == rows


@pytest.mark.parametrize("rows", [2, 10])
def test_ground_truth_list_runs_the_same_queries_for_2_and_10_rows(
    client, reviewer, project, rows, django_assert_num_queries
):
    from catalog.tests.factories import VideoFactory

    _group, single, _description, _videos = parts(project)
    for _ in range(rows):
        video = VideoFactory()
        project.video_links.create(video=video, position=99)
        GroundTruth.objects.create(
            project=project, video=video, question=single, value="yes", reviewer_value="yes", reviewer=reviewer
        )
    client.force_login(reviewer)
    # session + user, count, page, and the three of the version tokens (groups, GT rows, reviews).
    with django_assert_num_queries(7):
        body = client.get("/api/ground-truth/").json()
    assert body["count"] == rows
