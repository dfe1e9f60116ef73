"""The answers and auto-submit planners, tested directly (no HTTP, no database)."""

from annotation.planning.answers import plan_answers
from annotation.planning.defaults import plan_defaults
from annotation.planning.reviews import CREATE, DELETE, UPDATE, review_change, wanted_review

QUESTIONS = [(3, "Color?"), (4, "Notes")]
SCOPE = (1, 2, 9)  # project, video, user
REVIEWER = 20


def stored(**rows):
    """Stored answers by text: Color=(id, value, score), keyed as the planner reads them."""
    ids = {"Color": 3, "Notes": 4}
    return {(1, 2, ids[name], 9): row for name, row in rows.items()}


def plan(existing=None, values=None, scores=None, reviews=None, stored_reviews=None):
    return plan_answers(
        scope=SCOPE,
        questions=QUESTIONS,
        values=values or {"Color?": "red", "Notes": "ok"},
        scores=scores,
        reviews=reviews,
        existing=existing or {},
        stored_reviews=stored_reviews or {},
    )


def test_a_first_submission_creates_every_answer():
    """DM-ANS-3: answers are written a whole group at a time."""
    result = plan()
    assert result.creates == [(3, "red", None, None), (4, "ok", None, None)]
    assert result.value_changes == ["Color?", "Notes"] and result.updates == []


def test_an_identical_write_plans_nothing():
    """SYNC-ANN-8: unchanged when values, scores and listed reviews are equal."""
    assert plan(stored(Color=(7, "red", None), Notes=(8, "ok", None)), scores={}) is None


def test_only_changed_answers_are_written():
    """SYNC-ANN-8: only changed answers are written."""
    result = plan(stored(Color=(7, "blue", None), Notes=(8, "ok", None)))
    assert result.updates == [(7, "red", None)] and result.creates == []


def test_a_missing_score_is_null_and_none_keeps_the_stored_scores():
    """SYNC-ANN-8 (missing equals null) and DM-ANS-1 (a score change is a change); the portals pass None."""
    existing = stored(Color=(7, "red", 0.5), Notes=(8, "ok", None))
    assert plan(existing, scores=None) is None
    result = plan(existing, scores={})
    assert result.updates == [(7, "red", None)] and result.scores_changed


def test_a_changed_value_drops_its_review():
    """DM-REV-3: the verdict was about the old text."""
    existing = stored(Color=(7, "red", None), Notes=(8, "ok", None))
    result = plan(existing, values={"Color?": "red", "Notes": "better"}, stored_reviews={8: (50, "approved", REVIEWER)})
    assert result.review_deletes == [50] and result.updates == [(8, "better", None)]


def test_an_unlisted_review_stays_while_its_answer_does():
    """SYNC-ANN-8: a changed value drops its review unless one is given; listed reviews follow."""
    existing = stored(Color=(7, "red", None), Notes=(8, "ok", None))
    assert plan(existing, scores={}, stored_reviews={8: (50, "approved", REVIEWER)}) is None


def test_listed_reviews_are_created_set_or_reset_to_pending():
    """SYNC-ANN-8 and DM-REV-1: no review means pending."""
    existing = stored(Color=(7, "red", None), Notes=(8, "ok", None))
    created = plan(existing, scores={}, reviews={"Notes": ("approved", REVIEWER)})
    assert created.review_creates == [(8, "approved", REVIEWER)] and created.reviews_written == {"Notes"}
    changed = plan(
        existing, scores={}, reviews={"Notes": ("rejected", REVIEWER)}, stored_reviews={8: (50, "approved", REVIEWER)}
    )
    assert changed.review_updates == [(50, "rejected", REVIEWER)]
    reset = plan(existing, scores={}, reviews={"Notes": None}, stored_reviews={8: (50, "approved", REVIEWER)})
    assert reset.review_deletes == [50] and reset.reviews_changed


def test_a_new_answer_carries_its_listed_review():
    result = plan(reviews={"Notes": ("approved", REVIEWER)})
    assert result.creates[1] == (4, "ok", None, ("approved", REVIEWER))


# --------------------------------------------------------------------------- auto-submit defaults

GROUPS = [("Colors", "check", [(3, "Color?", "red"), (4, "Notes", "")]), ("Size", None, [(5, "Size?", None)])]


def test_defaults_fill_the_missing_questions_and_keep_given_answers():
    """SCORE-AUTO-1 (existing answers are kept) and SCORE-AUTO-2 (defaults; no default fails the group)."""
    seen = []
    result = plan_defaults(
        groups=GROUPS,
        video_ids=[1, 2],
        have={(1, 3): "blue", (2, 3): "red", (2, 4): "x"},
        verify=lambda function, values: seen.append((function, values)) or True,
    )
    assert result.creates == [(1, 4, "")]
    assert seen == [("check", {"Color?": "blue", "Notes": ""})]
    assert (result.submitted, result.failed_no_default, result.video_ids) == (1, 2, [1])
    assert result.by_group == {"Colors": 1}


def test_a_group_failing_verification_is_counted_and_not_written():
    """SCORE-AUTO-2: verification failures are skipped and counted."""
    result = plan_defaults(groups=GROUPS[:1], video_ids=[1], have={}, verify=lambda function, values: False)
    assert result.creates == [] and result.failed_verification == 1 and result.video_ids == []


# --------------------------------------------------------------------------- reviews of description answers


def test_a_review_is_created_updated_reset_or_left():
    """DM-REV-1: a review records approved or rejected and the reviewer; no review means pending."""
    assert review_change(None, wanted_review("approved", REVIEWER)) == (CREATE, ("approved", REVIEWER))
    assert review_change(None, wanted_review("pending", REVIEWER)) is None
    assert review_change((50, "approved", 7), wanted_review("approved", REVIEWER)) == (
        UPDATE,
        (50, "approved", REVIEWER),
    )
    assert review_change((50, "approved", REVIEWER), wanted_review("approved", REVIEWER)) is None
    assert review_change((50, "rejected", 7), wanted_review("pending", REVIEWER)) == (DELETE, (50,))
