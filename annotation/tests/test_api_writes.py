"""API writes (API-5): annotations and model predictions, ground truth, overrides and reviews, through the
portals' write functions; all-or-nothing with every error listed; the role matrix; token and session
authentication with CSRF (SEC-2/6)."""

# The cast's fixtures are imported, so pytest finds them; test arguments then "redefine" the names.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.ground_truth import version_token
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog import question_types
from catalog.models import ApiToken
from catalog.tokens import issue_token
from tests.support.api_cast import parts, record

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Answer.objects.count(),
        GroundTruth.objects.count(),
        AnswerReview.objects.count(),
        GroundTruthHistory.objects.count(),
    )


def post(client, url, body):
    return client.post(url, body, format="json")


# --------------------------------------------------------------------------- the role matrix


def test_every_write_endpoint_answers_each_role_as_the_matrix_says(clients, cast, project, seeded):
    group, single, description, (_v1, v2) = parts(project)
    gt = record(project, v2, group, {single: "yes", description: "Truth."})
    override = record(project, parts(project)[3][0], group, {single: "no", description: "A dog."})
    review = {
        "project_name": project.name,
        "video_uid": parts(project)[3][0].video_uid,
        "question_text": description.text,
        "user_name": "Ann Otator",
        "status": "rejected",
    }
    matrix = [
        (
            "/api/annotations/",
            lambda role: [record(project, v2, group, {single: "no", description: f"{role} says"})],
            {"annotator": 200, "reviewer": 200, "admin": 200, "model": 200, "outsider": 404, "anonymous": 401},
        ),
        (
            "/api/ground-truth/",
            lambda role: [gt],
            {"annotator": 403, "reviewer": 200, "admin": 200, "model": 403, "outsider": 404, "anonymous": 401},
        ),
        (
            "/api/ground-truth/override/",
            lambda role: [override],
            {"annotator": 403, "reviewer": 403, "admin": 200, "model": 403, "outsider": 403, "anonymous": 401},
        ),
        (
            "/api/reviews/",
            lambda role: [review],
            {"annotator": 403, "reviewer": 200, "admin": 200, "model": 403, "outsider": 404, "anonymous": 401},
        ),
    ]
    failures = []
    for url, body, expected in matrix:
        for role, status in expected.items():
            before = counts()
            response = post(clients[role], url, body(role))
            if response.status_code != status:
                failures.append(f"{role} POST {url}: {response.status_code}, expected {status}: {response.json()}")
            if status != 200 and counts() != before:
                failures.append(f"{role} POST {url}: refused but wrote rows")
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- model predictions


def test_model_pushes_predictions_with_a_token_and_reviewers_see_them_in_vote_shares(
    client, clients, cast, project, reviewer
):
    group, single, description, (v1, _v2) = parts(project)
    body = [
        record(
            project,
            v1,
            group,
            {single: "yes", description: "A bowl of ramen."},
            user_name="Model 1",
            confidence_scores={single.text: 0.87, description.text: None},
            is_ground_truth=False,
        )
    ]
    # A script reads the project, then pushes its predictions.
    projects = clients["model"].get("/api/projects/").json()["results"]
    assert [p["name"] for p in projects] == [project.name]
    response = post(clients["model"], "/api/annotations/", body)
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "results": [{"index": 0, "status": "created"}],
    }
    stored = Answer.objects.get(user=cast["model"], question=single)
    assert (stored.value, stored.confidence_score) == ("yes", 0.87)

    client.force_login(reviewer)
    page = client.get(reverse("review:project", args=[project.pk]), {"ann": cast["model"].pk})
    assert page.status_code == 200
    assert "Yes — 100%: M1 (0.87)" in page.content.decode()


