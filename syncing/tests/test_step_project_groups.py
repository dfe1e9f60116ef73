"""project_groups.json / sync_project_groups (SYNC-PG-1..4, DM-PG-1..3, seed guide step 7)."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Project, ProjectGroup, ProjectGroupProject
from catalog.tests.factories import (
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from syncing.helpers import SyncError, sync_project_groups
from syncing.jsonio import entries_from_value
from syncing.pipeline import run_sync

pytestmark = pytest.mark.django_db

SRC = "<project_groups_data>"


@pytest.fixture
def kitchen(db):
    """Two batches of one schema (no shared video) and a project of another schema on the same videos."""
    shared_question = SingleQuestionFactory(text="Is food visible?")
    kitchen_schema = SchemaFactory(name="Kitchen Schema", groups=[QuestionGroupFactory(questions=[shared_question])])
    other_schema = SchemaFactory(groups=[QuestionGroupFactory(questions=[SingleQuestionFactory()])])
    v = [VideoFactory(video_uid=f"v{i}.mp4") for i in range(1, 8)]
    return {
        "batch1": ProjectFactory(name="Kitchen Batch 1", schema=kitchen_schema, videos=v[:3]),
        "batch2": ProjectFactory(name="Kitchen Batch 2", schema=kitchen_schema, videos=v[3:]),
        "other": ProjectFactory(name="Street", schema=other_schema, videos=v),
        "videos": v,
        "schema": kitchen_schema,
    }


def group_record(**changes):
    record = {
        "project_group_name": "Kitchen",
        "description": "All kitchen batches.",
        "projects": ["Kitchen Batch 1", "Kitchen Batch 2"],
        "is_active": True,
    }
    record.update(changes)
    return record


def snapshot():
    return (
        list(ProjectGroup.objects.order_by("pk").values()),
        list(ProjectGroupProject.objects.order_by("pk").values("project_group_id", "project_id")),
    )


def fails(data, *lines):
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync_project_groups(project_groups_data=data, quiet=True)
    text = str(excinfo.value)
    for line in lines:
        assert line in text.splitlines(), text
    assert snapshot() == before
    return text


def changes(report):
    return [(c.action, c.key, c.fields, c.note) for c in report.changes]


def members(name):
    return sorted(ProjectGroup.objects.get(name=name).projects.values_list("name", flat=True))


# -- SYNC-PG-1: keys and references


def test_sync_pg_1_missing_and_unexpected_keys_are_errors(kitchen):
    record = group_record(notes="x")
    del record["projects"]
    fails(
        [record],
        f'{SRC}[0] "Kitchen" .projects: is required',
        f'{SRC}[0] "Kitchen": unexpected key "notes"',
    )


def test_sync_gen_3_strict_types(kitchen):
    fails(
        [group_record(is_active=1, description=[], projects="Kitchen Batch 1")],
        f'{SRC}[0] "Kitchen" .is_active: must be true or false, got a number',
        f'{SRC}[0] "Kitchen" .description: must be a string or null, got a list',
        f'{SRC}[0] "Kitchen" .projects: must be a list, got a string',
    )
    fails([group_record(projects=[3])], f'{SRC}[0] "Kitchen" .projects[0]: must be a project name, got a number')


def test_sync_pg_1_projects_are_unique_existing_names(kitchen):
    fails(
        [group_record(projects=["Kitchen Batch 1", "Kitchen Batch 1", "Nope"])],
        f'{SRC}[0] "Kitchen" .projects[1]: duplicate project "Kitchen Batch 1"; first at .projects[0]',
        f'{SRC}[0] "Kitchen" .projects[2]: project "Nope" does not exist',
    )


def test_sync_gen_5_a_group_name_twice_in_one_batch_is_an_error(kitchen):
    fails(
        [group_record(), group_record(projects=[])],
        f'{SRC}[1] "Kitchen" .project_group_name: duplicate project_group_name "Kitchen"; first at index 0',
    )


def test_sync_pg_1_archived_projects_are_allowed_and_the_list_may_be_empty(kitchen):
    kitchen["batch2"].is_active = False
    kitchen["batch2"].save()
    report = sync_project_groups(
        project_groups_data=[group_record(), group_record(project_group_name="Empty", projects=[], description=None)],
        quiet=True,
    )
    assert changes(report) == [("created", "Kitchen", [], ""), ("created", "Empty", [], "")]
    assert members("Kitchen") == ["Kitchen Batch 1", "Kitchen Batch 2"]
    assert members("Empty") == [] and ProjectGroup.objects.get(name="Empty").description == ""


# -- SYNC-PG-2: create and update


def test_sync_pg_2_update_replaces_description_and_member_set(kitchen):
    sync_project_groups(project_groups_data=[group_record(projects=["Kitchen Batch 1"])], quiet=True)
    before = ProjectGroup.objects.get().updated_at
    report = sync_project_groups(
        project_groups_data=[group_record(description="Changed.", projects=["Kitchen Batch 2", "Street"])], quiet=True
    )
    assert changes(report) == [("updated", "Kitchen", ["description", "projects (+2, -1)"], "")]
    assert members("Kitchen") == ["Kitchen Batch 2", "Street"]
    group = ProjectGroup.objects.get()
    assert group.description == "Changed." and group.updated_at > before


# -- SYNC-PG-3 / DM-PG-2


def test_sync_pg_3_projects_sharing_questions_may_not_share_videos(kitchen):
    ProjectFactory(name="Kitchen Batch 3", schema=kitchen["schema"], videos=kitchen["videos"][1:])
    fails(
        [group_record(projects=["Kitchen Batch 1", "Kitchen Batch 2", "Kitchen Batch 3"])],
        f'{SRC}[0] "Kitchen" .projects: Cannot group projects "Kitchen Batch 1" and "Kitchen Batch 3": '
        "they share questions and 2 videos: v2.mp4, v3.mp4",
        f'{SRC}[0] "Kitchen" .projects: Cannot group projects "Kitchen Batch 2" and "Kitchen Batch 3": '
        "they share questions and 4 videos: v4.mp4, v5.mp4, v6.mp4, v7.mp4",
    )


def test_sync_pg_3_beyond_five_videos_the_first_three_and_a_count(kitchen):
    v = kitchen["videos"]
    for video in v:  # archived videos count
        video.is_active = False
        video.save()
    ProjectFactory(name="All", schema=kitchen["schema"], videos=v)
    ProjectFactory(name="All again", schema=kitchen["schema"], videos=list(reversed(v)))
    fails(
        [group_record(projects=["All", "All again"])],
        f'{SRC}[0] "Kitchen" .projects: Cannot group projects "All" and "All again": '
        "they share questions and 7 videos: v1.mp4, v2.mp4, v3.mp4 and 4 more",
    )


def test_sync_pg_3_projects_whose_schemas_share_no_question_may_share_videos(kitchen):
    sync_project_groups(project_groups_data=[group_record(projects=["Kitchen Batch 1", "Street"])], quiet=True)
    assert members("Kitchen") == ["Kitchen Batch 1", "Street"]


def test_sync_pg_3_existing_groups_in_the_batch_are_checked_too(kitchen):
    group = ProjectGroupFactory(name="Kitchen", description="All kitchen batches.")
    ProjectFactory(name="Copy", schema=kitchen["schema"], videos=kitchen["videos"][:1])
    for name in ("Kitchen Batch 1", "Copy"):
        ProjectGroupProject.objects.create(project_group=group, project=Project.objects.get(name=name))
    fails(
        [group_record(projects=["Kitchen Batch 1", "Copy"])],
        f'{SRC}[0] "Kitchen" .projects: Cannot group projects "Kitchen Batch 1" and "Copy": '
        "they share questions and 1 video: v1.mp4",
    )


# -- SYNC-PG-4: archive and unarchive


def test_sync_pg_4_archive_unarchive_and_absent_is_active_keeps_the_state(kitchen):
    report = sync_project_groups(project_groups_data=[group_record(is_active=False)], quiet=True)
    assert changes(report) == [("created", "Kitchen", [], "(archived)")]
    assert ProjectGroup.objects.get().is_active is False
    record = group_record()
    del record["is_active"]
    assert sync_project_groups(project_groups_data=[record], quiet=True).change_count == 0
    assert ProjectGroup.objects.get().is_active is False
    report = sync_project_groups(project_groups_data=[group_record()], quiet=True)
    assert changes(report) == [("unarchived", "Kitchen", [], "")]
    report = sync_project_groups(project_groups_data=[group_record(is_active=False, projects=[])], quiet=True)
    assert changes(report) == [("archived", "Kitchen", ["projects (+0, -2)"], "")]
    assert ProjectGroup.objects.get().is_active is False and members("Kitchen") == []


def test_sync_pg_1_absent_is_active_creates_an_active_group(kitchen):
    record = group_record()
    del record["is_active"]
    sync_project_groups(project_groups_data=[record], quiet=True)
    assert ProjectGroup.objects.get().is_active is True


# -- SYNC-GEN-12/13, SYNC-OUT-1


def test_sync_gen_12_unchanged_rerun_reports_unchanged_and_writes_nothing(kitchen):
    data = [group_record(), group_record(project_group_name="Old", projects=["Street"], is_active=False)]
    sync_project_groups(project_groups_data=data, quiet=True)
    before = snapshot()
    report = sync_project_groups(project_groups_data=copy.deepcopy(data), quiet=True)
    assert report.change_count == 0 and report.counts["project groups"]["unchanged"] == 2
    assert snapshot() == before


def test_sync_out_1_dry_run_writes_nothing_and_plans_the_same_report(kitchen):
    plan = sync_project_groups(project_groups_data=[group_record()], dry_run=True, quiet=True)
    assert snapshot() == ([], [])
    assert plan.body_lines() == sync_project_groups(project_groups_data=[group_record()], quiet=True).body_lines()
    record = group_record(projects=["Street"], is_active=False)
    before = snapshot()
    plan = sync_project_groups(project_groups_data=[record], dry_run=True, quiet=True)
    assert snapshot() == before
    assert plan.body_lines() == sync_project_groups(project_groups_data=[record], quiet=True).body_lines()


def test_sync_gen_13_query_count_does_not_grow_with_records(kitchen):
    for i in range(33):
        ProjectFactory(name=f"P{i}", schema=kitchen["schema"], videos=[VideoFactory()])
    counts = []
    for n, offset in ((3, 0), (30, 3)):
        data = [
            group_record(project_group_name=f"G{i}", projects=[f"P{i}", "Kitchen Batch 1", "Kitchen Batch 2"])
            for i in range(offset, offset + n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            sync_project_groups(project_groups_data=data, quiet=True)
        counts.append(len(ctx.captured_queries))
        for record in data:
            record["projects"] = [record["projects"][0], "Street"]
            record["description"] = "changed"
        with CaptureQueriesContext(connection) as ctx:
            sync_project_groups(project_groups_data=data, quiet=True)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


# -- seed guide step 7 and the shared sample workspace


def test_seed_guide_step_7_runs_as_written(db):
    ProjectFactory(name="Human Test 0", videos=[VideoFactory(video_uid="human.mp4")])
    # 7.1 - Adding project group
    project_groups_data = [
        {
            "project_group_name": "Human Test Projects",
            "description": "This is a project group for human test with a single project",
            "projects": ["Human Test 0"],
        }
    ]
    report = sync_project_groups(project_groups_data=project_groups_data, quiet=True)
    assert changes(report) == [("created", "Human Test Projects", [], "")]
    assert members("Human Test Projects") == ["Human Test 0"]
    # 7.2 - Update / archive project groups
    project_groups_data = [
        {
            "project_group_name": "Human Test Projects",
            "description": "This is an empty project group",  # Update the description
            "projects": [  # Remove all projects from the project group
            ],
        }
    ]
    report = sync_project_groups(project_groups_data=project_groups_data, quiet=True)
    assert changes(report) == [("updated", "Human Test Projects", ["description", "projects (+0, -1)"], "")]
    assert members("Human Test Projects") == []


def test_shared_sample_project_groups_json(sample_workspace):
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
    path = str(sample_workspace / "project_groups.json")
    report = sync_project_groups(project_groups_path=path, quiet=True)
    assert report.counts["project groups"]["created"] == 2
    assert members("Human Test Projects") == ["Human Test 0", "Human Test 1"]
    assert sync_project_groups(project_groups_path=path, quiet=True).change_count == 0


def test_sync_pg_1_projects_created_in_the_same_run_count(kitchen):
    project = {
        "project_name": "Kitchen Batch 9",
        "schema_name": "Kitchen Schema",
        "description": None,
        "is_active": True,
        "videos": ["v1.mp4"],
    }
    inputs = {
        "projects": entries_from_value([project], "projects.json", allow_object=False),
        "project_groups": entries_from_value(
            [group_record(projects=["Kitchen Batch 2", "Kitchen Batch 9"])], "project_groups.json", allow_object=False
        ),
    }
    run_sync(inputs, label="test", quiet=True)
    assert members("Kitchen") == ["Kitchen Batch 2", "Kitchen Batch 9"]
    # ... and DM-PG-2 sees them: Kitchen Batch 9 shares v1.mp4 with Kitchen Batch 1.
    inputs["project_groups"] = entries_from_value(
        [group_record(projects=["Kitchen Batch 1", "Kitchen Batch 9"])], "project_groups.json", allow_object=False
    )
    with pytest.raises(SyncError) as excinfo:
        run_sync(inputs, label="test", quiet=True)
    assert (
        'project_groups.json[0] "Kitchen" .projects: Cannot group projects "Kitchen Batch 1" and "Kitchen Batch 9": '
        "they share questions and 1 video: v1.mp4"
    ) in str(excinfo.value).splitlines()
