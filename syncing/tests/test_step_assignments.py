"""assignments.json / sync_users_to_projects (SYNC-ASG-1..5, DM-ROLE, DM-ASG, seed guide step 6)."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotation.tests.factories import AnswerFactory
from catalog.models import Assignment
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import (
    AdminFactory,
    ModelUserFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from syncing.helpers import SyncError, sync_users_to_projects

pytestmark = pytest.mark.django_db

SRC = "<assignments_data>"
P = "Kitchen Batch 1"


@pytest.fixture
def cast(db):
    question = SingleQuestionFactory(text="Is food visible?")
    schema = SchemaFactory(groups=[QuestionGroupFactory(questions=[question])])
    project = ProjectFactory(name=P, schema=schema, videos=[VideoFactory(video_uid="kitchen_01.mp4")])
    admin = AdminFactory(user_id="Admin One")
    ensure_global_admin_rows(projects=[project])
    return {
        "project": project,
        "question": question,
        "maria": UserFactory(user_id="Maria Lopez"),
        "sam": UserFactory(user_id="Sam Okoye"),
        "bot": ModelUserFactory(user_id="DetectorBot"),
        "admin": admin,
    }


def asg(user, role, *, weight=1.0, is_active=True, project=P):
    return {"user_name": user, "project_name": project, "role": role, "user_weight": weight, "is_active": is_active}


def rows(user_id, project=P):
    """role -> (is_active, weight) for every row of the pair."""
    return {
        a.role: (a.is_active, a.user_weight)
        for a in Assignment.objects.filter(user__user_id=user_id, project__name=project)
    }


def snapshot():
    return list(Assignment.objects.order_by("pk").values())


def fails(data, *lines):
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync_users_to_projects(assignments_data=data, quiet=True)
    text = str(excinfo.value)
    for line in lines:
        assert line in text.splitlines(), text
    assert snapshot() == before
    return text


def sync(*records):
    return sync_users_to_projects(assignments_data=list(records), quiet=True)


def changes(report):
    return [(c.action, c.key, c.fields) for c in report.changes]


# -- SYNC-ASG-1: keys and values


def test_sync_asg_1_missing_and_unexpected_keys_are_errors(cast):
    record = asg("Maria Lopez", "annotator") | {"notes": "x"}
    del record["is_active"]
    fails(
        [record],
        f'{SRC}[0] "Maria Lopez @ {P} (annotator)" .is_active: is required',
        f'{SRC}[0] "Maria Lopez @ {P} (annotator)": unexpected key "notes"',
    )
    # A missing user_weight is the original Label Pizza's shape: accepted with a warning (issue 12,
    # syncing/tests/test_original_shapes.py).


def test_sync_asg_1_weight_is_a_number_at_least_0_or_null_and_role_is_known(cast):
    fails(
        [asg("Maria Lopez", "annotator", weight=-1), asg("Sam Okoye", "boss", weight="2", is_active=None)],
        f'{SRC}[0] "Maria Lopez @ {P} (annotator)" .user_weight: -1 is below the minimum 0',
        f'{SRC}[1] "Sam Okoye @ {P} (boss)" .role: "boss" is not a role (annotator, reviewer, admin, model)',
        f'{SRC}[1] "Sam Okoye @ {P} (boss)" .user_weight: must be a finite number or null, got a string',
        f'{SRC}[1] "Sam Okoye @ {P} (boss)" .is_active: must be true or false, got null',
    )
    sync(asg("Maria Lopez", "annotator", weight=None), asg("Sam Okoye", "annotator", weight=0))
    assert rows("Maria Lopez") == {"annotator": (True, 1.0)}
    assert rows("Sam Okoye") == {"annotator": (True, 0.0)}


# -- SYNC-ASG-2: the table of end states


def test_sync_asg_2_active_annotator_reviewer_and_model(cast):
    report = sync(
        asg("Maria Lopez", "annotator"),
        asg("Sam Okoye", "reviewer", weight=2.0),
        asg("DetectorBot", "model", weight=0.5),
    )
    assert changes(report) == [
        ("created", f"Maria Lopez @ {P} (annotator)", []),
        ("created", f"Sam Okoye @ {P} (reviewer)", []),
        ("created", f"DetectorBot @ {P} (model)", []),
    ]
    assert rows("Maria Lopez") == {"annotator": (True, 1.0)}
    assert rows("Sam Okoye") == {"annotator": (True, 2.0), "reviewer": (True, 2.0)}
    assert rows("DetectorBot") == {"model": (True, 0.5)}


def test_sync_asg_2_active_annotator_demotes_a_reviewer(cast):
    sync(asg("Sam Okoye", "reviewer"))
    report = sync(asg("Sam Okoye", "annotator", weight=3.0))
    assert changes(report) == [
        ("updated", f"Sam Okoye @ {P} (annotator)", ["role: reviewer -> annotator", "user_weight: 1.0 -> 3.0"])
    ]
    assert rows("Sam Okoye") == {"annotator": (True, 3.0), "reviewer": (False, 3.0)}
    report = sync(asg("Sam Okoye", "reviewer", weight=3.0))
    assert changes(report) == [("updated", f"Sam Okoye @ {P} (reviewer)", ["role: annotator -> reviewer"])]
    assert rows("Sam Okoye") == {"annotator": (True, 3.0), "reviewer": (True, 3.0)}


def test_sync_asg_2_admin_users_active_admin_changes_only_the_weight(cast):
    report = sync(asg("Admin One", "admin", weight=2.5))
    assert changes(report) == [("updated", f"Admin One @ {P} (admin)", ["user_weight: 1.0 -> 2.5"])]
    assert rows("Admin One") == {"annotator": (True, 2.5), "reviewer": (True, 2.5), "admin": (True, 2.5)}
    assert sync(asg("Admin One", "admin", weight=2.5)).change_count == 0


def test_sync_asg_2_inactive_annotator_removes_the_user_and_rerunning_is_unchanged(cast):
    sync(asg("Sam Okoye", "reviewer", weight=2.0))
    report = sync(asg("Sam Okoye", "annotator", weight=2.0, is_active=False))
    assert changes(report) == [("archived", f"Sam Okoye @ {P} (annotator)", [])]
    assert rows("Sam Okoye") == {"annotator": (False, 2.0), "reviewer": (False, 2.0)}
    report = sync(asg("Sam Okoye", "annotator", weight=2.0, is_active=False))
    assert report.change_count == 0 and report.counts["assignments"]["unchanged"] == 1


def test_sync_asg_2_inactive_reviewer_keeps_the_annotator_row(cast):
    sync(asg("Sam Okoye", "reviewer"))
    report = sync(asg("Sam Okoye", "reviewer", is_active=False))
    assert changes(report) == [("archived", f"Sam Okoye @ {P} (reviewer)", [])]
    assert rows("Sam Okoye") == {"annotator": (True, 1.0), "reviewer": (False, 1.0)}


def test_sync_asg_2_inactive_admin_records_a_former_admin_for_a_human(cast):
    report = sync(asg("Maria Lopez", "admin", is_active=False))
    assert changes(report) == [("created", f"Maria Lopez @ {P} (admin)", [])]
    assert rows("Maria Lopez") == {"annotator": (False, 1.0), "reviewer": (False, 1.0), "admin": (False, 1.0)}
    sync(asg("Sam Okoye", "reviewer"))
    report = sync(asg("Sam Okoye", "admin", is_active=False))
    assert changes(report) == [("updated", f"Sam Okoye @ {P} (admin)", ["recorded as former admin"])]
    assert rows("Sam Okoye") == {"annotator": (True, 1.0), "reviewer": (True, 1.0), "admin": (False, 1.0)}


def test_sync_asg_2_inactive_records_create_missing_rows_archived(cast):
    report = sync(asg("Maria Lopez", "reviewer", is_active=False), asg("DetectorBot", "model", is_active=False))
    assert changes(report) == [
        ("created", f"Maria Lopez @ {P} (reviewer)", []),
        ("created", f"DetectorBot @ {P} (model)", []),
    ]
    # "holds or has held" (SYNC-ANN-7): the rows exist, archived.
    assert rows("Maria Lopez") == {"annotator": (False, 1.0), "reviewer": (False, 1.0)}
    assert rows("DetectorBot") == {"model": (False, 1.0)}


def test_sync_asg_2_an_active_record_with_an_inactive_one_above_it(cast):
    report = sync(
        asg("Maria Lopez", "annotator", weight=2.0), asg("Maria Lopez", "reviewer", weight=2.0, is_active=False)
    )
    assert changes(report) == [
        ("created", f"Maria Lopez @ {P} (annotator)", []),
        ("created", f"Maria Lopez @ {P} (reviewer)", []),
    ]
    assert rows("Maria Lopez") == {"annotator": (True, 2.0), "reviewer": (False, 2.0)}
    again = sync(
        asg("Maria Lopez", "annotator", weight=2.0), asg("Maria Lopez", "reviewer", weight=2.0, is_active=False)
    )
    assert again.change_count == 0


def test_dm_asg_2_the_weight_is_set_on_every_row_of_the_pair(cast):
    sync(asg("Sam Okoye", "reviewer"))
    sync(asg("Sam Okoye", "reviewer", is_active=False))
    report = sync(asg("Sam Okoye", "annotator", weight=4.0))
    assert changes(report) == [("updated", f"Sam Okoye @ {P} (annotator)", ["user_weight: 1.0 -> 4.0"])]
    assert rows("Sam Okoye") == {"annotator": (True, 4.0), "reviewer": (False, 4.0)}


# -- SYNC-ASG-3: validation


def test_sync_asg_3_the_user_and_the_project_exist(cast):
    fails(
        [asg("Nobody", "annotator", project="Nowhere")],
        f'{SRC}[0] "Nobody @ Nowhere (annotator)" .user_name: user "Nobody" does not exist',
        f'{SRC}[0] "Nobody @ Nowhere (annotator)" .project_name: project "Nowhere" does not exist',
    )


def test_sync_asg_3_the_role_must_fit_the_user_type(cast):
    fails(
        [asg("DetectorBot", "annotator"), asg("Maria Lopez", "model"), asg("Sam Okoye", "admin")],
        f'{SRC}[0] "DetectorBot @ {P} (annotator)" .role: '
        'user "DetectorBot" is a model user and cannot be annotator (allowed: model)',
        f'{SRC}[1] "Maria Lopez @ {P} (model)" .role: '
        'user "Maria Lopez" is a human user and cannot be model (allowed: annotator, reviewer)',
        f'{SRC}[2] "Sam Okoye @ {P} (admin)" .role: user "Sam Okoye" is a human user and cannot be admin; '
        "a human can only be recorded as a former admin (is_active false)",
    )


def test_sync_asg_3_admin_users_take_only_an_active_admin_record(cast):
    message = (
        'user "Admin One" is an admin user: admin users hold the admin role in every project automatically; '
        "use role admin only to set user_weight"
    )
    fails(
        [asg("Admin One", "reviewer"), asg("Admin One", "annotator", is_active=False, project="Other")],
        f'{SRC}[0] "Admin One @ {P} (reviewer)" .role: {message}',
    )
    fails([asg("Admin One", "annotator", is_active=False)], f'{SRC}[0] "Admin One @ {P} (annotator)" .role: {message}')
    fails([asg("Admin One", "admin", is_active=False)], f'{SRC}[0] "Admin One @ {P} (admin)" .is_active: {message}')


def test_sync_asg_3_changing_records_need_an_active_user_and_project(cast):
    sync(asg("Maria Lopez", "annotator"))
    cast["maria"].is_active = False
    cast["maria"].save()
    cast["project"].is_active = False
    cast["project"].save()
    fails(
        [asg("Maria Lopez", "reviewer"), asg("Sam Okoye", "annotator")],
        f'{SRC}[0] "Maria Lopez @ {P} (reviewer)" .user_name: user "Maria Lopez" is archived',
        f'{SRC}[0] "Maria Lopez @ {P} (reviewer)" .project_name: project "{P}" is archived',
        f'{SRC}[1] "Sam Okoye @ {P} (annotator)" .project_name: project "{P}" is archived',
    )
    # SYNC-GEN-10: an unchanged record is accepted even for an archived user in an archived project.
    assert sync(asg("Maria Lopez", "annotator")).change_count == 0


# -- SYNC-ASG-4: in-batch rules for one pair


def test_sync_asg_4_conflicting_records_for_one_pair(cast):
    conflict = f"conflicting records for Maria Lopez @ {P}"
    fails(
        [asg("Maria Lopez", "annotator"), asg("Maria Lopez", "reviewer")],
        f'{SRC}[1] "Maria Lopez @ {P} (reviewer)": {conflict}: at most one active record per user and project; '
        "first at index 0",
    )
    fails(
        [asg("Maria Lopez", "annotator", is_active=False), asg("Maria Lopez", "annotator")],
        f'{SRC}[1] "Maria Lopez @ {P} (annotator)": {conflict}: role annotator is listed twice; first at index 0',
    )
    fails(
        [asg("Maria Lopez", "reviewer"), asg("Maria Lopez", "annotator", is_active=False)],
        f'{SRC}[1] "Maria Lopez @ {P} (annotator)": {conflict}: the inactive annotator record must be above the '
        "active reviewer record (annotator < reviewer < admin); first at index 0",
    )
    fails(
        [asg("Maria Lopez", "annotator"), asg("Maria Lopez", "reviewer", weight=2.0, is_active=False)],
        f'{SRC}[1] "Maria Lopez @ {P} (reviewer)": {conflict}: both records must carry the same user_weight '
        "(1.0 and 2.0); first at index 0",
    )


# -- SYNC-ASG-5: classification and completion


def test_sync_asg_5_completion_is_recomputed_for_the_affected_pairs(cast):
    AnswerFactory(
        project=cast["project"],
        video=cast["project"].videos.get(),
        question=cast["question"],
        user=cast["maria"],
    )
    sync(asg("Maria Lopez", "annotator"))
    assert Assignment.objects.get(user=cast["maria"], role="annotator").completed_at is not None


# -- SYNC-GEN-12/13, SYNC-OUT-1


def test_sync_gen_12_unchanged_rerun_reports_unchanged_and_writes_nothing(cast):
    data = [
        asg("Maria Lopez", "annotator", weight=2.0),
        asg("Maria Lopez", "reviewer", weight=2.0, is_active=False),
        asg("Sam Okoye", "reviewer"),
        asg("DetectorBot", "model", is_active=False),
        asg("Admin One", "admin", weight=3.0),
    ]
    sync_users_to_projects(assignments_data=data, quiet=True)
    before = snapshot()
    report = sync_users_to_projects(assignments_data=copy.deepcopy(data), quiet=True)
    assert report.change_count == 0 and report.counts["assignments"]["unchanged"] == 5
    assert snapshot() == before


def test_sync_out_1_dry_run_writes_nothing_and_plans_the_same_report(cast):
    data = [asg("Maria Lopez", "annotator"), asg("Sam Okoye", "reviewer", is_active=False)]
    before = snapshot()
    plan = sync_users_to_projects(assignments_data=data, dry_run=True, quiet=True)
    assert snapshot() == before
    assert plan.body_lines() == sync_users_to_projects(assignments_data=data, quiet=True).body_lines()
    data = [asg("Maria Lopez", "annotator", is_active=False)]
    before = snapshot()
    plan = sync_users_to_projects(assignments_data=data, dry_run=True, quiet=True)
    assert snapshot() == before
    assert plan.body_lines() == sync_users_to_projects(assignments_data=data, quiet=True).body_lines()


def test_sync_gen_13_query_count_does_not_grow_with_records(cast):
    for i in range(33):
        UserFactory(user_id=f"U{i}")
        ProjectFactory(name=f"P{i}", schema=cast["project"].schema)
    counts = []
    for n, offset in ((3, 0), (30, 3)):
        data = [asg(f"U{i}", "reviewer", project=f"P{i}") for i in range(offset, offset + n)]
        data += [asg(f"U{i}", "annotator", project=P) for i in range(offset, offset + n)]
        with CaptureQueriesContext(connection) as ctx:
            sync_users_to_projects(assignments_data=data, quiet=True)
        counts.append(len(ctx.captured_queries))
        for record in data:
            record["is_active"] = False
        with CaptureQueriesContext(connection) as ctx:
            sync_users_to_projects(assignments_data=data, quiet=True)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


# -- seed guide step 6 and the shared sample workspace


def test_seed_guide_step_6_runs_as_written(db):
    ProjectFactory(name="Human Test 0", videos=[VideoFactory(video_uid="human.mp4")])
    ModelUserFactory(user_id="Model 1")
    UserFactory(user_id="User 1 New")
    # 6.1 - Add user to project
    assignments_data = [
        {
            "user_name": "Model 1",
            "project_name": "Human Test 0",
            "role": "model",  # `model` users could only be assigned as `model`
            "user_weight": 1.0,
            "is_active": True,
        },
        {
            "user_name": "User 1 New",
            "project_name": "Human Test 0",
            "role": "annotator",  # `human` users could only be assigned as `reviewer` or `annotator`
            "user_weight": 1.0,
            "is_active": True,
        },
    ]
    report = sync_users_to_projects(assignments_data=assignments_data, quiet=True)
    assert report.counts["assignments"]["created"] == 2
    # 6.2 - Update a user's role in a project
    assignments_data = [
        {
            "user_name": "User 1 New",
            "project_name": "Human Test 0",
            "role": "reviewer",  # update the role to reviewer
            "user_weight": 2.0,  # update the user weight
            "is_active": True,
        }
    ]
    report = sync_users_to_projects(assignments_data=assignments_data, quiet=True)
    assert changes(report) == [
        ("updated", "User 1 New @ Human Test 0 (reviewer)", ["role: annotator -> reviewer", "user_weight: 1.0 -> 2.0"])
    ]
    assert rows("User 1 New", "Human Test 0") == {"annotator": (True, 2.0), "reviewer": (True, 2.0)}
    # 6.3 - Remove a user from a project
    assignments_data = [
        {
            "user_name": "Model 1",
            "project_name": "Human Test 0",
            "role": "model",
            "user_weight": 2.0,
            "is_active": False,  # set False to remove user from this project
        }
    ]
    report = sync_users_to_projects(assignments_data=assignments_data, quiet=True)
    assert changes(report) == [("archived", "Model 1 @ Human Test 0 (model)", ["user_weight: 1.0 -> 2.0"])]
    assert rows("Model 1", "Human Test 0") == {"model": (False, 2.0)}


def test_shared_sample_assignments_json(sample_workspace):
    from syncing.helpers import (
        register_workspace,
        sync_projects,
        sync_question_groups,
        sync_schemas,
        sync_users,
        sync_videos,
    )

    sync_videos(videos_path=str(sample_workspace / "videos.json"), quiet=True)
    sync_users(users_path=str(sample_workspace / "users.json"), quiet=True)
    register_workspace(sample_workspace)
    sync_question_groups(question_groups_folder=str(sample_workspace / "question_groups"), quiet=True)
    sync_schemas(schemas_path=str(sample_workspace / "schemas.json"), quiet=True)
    sync_projects(projects_path=str(sample_workspace / "projects.json"), quiet=True)
    path = str(sample_workspace / "assignments.json")
    report = sync_users_to_projects(assignments_path=path, quiet=True)
    assert report.counts["assignments"]["created"] == 3
    assert rows("User 1", "Pizza Test 0") == {"annotator": (True, 1.0)}
    assert rows("Robot 1", "Human Test 0") == {"model": (True, 1.0)}
    assert sync_users_to_projects(assignment_path=path, quiet=True).change_count == 0