def test_reposting_the_same_predictions_is_unchanged_and_a_new_score_is_an_update(clients, cast, project):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "no", description: ""}, confidence_scores={single.text: 0.4})]
    assert post(clients["model"], "/api/annotations/", body).json()["created"] == 1
    again = post(clients["model"], "/api/annotations/", body).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 1, "results": [{"index": 0, "status": "unchanged"}]}
    before = Answer.objects.get(question=single, user=cast["model"]).modified_at
    body[0]["confidence_scores"] = {single.text: 0.9}
    assert post(clients["model"], "/api/annotations/", body).json()["updated"] == 1
    answer = Answer.objects.get(question=single, user=cast["model"])
    assert answer.confidence_score == 0.9 and answer.modified_at > before
    # An absent score is null (SYNC-ANN-8): dropping it is a change too.
    del body[0]["confidence_scores"]
    assert post(clients["model"], "/api/annotations/", body).json()["updated"] == 1
    assert Answer.objects.get(question=single, user=cast["model"]).confidence_score is None


# --------------------------------------------------------------------------- refusals: every error, nothing written


def test_a_bulk_with_errors_writes_nothing_and_lists_every_error_with_index_and_field(clients, project):
    group, single, description, (v1, v2) = parts(project)
    body = [
        record(project, v1, group, {single: "yes", description: "fine"}),  # valid, but must not be written
        record(project, v2, group, {single: "maybe", description: "x"}),
        {**record(project, v1, group, {single: "yes"}), "video_uid": "nope.mp4"},
        {"project_name": project.name, "answers": {single.text: 1}, "colour": "red"},
    ]
    response = post(clients["annotator"], "/api/annotations/", body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"index": 1, "field": "answers", "message": f'"maybe" is not an option of "{single.text}"'} in errors
    assert {"index": 2, "field": "video_uid", "message": f'video "nope.mp4" is not in project "{project.name}"'} in (
        errors
    )
    assert {"index": 2, "field": "answers", "message": f'missing: "{description.text}"'} in errors
    assert {"index": 3, "field": "colour", "message": "unexpected key"} in errors
    assert {"index": 3, "field": "video_uid", "message": "This field is required."} in errors
    assert not any(e["index"] == 0 for e in errors)
    assert not Answer.objects.exists()


def test_shape_errors_name_each_field(clients, project):
    group, single, description, (v1, _v2) = parts(project)
    body = [{"project_name": project.name, "video_uid": v1.video_uid, "answers": {single.text: 1}}]
    errors = post(clients["annotator"], "/api/annotations/", body).json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {(0, "question_group_title"), (0, f"answers.{single.text}")}
    assert {"index": 0, "field": "question_group_title", "message": "This field is required."} in errors


@pytest.mark.parametrize(
    "body", [[], {"question_group_title": "x"}, "text", [{}] * 1001], ids=["empty", "object", "string", "1001"]
)
def test_the_body_must_be_a_list_of_1_to_1000_records(clients, body):
    response = post(clients["annotator"], "/api/annotations/", body)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"index": None, "field": "", "message": "expected a JSON list of 1 to 1000 records"}]
    }


def test_outsider_gets_404_and_the_same_message_as_for_an_unknown_project(clients, project):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: ""})]
    response = post(clients["outsider"], "/api/annotations/", body)
    assert response.status_code == 404
    assert response.json()["errors"] == [
        {"index": 0, "field": "project_name", "message": f'no project "{project.name}"'}
    ]
    unknown = post(clients["outsider"], "/api/annotations/", [{**body[0], "project_name": "Nope"}])
    assert unknown.json()["errors"][0]["message"] == 'no project "Nope"'
    assert not Answer.objects.exists()


def test_annotators_write_only_their_own_answers(clients, project):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: ""}, user_name="Rev Iewer")]
    response = post(clients["annotator"], "/api/annotations/", body)
    assert response.status_code == 403
    assert response.json()["errors"] == [
        {"index": 0, "field": "user_name", "message": 'must be your own user_id ("Ann Otator")'}
    ]
    body = [record(project, v1, group, {single: "yes", description: ""}, is_ground_truth=True)]
    assert post(clients["annotator"], "/api/annotations/", body).json()["errors"][0]["field"] == "is_ground_truth"
    assert not Answer.objects.exists()


def test_the_same_record_twice_in_one_request_is_an_error(clients, project):
    group, single, description, (v1, _v2) = parts(project)
    one = record(project, v1, group, {single: "yes", description: ""})
    response = post(clients["annotator"], "/api/annotations/", [one, one])
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1
    assert not Answer.objects.exists()


