"""Bulk API writes under load (issue 16, points 7 and 8): a fixed number of queries per batch, one lock
order, and a lost race answered 409 in the error envelope.

The query counts are compared between a 2-record and a 50-record batch of each write endpoint: they
must be the same but for SQLite's chunking of bulk statements, so the documented 1,000-record batch
runs the same few queries (bench/api_writes.py has the timings). The two-thread test needs
PostgreSQL's row locks; on SQLite writers queue on the database lock and cannot deadlock.
"""

# ruff: noqa: F811

from __future__ import annotations

import threading

import psycopg.errors
import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from annotation import bulk_writes
from annotation.models import Answer, AnswerReview, GroundTruth
from catalog.models import Assignment, ProjectVideo
from catalog.tests.factories import VideoFactory
from catalog.tokens import issue_token
from labelpizza.db_errors import DatabaseUnavailableMiddleware
from tests.support.api_cast import parts, record

pytestmark = pytest.mark.django_db

N = 50


@pytest.fixture
def many_videos(project):
    """The cast's project grows to N videos."""
    start = ProjectVideo.objects.filter(project=project).count()
    ProjectVideo.objects.bulk_create(
        ProjectVideo(project=project, video=VideoFactory(), position=start + i) for i in range(N - start)
    )
    return list(project.videos.order_by("project_links__position"))


def body(project, videos, values_of) -> list[dict]:
    group, single, description, _ = parts(project)
    return [record(project, v, group, values_of(single, description, i)) for i, v in enumerate(videos)]


def queries(client, path, records) -> int:
    client.get("/api/me/")  # the token's last use is recorded once a minute: not in the count
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, records, format="json")
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries)


def constant(small: int, large: int) -> bool:
    """The same queries, give or take the chunks SQLite splits a bulk INSERT or UPDATE into (999
    variables each) and the one UPDATE of completed_at when the batch completes the project."""
    return small <= large <= small + 3


def created(single, description, i):
    return {single: "yes", description: f"video {i}"}


def changed(single, description, i):
    return {single: "no", description: f"video {i}, again"}


@pytest.mark.parametrize("path", ["/api/annotations/", "/api/ground-truth/"])
def test_issue_16_8_a_batch_costs_the_same_queries_for_2_and_50_records(clients, project, many_videos, path):
    client = clients["reviewer"]
    small = queries(client, path, body(project, many_videos[:2], created))
    large = queries(client, path, body(project, many_videos[2:], created))
    assert constant(small, large), (small, large)
    # Updates too: every row changes, stale reviews and history included.
    small = queries(client, path, body(project, many_videos[:2], changed))
    large = queries(client, path, body(project, many_videos[2:], changed))
    assert constant(small, large), (small, large)
    model = Answer if path == "/api/annotations/" else GroundTruth
    assert model.objects.filter(project=project, value="no").count() == N


def test_issue_16_8_overrides_and_reviews_cost_the_same_queries_for_2_and_50_records(
    clients, cast, project, many_videos
):
    group, single, description, _ = parts(project)
    assert (
        clients["reviewer"].post("/api/ground-truth/", body(project, many_videos, created), format="json").status_code
        == 200
    )
    small = queries(clients["admin"], "/api/ground-truth/override/", body(project, many_videos[:2], changed))
    large = queries(clients["admin"], "/api/ground-truth/override/", body(project, many_videos[2:], changed))
    assert constant(small, large), (small, large)
    assert GroundTruth.objects.filter(overridden_by=cast["admin"]).count() == 2 * N

    assert (
        clients["annotator"].post("/api/annotations/", body(project, many_videos, created), format="json").status_code
        == 200
    )

    def reviews(videos, status):
        return [
            {
                "project_name": project.name,
                "video_uid": v.video_uid,
                "question_text": description.text,
                "user_name": "Ann Otator",
                "status": status,
            }
            for v in videos
        ]

    small = queries(clients["reviewer"], "/api/reviews/", reviews(many_videos[:2], "approved"))
    large = queries(clients["reviewer"], "/api/reviews/", reviews(many_videos[2:], "approved"))
    assert constant(small, large), (small, large)
    assert AnswerReview.objects.filter(status="approved").count() == N
    small = queries(clients["reviewer"], "/api/reviews/", reviews(many_videos[:2], "pending"))
    large = queries(clients["reviewer"], "/api/reviews/", reviews(many_videos[2:], "pending"))
    assert constant(small, large) and not AnswerReview.objects.exists()


def test_issue_16_8_every_refusal_of_a_large_batch_is_listed_and_nothing_is_written(clients, project, many_videos):
    records = body(project, many_videos, created)
    records[7]["answers"][parts(project)[1].text] = "maybe"
    records[30]["video_uid"] = "nope.mp4"
    response = clients["annotator"].post("/api/annotations/", records, format="json")
    assert response.status_code == 400
    assert [e["index"] for e in response.json()["errors"]] == [7, 30]
    assert not Answer.objects.exists()


# --------------------------------------------------------------------------- lost races: 409, not 503


def deadlock() -> OperationalError:
    exc = OperationalError("deadlock detected")
    exc.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return exc


def test_issue_16_7_a_deadlock_is_a_409_in_the_error_envelope(clients, project, monkeypatch):
    def lose(**kwargs):
        raise deadlock()

    monkeypatch.setattr(bulk_writes, "submit_answer_batch", lose)
    group, single, description, (v1, _v2) = parts(project)
    response = clients["annotator"].post(
        "/api/annotations/", [record(project, v1, group, {single: "yes", description: "x"})], format="json"
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"].startswith("another write to the same videos ran at the same")


def test_issue_16_7_portal_pages_say_retry_for_a_conflict_and_keep_503_for_a_lost_database(rf):
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    conflict = middleware.process_exception(rf.post("/annotate/1/videos/2/groups/3/"), deadlock())
    assert conflict.status_code == 409 and "Someone else was saving" in conflict.content.decode()
    locked = middleware.process_exception(rf.post("/review/1/"), OperationalError("database is locked"))
    assert locked.status_code == 409
    lost = middleware.process_exception(rf.get("/annotate/"), OperationalError("connection refused"))
    assert lost.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_issue_16_7_two_batches_in_opposite_orders_do_not_deadlock(project, annotator, reviewer):
    """Two reviewers post GT for the same 40 videos, one forwards and one backwards, five rounds."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (and so deadlocks) are PostgreSQL's; SQLite runs one writer at a time")
    start = ProjectVideo.objects.filter(project=project).count()
    ProjectVideo.objects.bulk_create(
        ProjectVideo(project=project, video=VideoFactory(), position=start + i) for i in range(40 - start)
    )
    videos = list(project.videos.order_by("project_links__position"))
    Assignment.objects.create(user=annotator, project=project, role=Assignment.Role.REVIEWER)
    keys = {user.pk: issue_token(user) for user in (annotator, reviewer)}
    statuses: list[int] = []

    def post(user, order, round_):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {keys[user.pk]}")
        values = lambda single, description, i: {single: "yes", description: f"{user.pk} round {round_}"}  # noqa: E731
        try:
            response = client.post("/api/ground-truth/", body(project, order, values), format="json")
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    for round_ in range(5):
        threads = [
            threading.Thread(target=post, args=(annotator, videos, round_)),
            threading.Thread(target=post, args=(reviewer, videos[::-1], round_)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert statuses == [200] * 10, statuses
    assert GroundTruth.objects.filter(project=project).count() == 2 * len(videos)
