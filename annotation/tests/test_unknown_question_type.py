"""A stored qtype no registered type has is refused by the write functions, never read as a description
(docs/question_types.md). The API's 400 is in test_api_writes; sync's errors are in syncing/tests."""

from __future__ import annotations

import pytest

from annotation.submission import SubmissionRefused, check_values
from catalog import question_types


@pytest.mark.django_db
def test_portal_and_api_writes_refuse_a_type_no_longer_registered(project, monkeypatch):
    single, description = project.schema.memberships.get().group.ordered_questions()
    check_values([single, description], {single: "yes", description: "A dog."})
    monkeypatch.delitem(question_types.TYPES, "description")
    with pytest.raises(SubmissionRefused, match=r'question "Describe thing \d+\.": "description" is not a question'):
        check_values([single, description], {single: "yes", description: "A dog."})