def test_verification_functions_run_on_api_writes(clients, project):
    group, single, description, (v1, _v2) = parts(project)
    group.verification_function = "check_human_description"
    group.save()
    single.text, description.text = "Number of people?", "If there are people, describe them."
    single.options, single.display_values, single.option_weights = ["0", "1"], ["0", "1"], [1.0, 1.0]
    single.save()
    description.save()
    body = [record(project, v1, group, {single: "1", description: ""})]
    response = post(clients["annotator"], "/api/annotations/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Answer verification failed: Description must be")
    assert not Answer.objects.exists()


def test_training_mode_locks_changes_but_an_identical_repost_is_unchanged(clients, cast, project, seeded):
    group, single, description, (v1, v2) = parts(project)
    for q, value in ((single, "no"), (description, "x")):  # GT on both videos: training mode
        GroundTruth.objects.create(
            project=project, video=v2, question=q, value=value, reviewer_value=value, reviewer=cast["reviewer"]
        )
    same = [record(project, v1, group, {single: "yes", description: "A dog."})]
    assert post(clients["annotator"], "/api/annotations/", same).json()["unchanged"] == 1
    changed = [record(project, v1, group, {single: "no", description: "A dog."})]
    response = post(clients["annotator"], "/api/annotations/", changed)
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"index": 0, "field": "answers", "message": "already submitted in training mode"}
    ]
    assert Answer.objects.get(user=cast["annotator"], question=single).value == "yes"


def test_a_changed_description_resets_its_review(clients, cast, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: "A big dog."})]
    assert post(clients["annotator"], "/api/annotations/", body).json()["updated"] == 1
    assert not AnswerReview.objects.exists()  # DM-REV-3


def test_an_archived_users_token_is_refused(clients, cast):
    user = cast["model"]
    user.is_active = False
    user.save()
    response = clients["model"].get("/api/me/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Invalid token."
    assert ApiToken.objects.filter(user=user).exists()


# --------------------------------------------------------------------------- session authentication and CSRF


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(cast, project):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: ""})]
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(cast["annotator"])
    refused = post(browser, "/api/annotations/", body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["errors"][0]["message"]
    assert not Answer.objects.exists()
    page = browser.get("/account/token/")  # any page with a form sets the CSRF cookie
    assert page.status_code == 200
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/annotations/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 200, accepted.json()
    scripted = APIClient(enforce_csrf_checks=True)
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(cast['model'])}")
    assert post(scripted, "/api/annotations/", body).status_code == 200


# --------------------------------------------------------------------------- ground truth


def test_reviewer_sets_ground_truth_with_history_and_a_repost_is_unchanged(clients, cast, project):
    group, single, description, (_v1, v2) = parts(project)
    body = [record(project, v2, group, {single: "no", description: "Empty."}, user_name="Rev Iewer")]
    response = post(clients["reviewer"], "/api/ground-truth/", body)
    assert response.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "results": [{"index": 0, "status": "created"}],
    }
    assert GroundTruth.objects.filter(project=project, video=v2, reviewer=cast["reviewer"]).count() == 2
    assert set(GroundTruthHistory.objects.values_list("kind", "source")) == {("created", "review")}
    assert post(clients["reviewer"], "/api/ground-truth/", body).json()["unchanged"] == 1
    body[0]["answers"][single.text] = "yes"
    del body[0]["user_name"]
    admin_write = post(clients["admin"], "/api/ground-truth/", body).json()
    assert admin_write["updated"] == 1
    assert set(GroundTruth.objects.filter(video=v2).values_list("reviewer__user_id", flat=True)) == {"Admin One"}


