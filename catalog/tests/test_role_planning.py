"""The role planner, tested directly (no HTTP, no database)."""

from catalog.role_planning import plan_pair


def test_assigning_a_level_creates_missing_rows_and_archives_higher_ones():
    """DM-ROLE-4: the pair's active rows become exactly R's expansion, with w on every row."""
    rows = {"annotator": (1, True, 1.0), "reviewer": (2, True, 1.0), "admin": (3, True, 1.0)}
    changes = plan_pair(rows, active={"annotator"}, weight=2.0)
    assert changes.creates == []
    assert changes.updates == [(1, True, 2.0, False), (2, False, 2.0, False), (3, False, 2.0, False)]


def test_reviving_an_archived_row_marks_it_reactivated():
    """DM-ROLE-4: creating or reviving the rest (a revived row's assigned_at moves)."""
    changes = plan_pair({"annotator": (1, False, 1.0)}, active={"annotator", "reviewer"}, weight=1.0)
    assert changes.creates == [("reviewer", True, 1.0)]
    assert changes.updates == [(1, True, 1.0, True)]


def test_an_unchanged_pair_plans_nothing():
    changes = plan_pair({"annotator": (1, True, 1.5)}, active={"annotator"}, weight=1.5)
    assert changes.creates == [] and changes.updates == []


def test_none_keeps_each_rows_weight_and_new_rows_get_the_create_weight():
    """DM-ROLE-6: keeping an existing weight and giving new pairs 1.0."""
    changes = plan_pair(
        {"annotator": (1, True, 0.5)}, active={"annotator", "reviewer", "admin"}, weight=None, create_weight=0.5
    )
    assert changes.creates == [("admin", True, 0.5), ("reviewer", True, 0.5)] and changes.updates == []


def test_a_held_role_is_recorded_as_an_archived_row():
    """SYNC-ASG-2: creating missing rows archived as proof the role was held."""
    changes = plan_pair({}, active={"annotator"}, weight=1.0, archived={"annotator", "reviewer"})
    assert changes.creates == [("annotator", True, 1.0), ("reviewer", False, 1.0)]
