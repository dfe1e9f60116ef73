"""Non-finite numbers are refused wherever a number is read (issue 16, point 12): the auto-submit
panels of reviewers and annotators, the admin's option weights, API confidence scores and sync files.
Python's float() takes "inf", "nan" and "1e999"; none of them may become a weight or a threshold."""

# ruff: noqa: F811

from __future__ import annotations

import json

import pytest

from annotation.models import Answer, GroundTruth
from annotation.tests.portal import run_auto_submit, run_defaults
from catalog.models import Assignment
from syncing.helpers import SyncError, sync_annotations, sync_users_to_projects
from tests.support.api_cast import parts, record

pytestmark = pytest.mark.django_db

NON_FINITE = ["inf", "-inf", "nan", "1e999", "Infinity"]


@pytest.mark.parametrize("action", ["preview", "execute"])
@pytest.mark.parametrize("raw", NON_FINITE)
def test_issue_16_12_reviewer_auto_submit_refuses_an_infinite_weight(client, reviewer, project, voters, action, raw):
    people, single, description = voters
    client.force_login(reviewer)
    response = run_auto_submit(client, project, action, people, **{f"w-{people[0].pk}": raw, f"t-{single.pk}": "90"})
    assert response.status_code == 400
    assert response.json() == {"error": "Weights and thresholds must be finite numbers."}
    assert not GroundTruth.objects.exists()


@pytest.mark.parametrize("key", ["t-{single}", "ow-{single}-0"])
def test_issue_16_12_reviewer_auto_submit_refuses_infinite_thresholds_and_option_weights(
    client, reviewer, project, voters, key
):
    people, single, description = voters
    client.force_login(reviewer)
    response = run_auto_submit(client, project, "execute", people, **{key.format(single=single.pk): "inf"})
    assert response.status_code == 400 and not GroundTruth.objects.exists()


def test_finite_weights_still_work(client, reviewer, project, voters):
    people, single, description = voters
    client.force_login(reviewer)
    response = run_auto_submit(client, project, "preview", people, **{f"w-{people[0].pk}": "1e3", f"t-{single.pk}": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("raw", NON_FINITE)
def test_issue_16_12_annotator_default_answers_refuse_an_infinite_threshold(client, annotator, project, raw):
    group, single, description, _videos = parts(project)
    client.force_login(annotator)
    fields = {f"d-{single.pk}": ["yes"], f"t-{single.pk}": raw}
    response = run_defaults(client, project, "execute", group, **fields)
    assert response.status_code == 400 and "finite" in response.json()["error"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("score", [float("inf"), float("nan")])
def test_issue_16_12_api_confidence_scores_refuse_non_finite_numbers(clients, project, score):
    group, single, description, (v1, _v2) = parts(project)
    body = [record(project, v1, group, {single: "yes", description: "x"}, confidence_scores={single.text: score})]
    # json.dumps writes Infinity / NaN, which is not JSON; 1e999 is JSON and overflows to inf.
    for raw in (json.dumps(body), json.dumps(body).replace("Infinity", "1e999").replace("NaN", "-1e999")):
        response = clients["model"].post("/api/annotations/", raw, content_type="application/json")
        assert response.status_code == 400, raw
    assert not Answer.objects.exists()


def test_issue_16_12_sync_refuses_an_overflowing_user_weight(tmp_path, project, annotator):
    path = tmp_path / "assignments.json"
    row = {"user_name": "Ann Otator", "project_name": project.name, "role": "annotator", "user_weight": 7}
    path.write_text(json.dumps([row | {"is_active": True}]).replace(": 7,", ": 1e999,"))
    with pytest.raises(SyncError) as exc:
        sync_users_to_projects(assignments_path=str(path), quiet=True)
    assert "user_weight" in str(exc.value) and "finite" in str(exc.value)
    assert Assignment.objects.get(user=annotator).user_weight == 1.0


def test_issue_16_12_sync_refuses_an_overflowing_confidence_score(tmp_path, project, model):
    group, single, description, (v1, _v2) = parts(project)
    rec = record(project, v1, group, {single: "yes", description: "x"}, user_name="Model 1", is_ground_truth=False)
    rec["confidence_scores"] = {single.text: 7}
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps([rec]).replace(": 7}", ": 1e999}"))
    with pytest.raises(SyncError) as exc:
        sync_annotations(annotations_path=str(path), quiet=True)
    assert "confidence_scores" in str(exc.value) and "finite" in str(exc.value)
    assert not Answer.objects.exists()