def test_a_stale_version_is_refused_with_409_and_nothing_is_saved(clients, cast, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    version = clients["reviewer"].get("/api/ground-truth/").json()["results"][0]["version"]
    assert version == version_token(project, v1, [single, description])
    first = [record(project, v1, group, {single: "no", description: "A dog."}, version=version)]
    assert post(clients["admin"], "/api/ground-truth/", first).status_code == 200
    second = [record(project, v1, group, {single: "yes", description: "Two dogs."}, version=version)]
    response = post(clients["reviewer"], "/api/ground-truth/", second)
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["field"] == "version" and error["message"].startswith(f"Ground truth for '{group.display_title}'")
    assert error["message"].endswith("after you loaded it. Your answers were not saved.")
    assert GroundTruth.objects.get(video=v1, question=description).value == "A dog."


def test_ground_truth_confidence_scores_are_written_like_annotation_scores(clients, cast, project):
    """API-5 / SYNC-GT-1: GT records take optional confidence_scores; a question left out means null
    (SYNC-ANN-8); a score alone is a change but re-attributes nothing and writes no history."""
    group, single, description, (_v1, v2) = parts(project)
    body = [record(project, v2, group, {single: "no", description: "Sky."}, confidence_scores={single.text: 0.8})]
    assert post(clients["reviewer"], "/api/ground-truth/", body).json()["created"] == 1

    def scores():
        return dict(GroundTruth.objects.filter(video=v2).values_list("question__text", "confidence_score"))

    assert scores() == {single.text: 0.8, description.text: None}
    assert post(clients["reviewer"], "/api/ground-truth/", body).json()["unchanged"] == 1
    history = GroundTruthHistory.objects.count()

    body[0]["confidence_scores"] = {single.text: 0.9, description.text: 0.3}
    assert post(clients["admin"], "/api/ground-truth/", body).json()["updated"] == 1
    assert scores() == {single.text: 0.9, description.text: 0.3}
    assert set(GroundTruth.objects.filter(video=v2).values_list("reviewer__user_id", flat=True)) == {"Rev Iewer"}
    assert GroundTruthHistory.objects.count() == history

    del body[0]["confidence_scores"]
    assert post(clients["reviewer"], "/api/ground-truth/", body).json()["updated"] == 1
    assert scores() == {single.text: None, description.text: None}

    override = [record(project, v2, group, {single: "yes", description: "Sky."}, confidence_scores={single.text: 1})]
    assert post(clients["admin"], "/api/ground-truth/override/", override).json()["updated"] == 1
    row = GroundTruth.objects.get(video=v2, question=single)
    assert (row.value, row.reviewer_value, row.overridden_by, row.confidence_score) == ("yes", "no", cast["admin"], 1.0)

    body[0]["confidence_scores"] = {"Not a question?": 0.5}
    response = post(clients["reviewer"], "/api/ground-truth/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "confidence_scores"
    assert 'unexpected: "Not a question?"' in response.json()["errors"][0]["message"]


def test_annotators_and_models_cannot_set_ground_truth(clients, project):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "no", description: ""})]
    for role in ("annotator", "model"):
        response = post(clients[role], "/api/ground-truth/", body)
        assert response.status_code == 403
        assert response.json()["errors"][0] == {
            "index": 0,
            "field": "project_name",
            "message": "you may not set ground truth in this project",
        }
    assert not GroundTruth.objects.exists()


def test_admin_override_keeps_the_reviewer_and_locks_reviewers_out(clients, cast, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "no", description: "A dog."})]
    assert post(clients["admin"], "/api/ground-truth/override/", body).json()["updated"] == 1
    row = GroundTruth.objects.get(video=v1, question=single)
    assert (row.value, row.reviewer_value, row.reviewer, row.overridden_by) == (
        "no",
        "yes",
        cast["reviewer"],
        cast["admin"],
    )
    assert post(clients["admin"], "/api/ground-truth/override/", body).json()["unchanged"] == 1
    reviewer_try = post(
        clients["reviewer"], "/api/ground-truth/", [record(project, v1, group, {single: "yes", description: "x"})]
    )
    assert reviewer_try.status_code == 409  # PORTAL-REV-7
    assert post(clients["reviewer"], "/api/ground-truth/override/", body).status_code == 403


