"""The ground-truth planners and the one history generator, tested directly (no HTTP, no database)."""

import datetime

from annotation.planning.ground_truth import merge_plans, plan_declared, plan_override, plan_review
from annotation.planning.gt_history import GTState, entries

AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
KEY = (1, 2, 3)  # project, video, question
QUESTIONS = [(3, "Color?"), (4, "Notes")]
REVIEWER, OTHER, ADMIN = 10, 11, 20


def row(gt_id, value, reviewer, reviewer_value=None, overridden_by=None, score=None):
    """A stored GT row as the planners read it (GT_ROW)."""
    overridden_at = AT - datetime.timedelta(days=1) if overridden_by else None
    return (
        gt_id,
        value,
        reviewer,
        value if reviewer_value is None else reviewer_value,
        overridden_by,
        overridden_at,
        score,
    )


def kinds(history):
    return [h[6] for h in history]


# --------------------------------------------------------------------------- the history generator


def test_a_new_row_logs_created_then_its_override():
    """DM-HIST-1: the reviewer's layer first, then the admin's."""
    history = entries(KEY, None, GTState("red", REVIEWER, "blue", ADMIN), actor_id=REVIEWER, source="sync", at=AT)
    assert history == [
        (1, 2, 3, AT, REVIEWER, "sync", "created", None, "blue", REVIEWER, None),
        (1, 2, 3, AT, ADMIN, "sync", "overridden", "blue", "red", REVIEWER, ADMIN),
    ]


def test_no_change_logs_nothing():
    """DM-HIST-2: a write that changes nothing adds no entry."""
    state = GTState("red", REVIEWER, "red", None)
    assert entries(KEY, state, state, actor_id=REVIEWER, source="review", at=AT) == []


def test_an_attribution_only_change_is_reattributed():
    """DM-GT-3: an attribution-only change is `reattributed`."""
    history = entries(
        KEY,
        GTState("red", OTHER, "red", None),
        GTState("red", REVIEWER, "red", None),
        actor_id=REVIEWER,
        source="review",
        at=AT,
    )
    assert history == [(1, 2, 3, AT, REVIEWER, "review", "reattributed", "red", "red", REVIEWER, None)]


def test_clearing_an_override_is_by_the_acting_admin_and_a_hard_delete_reverts():
    """DM-GT-2 and DM-HIST-1 (override_cleared; reverted for hard delete, OVR-DEL-2)."""
    old, new = GTState("red", REVIEWER, "blue", ADMIN), GTState("blue", REVIEWER, "blue", None)
    assert entries(KEY, old, new, actor_id=ADMIN, source="override", at=AT) == [
        (1, 2, 3, AT, ADMIN, "override", "override_cleared", "red", "blue", REVIEWER, None)
    ]
    assert kinds(entries(KEY, old, new, actor_id=None, source="hard_delete", at=AT)) == ["reverted"]


def test_a_deleted_row_logs_deleted_with_nobody_attributed():
    history = entries(KEY, GTState("red", REVIEWER, "red", None), None, actor_id=None, source="hard_delete", at=AT)
    assert history == [(1, 2, 3, AT, None, "hard_delete", "deleted", "red", None, None, None)]


# --------------------------------------------------------------------------- reviewer writes


def review(existing, values, scores=None):
    return plan_review(
        video_key=(1, 2),
        questions=QUESTIONS,
        values=values,
        scores=scores,
        reviewer_id=REVIEWER,
        existing=existing,
        source="review",
        at=AT,
    )


def test_a_first_review_creates_every_row_with_history():
    """PORTAL-REV-6 and DM-HIST-2."""
    plan = review({}, {"Color?": "red", "Notes": "ok"})
    assert plan.creates == [
        (1, 2, 3, "red", REVIEWER, "red", None, None, None),
        (1, 2, 4, "ok", REVIEWER, "ok", None, None, None),
    ]
    assert kinds(plan.history) == ["created", "created"] and plan.updates == []


def test_changing_one_value_attributes_the_whole_group_to_the_writer():
    """DM-GT-3: a reviewer write that changes any value attributes the whole group to the writer."""
    existing = {(1, 2, 3): row(7, "red", OTHER), (1, 2, 4): row(8, "ok", OTHER)}
    plan = review(existing, {"Color?": "blue", "Notes": "ok"})
    assert plan.updates == [
        (7, "blue", REVIEWER, "blue", None, None, None),
        (8, "ok", REVIEWER, "ok", None, None, None),
    ]
    assert kinds(plan.history) == ["changed", "reattributed"]


def test_a_write_that_changes_no_value_keeps_the_attribution_and_may_move_scores():
    """DM-GT-3 (a write that changes nothing leaves it); scores alone change no attribution."""
    existing = {(1, 2, 3): row(7, "red", OTHER, score=0.5), (1, 2, 4): row(8, "ok", OTHER)}
    assert not review(existing, {"Color?": "red", "Notes": "ok"}).changed
    plan = review(existing, {"Color?": "red", "Notes": "ok"}, scores={"Color?": 0.9})
    assert plan.updates == [(7, "red", OTHER, "red", None, None, 0.9)]
    assert plan.history == [] and plan.score_only == 1


