"""update_rows (issue 16.8): each row gets its own values, NULLs and datetimes included, on both engines,
in chunks under the engine's parameter limit."""

import datetime

import pytest
from django.utils import timezone

from annotation.models import Answer
from annotation.tests.factories import AnswerFactory
from labelpizza.row_updates import MAX_PARAMS, update_rows

pytestmark = pytest.mark.django_db


def test_every_row_gets_its_own_values_and_nulls(project, annotator):
    answers = [AnswerFactory(project=project, user=annotator, confidence_score=0.5) for _ in range(3)]
    when = timezone.now() - datetime.timedelta(days=2)
    for i, a in enumerate(answers):
        a.value, a.confidence_score, a.modified_at = f"v{i}", None if i == 1 else i / 10, when
    assert update_rows(Answer, answers, ["value", "confidence_score", "modified_at"]) == 1
    stored = {a.pk: (a.value, a.confidence_score, a.modified_at) for a in Answer.objects.all()}
    assert stored == {a.pk: (f"v{i}", None if i == 1 else i / 10, when) for i, a in enumerate(answers)}


def test_many_rows_go_in_chunks(project, annotator, django_assert_max_num_queries, monkeypatch):
    from django.db import connection

    monkeypatch.setitem(MAX_PARAMS, connection.vendor, 6)  # (pk, value) per row: 3 rows a statement
    answers = [AnswerFactory(project=project, user=annotator) for _ in range(4)]
    for a in answers:
        a.value = f"new {a.pk}"
    with django_assert_max_num_queries(2):
        assert update_rows(Answer, answers, ["value"]) == 2
    assert all(a.value == f"new {a.pk}" for a in Answer.objects.all())
    assert update_rows(Answer, [], ["value"]) == 0