def test_override_needs_existing_ground_truth(clients, project):
    group, single, description, (_v1, v2) = parts(project)
    response = post(
        clients["admin"], "/api/ground-truth/override/", [record(project, v2, group, {single: "no", description: ""})]
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "No ground truth yet"


# --------------------------------------------------------------------------- reviews


def review(project, video, question, user_name, status):
    return {
        "project_name": project.name,
        "video_uid": video.video_uid,
        "question_text": question.text,
        "user_name": user_name,
        "status": status,
    }


def test_reviewer_reviews_description_answers(clients, cast, project, seeded):
    group, single, description, (v1, _v2) = parts(project)
    body = [
        review(project, v1, description, "Model 1", "rejected"),
        review(project, v1, description, "Ann Otator", "approved"),
    ]
    response = post(clients["reviewer"], "/api/reviews/", body)
    assert response.json()["results"] == [{"index": 0, "status": "created"}, {"index": 1, "status": "unchanged"}]
    model_answer = Answer.objects.get(user=cast["model"], question=description)
    assert (model_answer.review.status, model_answer.review.reviewer) == ("rejected", cast["reviewer"])
    reset = post(clients["reviewer"], "/api/reviews/", [review(project, v1, description, "Model 1", "pending")])
    assert reset.json()["updated"] == 1
    assert not AnswerReview.objects.filter(answer=model_answer).exists()


def test_review_refusals_write_nothing(clients, project, seeded):
    group, single, description, (v1, v2) = parts(project)
    before = counts()
    body = [
        review(project, v1, description, "Model 1", "approved"),
        review(project, v1, single, "Ann Otator", "approved"),
        review(project, v2, description, "Ann Otator", "approved"),
        {**review(project, v1, description, "Ann Otator", "great"), "extra": 1},
    ]
    response = post(clients["reviewer"], "/api/reviews/", body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {
        (1, "question_text"),
        (2, "user_name"),
        (3, "extra"),
        (3, "status"),
    }
    assert counts() == before
    assert post(clients["annotator"], "/api/reviews/", body[:1]).status_code == 403
    assert counts() == before


def test_submit_answers_leaves_scores_alone_unless_given(cast, project):
    """The portals pass no `confidence`: stored scores survive; the API passes them, absent meaning null."""
    from annotation.submission import submit_answers

    group, single, description, (v1, _v2) = parts(project)
    user = cast["model"]
    values = {single: "yes", description: "x"}
    first = submit_answers(user=user, project=project, video=v1, group=group, values=values, confidence={single: 0.7})
    assert first.written == 2
    again = submit_answers(user=user, project=project, video=v1, group=group, values=values)
    assert again.written == 0
    assert Answer.objects.get(user=user, question=single).confidence_score == 0.7
    cleared = submit_answers(user=user, project=project, video=v1, group=group, values=values, confidence={})
    assert cleared.written == 1
    assert Answer.objects.get(user=user, question=single).confidence_score is None


def test_a_question_of_a_type_no_longer_registered_is_a_400_not_a_description(clients, cast, project, monkeypatch):
    """docs/question_types.md: a stored qtype the code does not know is refused, whatever the endpoint."""
    group, single, description, (v1, _v2) = parts(project)
    Answer.objects.create(project=project, video=v1, question=description, user=cast["annotator"], value="A dog.")
    monkeypatch.delitem(question_types.TYPES, "description")
    unknown = f'question "{description.text}": "description" is not a question type (single, multiple)'
    body = [record(project, v1, group, {single: "yes", description: "A dog."})]
    response = post(clients["annotator"], "/api/annotations/", body)
    assert response.status_code == 400
    assert {"index": 0, "field": "answers", "message": unknown} in response.json()["errors"]
    review = {
        "project_name": project.name,
        "video_uid": v1.video_uid,
        "question_text": description.text,
        "user_name": cast["annotator"].user_id,
        "status": "approved",
    }
    response = post(clients["reviewer"], "/api/reviews/", [review])
    assert response.status_code == 400
    assert {"index": 0, "field": "question_text", "message": unknown} in response.json()["errors"]
    assert Answer.objects.get(question=description).value == "A dog." and not AnswerReview.objects.exists()