# --------------------------------------------------------------------------- admin overrides


def override(existing, values):
    return plan_override(
        video_key=(1, 2),
        questions=QUESTIONS,
        values=values,
        scores=None,
        admin_id=ADMIN,
        existing=existing,
        source="override",
        at=AT,
    )


def test_an_override_keeps_the_reviewer_and_a_value_back_at_the_reviewers_clears_it():
    """PORTAL-META-4 and DM-GT-2."""
    existing = {(1, 2, 3): row(7, "red", REVIEWER), (1, 2, 4): row(8, "no", REVIEWER, "ok", ADMIN)}
    plan = override(existing, {"Color?": "blue", "Notes": "ok"})
    assert plan.updates == [(7, "blue", REVIEWER, "red", ADMIN, AT, None), (8, "ok", REVIEWER, "ok", None, None, None)]
    assert [(h[6], h[7], h[8], h[4]) for h in plan.history] == [
        ("overridden", "red", "blue", ADMIN),
        ("override_cleared", "no", "ok", ADMIN),
    ]


def test_an_override_to_the_current_value_writes_nothing():
    existing = {(1, 2, 3): row(7, "red", REVIEWER), (1, 2, 4): row(8, "ok", REVIEWER)}
    assert not override(existing, {"Color?": "red", "Notes": "ok"}).changed


# --------------------------------------------------------------------------- sync records


def declared(existing, values, overrides=None, scores=None, reviewer=REVIEWER):
    return plan_declared(
        video_key=(1, 2),
        questions=QUESTIONS,
        values=values,
        scores=scores or {},
        overrides=overrides,
        reviewer_id=reviewer,
        existing=existing,
        at=AT,
    )


def test_a_record_sets_the_reviewer_even_when_no_value_changes():
    """DM-GT-3: a sync record sets the attribution to its user_name."""
    existing = {(1, 2, 3): row(7, "red", OTHER), (1, 2, 4): row(8, "ok", OTHER)}
    plan = declared(existing, {"Color?": "red", "Notes": "ok"})
    assert plan.reattributed and plan.value_changes == []
    assert kinds(plan.history) == ["reattributed", "reattributed"]


def test_a_listed_override_sets_the_reviewers_value_and_the_overrider():
    """SYNC-GT-5: a listed override sets the reviewer's value and the overrider."""
    plan = declared({}, {"Color?": "red", "Notes": "ok"}, overrides={"Color?": ("blue", ADMIN)})
    assert plan.creates[0] == (1, 2, 3, "red", REVIEWER, "blue", ADMIN, AT, None)
    assert plan.override_changes == ["Color?"]
    assert kinds(plan.history) == ["created", "overridden", "created"]


def test_an_unlisted_stored_override_stays_while_the_value_does_and_conflicts_otherwise():
    """SYNC-GT-5: an unlisted override stays when the value is unchanged, otherwise it is an error."""
    existing = {(1, 2, 3): row(7, "red", REVIEWER, "blue", ADMIN), (1, 2, 4): row(8, "ok", REVIEWER)}
    assert not declared(existing, {"Color?": "red", "Notes": "ok"}).changed  # the override is looked at
    assert declared({(1, 2, 4): row(8, "ok", REVIEWER)}, {"Color?": "red", "Notes": "ok"}).creates
    plan = declared(existing, {"Color?": "green", "Notes": "ok"})
    assert plan.conflicts == [("Color?", ADMIN, AT - datetime.timedelta(days=1))]
    assert plan.updates == [] and plan.history == []


def test_an_unchanged_record_plans_nothing():
    """SYNC-GT-5 and DM-HIST-2: a record equal to the stored rows changes nothing and logs nothing."""
    existing = {(1, 2, 3): row(7, "red", REVIEWER), (1, 2, 4): row(8, "ok", REVIEWER)}
    assert declared(existing, {"Color?": "red", "Notes": "ok"}) is None


def test_a_missing_score_is_null():
    """SYNC-ANN-8: missing equals null."""
    existing = {(1, 2, 3): row(7, "red", REVIEWER, score=0.4), (1, 2, 4): row(8, "ok", REVIEWER)}
    plan = declared(existing, {"Color?": "red", "Notes": "ok"})
    assert plan.scores_changed and plan.updates == [(7, "red", REVIEWER, "red", None, None, None)]


def test_merged_plans_write_everything_the_parts_write():
    a = review({}, {"Color?": "red", "Notes": "ok"})
    b = declared({}, {"Color?": "blue", "Notes": "x"})
    merged = merge_plans([a, b])
    assert merged.creates == a.creates + b.creates and merged.history == a.history + b.history
