"""Reviewer GT auto-submit by weighted consensus through the view (PORTAL-REV-11, SCORE-AUTO-4..7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotation.models import GroundTruth, GroundTruthHistory
from annotation.tests.portal import run_auto_submit
from catalog.models import Assignment
from catalog.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_preview_writes_nothing_and_explains(client, reviewer, project, voters):
    people, single, description = voters
    client.force_login(reviewer)
    body = run_auto_submit(
        client, project, "preview", people, **{f"t-{single.pk}": "50", f"t-{description.pk}": "60"}
    ).json()
    s = body["summary"]
    assert body["done"] and body["total"] == 2
    assert (s["submitted"], s["threshold"], s["skipped"]) == (2, 0, 0)  # 55.6% ≥ 50; "a man" 66.7% ≥ 60
    detail = s["details"][0]["questions"][0]
    assert detail["values"][0] == {"value": "yes", "label": "Yes", "weight": 2.5, "share": "55.5%"}
    assert detail["chosen"] == "Yes"
    assert not GroundTruth.objects.exists()


def test_threshold_failure_is_all_or_nothing_per_group(client, reviewer, project, voters):
    people, single, description = voters
    client.force_login(reviewer)
    s = run_auto_submit(
        client, project, "execute", people, **{f"t-{single.pk}": "60", f"t-{description.pk}": "60"}
    ).json()["summary"]
    assert (s["submitted"], s["threshold"]) == (0, 2)
    assert s["failures"][0]["reason"].endswith("Achieved 55.5% | Required 60%")
    assert not GroundTruth.objects.exists()


def test_execute_writes_gt_with_auto_submit_history_then_skips(client, reviewer, project, voters):
    people, single, description = voters
    client.force_login(reviewer)
    fields = {f"t-{single.pk}": "50", f"t-{description.pk}": "60"}
    s = run_auto_submit(client, project, "execute", people, **fields).json()["summary"]
    assert s["submitted"] == 2
    assert set(GroundTruth.objects.values_list("question_id", "value", "reviewer_id")) == {
        (single.pk, "yes", reviewer.pk),
        (description.pk, "a man", reviewer.pk),
    }
    assert set(GroundTruthHistory.objects.values_list("source", flat=True)) == {"auto_submit"}
    again = run_auto_submit(client, project, "execute", people, **fields).json()["summary"]
    assert (again["submitted"], again["skipped"]) == (0, 2)


def test_weights_and_fixed_description_source(client, reviewer, project, voters):
    people, single, description = voters
    a, b, c = people
    client.force_login(reviewer)
    fields = {f"w-{a.pk}": "2", f"src-{description.pk}": str(c.pk), f"t-{single.pk}": "0"}
    s = run_auto_submit(client, project, "execute", people, **fields).json()["summary"]
    assert s["tie"] == 2 and s["failures"][0]["reason"].endswith("tie between yes and no")  # W(yes)=W(no)=2
    fields[f"ow-{single.pk}-0"] = "1.5"  # ow(yes) = 1.5 breaks the tie
    assert run_auto_submit(client, project, "execute", people, **fields).json()["summary"]["submitted"] == 2
    assert GroundTruth.objects.get(question=description, video=project.videos.first()).value == "two men"


def test_only_completed_annotators_vote(client, reviewer, project, voters):
    people, single, description = voters
    late = UserFactory(user_id="Late Comer")
    Assignment.objects.create(user=late, project=project, role=Assignment.Role.ANNOTATOR)
    client.force_login(reviewer)
    response = run_auto_submit(client, project, "preview", [late])
    assert response.status_code == 400 and "completed annotator" in response.json()["error"]


def test_batches_cover_the_scope(client, reviewer, project, voters, monkeypatch):
    from annotation.autosubmit import consensus

    monkeypatch.setattr(consensus, "BATCH", 1)
    people, single, description = voters
    client.force_login(reviewer)
    first = run_auto_submit(client, project, "preview", people, start="0").json()
    second = run_auto_submit(client, project, "preview", people, start=str(first["next"])).json()
    assert (first["done"], first["next"], second["done"], second["next"]) == (False, 1, True, 2)


def test_outsider_and_meta_cannot_auto_submit(client, outsider, project, voters):
    people, *_ = voters
    client.force_login(outsider)
    assert run_auto_submit(client, project, "execute", people).status_code == 404
    assert client.post(reverse("meta:auto_submit", args=[project.pk]), {}).status_code == 403
    assert not GroundTruth.objects.exists()


def test_preload_returns_winners_ignoring_thresholds_and_writes_nothing(client, reviewer, project, voters):
    people, single, description = voters
    a, b, c = people
    client.force_login(reviewer)
    video = project.videos.order_by("project_links__position").first()
    group = project.schema.memberships.get().group
    body = run_auto_submit(client, project, "preload", people, **{f"w-{a.pk}": "2"}).json()
    field = f"v{video.pk}g{group.pk}-q{single.pk}"
    assert body["preload"][field] == {"value": "yes", "tied": True}  # SCORE-VOTE-4: tie broken by option order
    assert body["preload"][f"v{video.pk}g{group.pk}-q{description.pk}"] == {"value": "a man", "tied": False}
    assert not GroundTruth.objects.exists()
