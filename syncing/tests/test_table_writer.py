"""The per-engine writer behind sync (issue 13, SYNC-GEN-13): plain tuples in, the same rows as the ORM
would write, and on PostgreSQL large loads validated by the database in one pass per foreign key."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from annotation.models import Answer, AnswerReview
from catalog.tests.factories import ProjectFactory, SingleQuestionFactory, UserFactory, VideoFactory
from syncing import table_writer as writer_module
from syncing.table_writer import table_writer

pytestmark = pytest.mark.django_db
COLUMNS = ("project_id", "video_id", "question_id", "user_id", "value", "confidence_score", "created_at", "modified_at")


@pytest.fixture
def scope():
    project, question, user = ProjectFactory(), SingleQuestionFactory(), UserFactory()
    videos = [VideoFactory() for _ in range(3)]
    return project, question, user, videos


def foreign_keys(table: str) -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, convalidated, condeferrable, condeferred FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        return cursor.fetchall()


def test_insert_update_delete_write_what_the_orm_reads_back(scope):
    project, question, user, videos = scope
    now, writer = timezone.now(), table_writer()
    (numbered,) = writer.new_ids(Answer, 1)
    writer.insert(
        Answer, ("id", *COLUMNS), [(numbered, project.id, videos[0].id, question.id, user.id, "yes", None, now, now)]
    )
    writer.insert(Answer, COLUMNS, [(project.id, v.id, question.id, user.id, "no", 0.5, now, now) for v in videos[1:]])
    answers = {a.video_id: a for a in Answer.objects.all()}
    assert answers[videos[0].id].pk == numbered
    assert answers[videos[1].id].pk > numbered  # later rows never reuse an allocated id
    assert [answers[v.id].value for v in videos] == ["yes", "no", "no"]
    assert answers[videos[1].id].confidence_score == 0.5
    assert answers[videos[0].id].created_at == now

    later = now + timezone.timedelta(minutes=1)
    writer.insert(
        AnswerReview, ("answer_id", "status", "reviewer_id", "reviewed_at"), [(numbered, "approved", user.id, now)]
    )
    writer.update(Answer, ("value", "confidence_score", "modified_at"), [(numbered, "maybe", 0.25, later)])
    review = AnswerReview.objects.get()
    writer.update(AnswerReview, ("status", "reviewer_id", "reviewed_at"), [(review.pk, "rejected", user.id, later)])
    changed = Answer.objects.get(pk=numbered)
    assert (changed.value, changed.confidence_score, changed.modified_at, changed.created_at) == (
        "maybe",
        0.25,
        later,
        now,
    )
    assert AnswerReview.objects.get().status == "rejected"
    writer.delete(AnswerReview, [review.pk])
    assert not AnswerReview.objects.exists()


def test_large_load_keeps_every_foreign_key(scope, monkeypatch):
    """A large load swaps the row checks for whole-table validation; the constraints come back unchanged."""
    monkeypatch.setattr(writer_module, "LARGE_LOAD", 1)
    project, question, user, videos = scope
    now, writer, table = timezone.now(), table_writer(), Answer._meta.db_table
    before = foreign_keys(table)
    with writer.large_load(Answer, len(videos)):
        if connection.vendor == "postgresql":
            assert foreign_keys(table) == []
        writer.insert(Answer, COLUMNS, [(project.id, v.id, question.id, user.id, "no", None, now, now) for v in videos])
    assert foreign_keys(table) == before
    assert Answer.objects.count() == 3


def test_large_load_with_a_missing_reference_is_refused(scope, monkeypatch):
    """Integrity stays with the database: a row naming no video fails the load, and nothing stays written."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its row checks (no relaxed load)")
    monkeypatch.setattr(writer_module, "LARGE_LOAD", 1)
    project, question, user, _ = scope
    now, writer = timezone.now(), table_writer()
    with pytest.raises(IntegrityError), transaction.atomic(), writer.large_load(Answer, 1):
        writer.insert(Answer, COLUMNS, [(project.id, 987_654, question.id, user.id, "no", None, now, now)])
    assert not Answer.objects.exists()
    assert len(foreign_keys(Answer._meta.db_table)) == 4


def test_example_workspace_synced_as_a_large_load(monkeypatch):
    """The whole example workspace through the relaxed path: same rows, constraints intact."""
    from pathlib import Path

    from annotation.models import GroundTruth, GroundTruthHistory
    from syncing.helpers import sync_from_folder

    monkeypatch.setattr(writer_module, "LARGE_LOAD", 1)
    tables = [m._meta.db_table for m in (Answer, AnswerReview, GroundTruth, GroundTruthHistory)]
    before = [foreign_keys(t) for t in tables]
    sync_from_folder(Path(__file__).resolve().parents[2] / "fixtures" / "example", quiet=True)
    assert [foreign_keys(t) for t in tables] == before
    assert Answer.objects.count() > 0 and GroundTruth.objects.count() > 0 and GroundTruthHistory.objects.count() > 0
    again = sync_from_folder(Path(__file__).resolve().parents[2] / "fixtures" / "example", quiet=True)
    assert again.change_count == 0
