"""projects.json / sync_projects (SYNC-PRJ-1..5, SYNC-CD-1..4, DM-PRJ, DM-CD, seed guide step 5)."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import question_types
from catalog.models import Assignment, CustomDisplay, Project, ProjectVideo, Video
from catalog.tests.factories import (
    AdminFactory,
    CustomDisplayFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from syncing.helpers import SyncError, sync_projects
from syncing.jsonio import entries_from_value
from syncing.pipeline import run_sync

pytestmark = pytest.mark.django_db

SRC = "<projects_data>"


@pytest.fixture
def kitchen(db):
    """The spec's example workspace: Kitchen Schema (Food group + reusable NSFW group), three videos."""
    food = QuestionGroupFactory(
        title="Food",
        questions=[
            SingleQuestionFactory(text="Is food visible?", options=["yes", "no"], display_values=["Yes", "No"]),
            DescriptionQuestionFactory(text="Describe the food.", display_text="If food is visible, describe it."),
        ],
    )
    nsfw = QuestionGroupFactory(
        title="NSFW", is_reusable=True, questions=[SingleQuestionFactory(text="NSFW?", options=["No", "Yes"])]
    )
    schema = SchemaFactory(name="Kitchen Schema", groups=[food, nsfw], has_custom_display=True)
    for uid in ("kitchen_01.mp4", "yt_street_02", "local_03.mp4"):
        VideoFactory(video_uid=uid)
    return schema


def kitchen_record(**changes):
    record = {
        "project_name": "Kitchen Batch 1",
        "schema_name": "Kitchen Schema",
        "description": "First three kitchen clips.",
        "is_active": True,
        "videos": [
            "kitchen_01.mp4",
            "yt_street_02",
            {
                "video_uid": "local_03.mp4",
                "questions": [
                    {
                        "question_text": "Is food visible?",
                        "custom_question": "Is the cake visible?",
                        "custom_option": {"yes": "Yes, the cake", "no": "No cake"},
                    },
                    {"question_text": "Describe the food.", "custom_question": "Describe the cake."},
                ],
            },
        ],
    }
    record.update(changes)
    return record


def snapshot():
    return (
        list(Project.objects.order_by("pk").values()),
        list(ProjectVideo.objects.order_by("pk").values()),
        list(CustomDisplay.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
    )


def fails(data, *lines):
    """Run a sync that must fail with exactly these error lines, and check nothing was written."""
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync_projects(projects_data=data, quiet=True)
    text = str(excinfo.value)
    for line in lines:
        assert line in text.splitlines(), text
    assert snapshot() == before
    return text


def changes(report, table=None):
    return [(c.action, c.key, c.fields, c.note) for c in report.changes if table in (None, c.table)]


def order(project_name):
    return list(
        ProjectVideo.objects.filter(project__name=project_name)
        .order_by("position")
        .values_list("video__video_uid", flat=True)
    )


def displays(project_name):
    return {
        (d.video.video_uid, d.question.text): (d.custom_display_text, d.custom_option_display_map)
        for d in CustomDisplay.objects.filter(project__name=project_name).select_related("video", "question")
    }


# -- SYNC-PRJ-1/2: keys and shapes


def test_sync_prj_1_missing_and_unexpected_keys_are_errors(kitchen):
    record = kitchen_record(notes="x")
    del record["is_active"]
    fails(
        [record],
        f'{SRC}[0] "Kitchen Batch 1" .is_active: is required',
        f'{SRC}[0] "Kitchen Batch 1": unexpected key "notes"',
    )


def test_sync_prj_1_description_null_is_stored_as_empty_string(kitchen):
    sync_projects(projects_data=[kitchen_record(description=None)], quiet=True)
    assert Project.objects.get().description == ""
    report = sync_projects(projects_data=[kitchen_record(description=None)], quiet=True)
    assert report.change_count == 0


def test_sync_gen_3_strict_types(kitchen):
    fails(
        [kitchen_record(is_active="yes", description=3, schema_name=None)],
        f'{SRC}[0] "Kitchen Batch 1" .is_active: must be true or false, got a string',
        f'{SRC}[0] "Kitchen Batch 1" .description: must be a string or null, got a number',
        f'{SRC}[0] "Kitchen Batch 1" .schema_name: must be a string, got null',
    )


def test_sync_prj_1_project_name_follows_dm_conv_3(kitchen):
    fails(
        [kitchen_record(project_name=" Kitchen")],
        f'{SRC}[0] .project_name: " Kitchen" must not begin or end with whitespace',
    )


def test_sync_prj_2_videos_is_a_non_empty_list_of_uids_or_objects(kitchen):
    fails([kitchen_record(videos=[])], f'{SRC}[0] "Kitchen Batch 1" .videos: must not be empty')
    fails(
        [kitchen_record(videos=["kitchen_01.mp4", 7, {"video_uid": "yt_street_02", "extra": 1}])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[1]: '
        "must be a video uid or an object with video_uid and questions, got a number",
        f'{SRC}[0] "Kitchen Batch 1" .videos[2].questions: is required',
        f'{SRC}[0] "Kitchen Batch 1" .videos[2]: unexpected key "extra"',
    )


def test_sync_prj_2_a_uid_listed_twice_in_one_project_is_an_error(kitchen):
    fails(
        [kitchen_record(videos=["kitchen_01.mp4", "yt_street_02", {"video_uid": "kitchen_01.mp4", "questions": []}])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[2].video_uid: duplicate video "kitchen_01.mp4"; first at .videos[0]',
    )


def test_sync_prj_2_a_project_name_twice_in_one_batch_is_an_error(kitchen):
    fails(
        [kitchen_record(), kitchen_record(description="again")],
        f'{SRC}[1] "Kitchen Batch 1" .project_name: duplicate project_name "Kitchen Batch 1"; first at index 0',
    )


# -- SYNC-PRJ-3: create


def test_sync_prj_3_create_writes_memberships_in_order_admin_rows_and_displays(kitchen):
    admin = AdminFactory(user_id="Admin One")
    report = sync_projects(projects_data=[kitchen_record()], quiet=True)
    project = Project.objects.get()
    assert (project.name, project.schema, project.description, project.is_active) == (
        "Kitchen Batch 1",
        kitchen,
        "First three kitchen clips.",
        True,
    )
    assert order("Kitchen Batch 1") == ["kitchen_01.mp4", "yt_street_02", "local_03.mp4"]
    assert list(ProjectVideo.objects.order_by("position").values_list("position", flat=True)) == [0, 1, 2]
    # DM-ROLE-5: every global admin holds expand(admin) in the new project.
    assert set(
        Assignment.objects.filter(user=admin, project=project, is_active=True).values_list("role", flat=True)
    ) == {
        "annotator",
        "reviewer",
        "admin",
    }
    assert displays("Kitchen Batch 1") == {
        ("local_03.mp4", "Is food visible?"): ("Is the cake visible?", {"yes": "Yes, the cake", "no": "No cake"}),
        ("local_03.mp4", "Describe the food."): ("Describe the cake.", None),
    }
    assert changes(report) == [
        ("created", "Kitchen Batch 1", [], ""),
        ("created", "Kitchen Batch 1 / local_03.mp4 / Is food visible?", [], ""),
        ("created", "Kitchen Batch 1 / local_03.mp4 / Describe the food.", [], ""),
    ]
    assert report.counts["custom displays"]["created"] == 2
    assert report.warnings == []


def test_sync_prj_3_schema_must_exist_and_be_active(kitchen):
    fails(
        [kitchen_record(schema_name="Nope")], f'{SRC}[0] "Kitchen Batch 1" .schema_name: schema "Nope" does not exist'
    )
    SchemaFactory(name="Old Schema", is_active=False)
    fails(
        [kitchen_record(schema_name="Old Schema", videos=["kitchen_01.mp4"])],
        f'{SRC}[0] "Kitchen Batch 1" .schema_name: schema "Old Schema" is archived',
    )


def test_sync_prj_3_every_video_must_exist_and_be_active(kitchen):
    VideoFactory(video_uid="old.mp4", is_active=False)
    record = kitchen_record(videos=["kitchen_01.mp4", "yt_street_02", "local_03.mp4", "old.mp4", "clip9.mp4"])
    fails(
        [record],
        f'{SRC}[0] "Kitchen Batch 1" .videos[3]: video "old.mp4" is archived',
        f'{SRC}[0] "Kitchen Batch 1" .videos[4]: video "clip9.mp4" does not exist',
    )


def test_sync_prj_3_is_active_false_creates_the_project_archived(kitchen):
    AdminFactory()
    report = sync_projects(projects_data=[kitchen_record(is_active=False)], quiet=True)
    project = Project.objects.get()
    assert project.is_active is False
    assert changes(report, "projects") == [("created", "Kitchen Batch 1", [], "(archived)")]
    # DM-ROLE-5 holds in archived projects too.
    assert Assignment.objects.filter(project=project, is_active=True).count() == 3


def test_sync_gen_8_a_project_on_a_video_that_the_same_run_archives(kitchen):
    videos = [
        {"video_uid": "kitchen_01.mp4", "url": "https://cdn.example.org/k1.mp4", "is_active": False, "metadata": {}}
    ]
    inputs = {
        "videos": entries_from_value(videos, "videos.json", allow_object=False),
        "projects": entries_from_value(
            [kitchen_record(videos=["kitchen_01.mp4"])], "projects.json", allow_object=False
        ),
    }
    run_sync(inputs, label="test", quiet=True)
    assert order("Kitchen Batch 1") == ["kitchen_01.mp4"]
    assert ProjectVideo.objects.get().video.is_active is False


def test_sync_gen_9_a_video_created_archived_in_the_same_run_counts_as_active_at_creation(kitchen):
    videos = [{"video_uid": "new.mp4", "url": "https://cdn.example.org/new.mp4", "is_active": False, "metadata": {}}]
    inputs = {
        "videos": entries_from_value(videos, "videos.json", allow_object=False),
        "projects": entries_from_value([kitchen_record(videos=["new.mp4"])], "projects.json", allow_object=False),
    }
    run_sync(inputs, label="test", quiet=True)
    assert order("Kitchen Batch 1") == ["new.mp4"]


# -- SYNC-PRJ-4: update


def test_sync_prj_4_the_schema_cannot_change(kitchen):
    sync_projects(projects_data=[kitchen_record()], quiet=True)
    SchemaFactory(name="Other Schema")
    fails(
        [kitchen_record(schema_name="Other Schema")],
        f'{SRC}[0] "Kitchen Batch 1" .schema_name: the schema of a project cannot change: '
        'the record says "Other Schema", the project uses "Kitchen Schema"',
    )


def test_sync_prj_4_the_video_set_must_equal_the_membership_including_archived_videos(kitchen):
    sync_projects(projects_data=[kitchen_record()], quiet=True)
    VideoFactory(video_uid="new.mp4")
    fails(
        [kitchen_record(videos=["kitchen_01.mp4", "new.mp4"])],
        f'{SRC}[0] "Kitchen Batch 1" .videos: video list mismatch: would add new.mp4; would remove yt_street_02, '
        "local_03.mp4; videos cannot be added or removed after creation",
    )
    # An archived member video still belongs to the project (DM-PRJ-3).
    Video.objects.filter(video_uid="yt_street_02").update(is_active=False)
    fails(
        [kitchen_record(videos=["kitchen_01.mp4", "local_03.mp4"])],
        f'{SRC}[0] "Kitchen Batch 1" .videos: video list mismatch: would remove yt_street_02; '
        "videos cannot be added or removed after creation",
    )
    assert sync_projects(projects_data=[kitchen_record()], quiet=True).change_count == 0


def test_sync_prj_4_order_and_description_may_change(kitchen):
    sync_projects(projects_data=[kitchen_record()], quiet=True)
    before = Project.objects.get().updated_at
    record = kitchen_record(description="Reordered.")
    record["videos"] = [record["videos"][2], "kitchen_01.mp4", "yt_street_02"]
    report = sync_projects(projects_data=[record], quiet=True)
    assert changes(report, "projects") == [("updated", "Kitchen Batch 1", ["description", "video order"], "")]
    assert order("Kitchen Batch 1") == ["local_03.mp4", "kitchen_01.mp4", "yt_street_02"]
    project = Project.objects.get()
    assert project.description == "Reordered." and project.updated_at > before
    assert report.counts["custom displays"]["unchanged"] == 2


def test_dm_arch_3_an_archived_project_cannot_change_unless_the_record_unarchives_it(kitchen):
    sync_projects(projects_data=[kitchen_record(is_active=False)], quiet=True)
    fails(
        [kitchen_record(is_active=False, description="New text.")],
        f'{SRC}[0] "Kitchen Batch 1": project "Kitchen Batch 1" is archived: its description, video order and '
        "custom displays cannot change unless the same record unarchives it (would change: description)",
    )
    fails(
        [kitchen_record(is_active=False, videos=["kitchen_01.mp4", "yt_street_02", "local_03.mp4"])],
        f'{SRC}[0] "Kitchen Batch 1": project "Kitchen Batch 1" is archived: its description, video order and '
        "custom displays cannot change unless the same record unarchives it (would change: custom displays)",
    )
    # Unchanged archived records are accepted (SYNC-GEN-10); unarchiving allows the change.
    assert sync_projects(projects_data=[kitchen_record(is_active=False)], quiet=True).change_count == 0
    report = sync_projects(projects_data=[kitchen_record(description="New text.")], quiet=True)
    assert changes(report) == [("unarchived", "Kitchen Batch 1", ["description"], "")]
    assert Project.objects.get().is_active is True


# -- SYNC-PRJ-5: archive and unarchive


def test_sync_prj_5_archive_and_unarchive(kitchen):
    sync_projects(projects_data=[kitchen_record()], quiet=True)
    report = sync_projects(projects_data=[kitchen_record(is_active=False)], quiet=True)
    assert changes(report, "projects") == [("archived", "Kitchen Batch 1", [], "")]
    assert Project.objects.get().is_active is False
    report = sync_projects(projects_data=[kitchen_record()], quiet=True)
    assert changes(report, "projects") == [("unarchived", "Kitchen Batch 1", [], "")]
    assert Project.objects.get().is_active is True


def test_sync_prj_5_unarchiving_requires_an_active_schema(kitchen):
    sync_projects(projects_data=[kitchen_record(is_active=False)], quiet=True)
    kitchen.is_active = False
    kitchen.save()
    fails(
        [kitchen_record()],
        f'{SRC}[0] "Kitchen Batch 1" .is_active: cannot unarchive: schema "Kitchen Schema" is archived',
    )


# -- SYNC-CD-1..4: custom displays


def local_entry(*questions):
    return {"video_uid": "local_03.mp4", "questions": list(questions)}


def test_sync_cd_1_entry_keys_depend_on_the_question_type(kitchen):
    record = kitchen_record(
        videos=[
            local_entry(
                {"question_text": "Is food visible?", "custom_question": "Cake?"},
                {"question_text": "Describe the food.", "custom_question": "Describe.", "custom_option": None},
            )
        ]
    )
    fails(
        [record],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[1]: '
        'unexpected key "custom_option": question "Describe the food." is a description question',
    )
    # A single question's display without custom_option is the original Label Pizza's export shape: read as
    # null with a warning (issue 12, syncing/tests/test_original_shapes.py).
    fails(
        [kitchen_record(videos=[local_entry({"question_text": "Describe the food.", "label": "x"})])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0]: unexpected key "label"',
    )


def test_sync_cd_1_a_question_text_repeated_in_one_video_object_is_an_error(kitchen):
    entry = {"question_text": "Describe the food.", "custom_question": "Describe."}
    fails(
        [kitchen_record(videos=[local_entry(entry, entry)])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[1].question_text: '
        'duplicate question_text "Describe the food."; first at .videos[0].questions[0]',
    )


def test_sync_cd_2_the_question_must_be_in_the_project_schema(kitchen):
    SingleQuestionFactory(text="Elsewhere?")
    entry = {"question_text": "Elsewhere?", "custom_question": "X", "custom_option": None}
    fails(
        [kitchen_record(videos=[local_entry(entry)])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0].question_text: '
        'question "Elsewhere?" is not in schema "Kitchen Schema"',
    )


def test_sync_cd_2_the_question_must_be_in_no_active_reusable_group(kitchen):
    entry = {"question_text": "NSFW?", "custom_question": "Rude?", "custom_option": None}
    fails(
        [kitchen_record(videos=[local_entry(entry)])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0].question_text: question "NSFW?" is in the active '
        'reusable group "NSFW"; reusable groups look the same everywhere and cannot have custom displays',
    )


def test_sync_cd_2_custom_option_keys_equal_the_option_set_with_non_empty_values(kitchen):
    entry = {"question_text": "Is food visible?", "custom_question": None, "custom_option": {"yes": "Y", "maybe": "?"}}
    fails(
        [kitchen_record(videos=[local_entry(entry)])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0].custom_option: keys must be exactly the options of '
        'question "Is food visible?" (yes, no); missing: "no"; extra: "maybe"',
    )
    entry = {"question_text": "Is food visible?", "custom_question": None, "custom_option": {"yes": "", "no": 1}}
    fails(
        [kitchen_record(videos=[local_entry(entry)])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0].custom_option["yes"]: '
        "must be a non-empty string, got an empty string",
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0].custom_option["no"]: '
        "must be a non-empty string, got a number",
    )


def test_sync_cd_1_custom_question_is_a_non_empty_string_or_null(kitchen):
    entry = {"question_text": "Describe the food.", "custom_question": ""}
    fails(
        [kitchen_record(videos=[local_entry(entry)])],
        f'{SRC}[0] "Kitchen Batch 1" .videos[0].questions[0].custom_question: '
        "must not be empty; use null to show the question's display text",
    )


def test_sync_cd_3_null_fields_fall_back_and_both_null_means_no_display(kitchen):
    entries = [
        {"question_text": "Is food visible?", "custom_question": None, "custom_option": {"yes": "Cake", "no": "None"}},
        {"question_text": "Describe the food.", "custom_question": None},
    ]
    report = sync_projects(projects_data=[kitchen_record(videos=[local_entry(*entries)])], quiet=True)
    assert displays("Kitchen Batch 1") == {("local_03.mp4", "Is food visible?"): (None, {"yes": "Cake", "no": "None"})}
    assert changes(report, "custom displays") == [
        ("created", "Kitchen Batch 1 / local_03.mp4 / Is food visible?", [], "")
    ]


def test_sync_cd_4_displays_are_mirrored_created_updated_and_removed(kitchen):
    sync_projects(projects_data=[kitchen_record()], quiet=True)
    before = CustomDisplay.objects.get(question__text="Is food visible?").updated_at
    record = kitchen_record()
    record["videos"] = [
        {
            "video_uid": "kitchen_01.mp4",
            "questions": [{"question_text": "Describe the food.", "custom_question": "Describe the ramen."}],
        },
        "yt_street_02",
        local_entry(
            {
                "question_text": "Is food visible?",
                "custom_question": "Is the pie visible?",
                "custom_option": {"yes": "Yes, the cake", "no": "No cake"},
            }
        ),
    ]
    report = sync_projects(projects_data=[record], quiet=True)
    assert changes(report) == [
        ("created", "Kitchen Batch 1 / kitchen_01.mp4 / Describe the food.", [], ""),
        ("updated", "Kitchen Batch 1 / local_03.mp4 / Is food visible?", ["custom_question"], ""),
        ("removed", "Kitchen Batch 1 / local_03.mp4 / Describe the food.", [], ""),
    ]
    # The project itself is unchanged: its displays are reported in their own table.
    assert report.counts["projects"]["unchanged"] == 1
    assert displays("Kitchen Batch 1") == {
        ("kitchen_01.mp4", "Describe the food."): ("Describe the ramen.", None),
        ("local_03.mp4", "Is food visible?"): ("Is the pie visible?", {"yes": "Yes, the cake", "no": "No cake"}),
    }
    assert CustomDisplay.objects.get(question__text="Is food visible?").updated_at > before


def test_sync_cd_4_warning_when_the_schema_does_not_show_custom_displays(kitchen):
    kitchen.has_custom_display = False
    kitchen.save()
    report = sync_projects(projects_data=[kitchen_record()], quiet=True)
    assert report.warnings == [
        f'{SRC}[0] "Kitchen Batch 1": 2 custom displays are stored but not shown: '
        'schema "Kitchen Schema" has has_custom_display false'
    ]
    assert len(displays("Kitchen Batch 1")) == 2


def test_sync_gen_10_an_unchanged_display_is_accepted_even_if_its_group_became_reusable(kitchen):
    videos = [Video.objects.get(video_uid=uid) for uid in ("kitchen_01.mp4", "yt_street_02", "local_03.mp4")]
    project = ProjectFactory(name="Old", schema=kitchen, description="First three kitchen clips.", videos=videos)
    question = kitchen.groups.get(title="NSFW").questions.get()
    video = project.videos.get(video_uid="local_03.mp4")
    CustomDisplayFactory(project=project, video=video, question=question, custom_display_text="Rude?")
    record = kitchen_record(project_name="Old", videos=["kitchen_01.mp4", "yt_street_02", "local_03.mp4"])
    record["videos"][2] = local_entry({"question_text": "NSFW?", "custom_question": "Rude?", "custom_option": None})
    report = sync_projects(projects_data=[record], quiet=True)
    assert report.change_count == 0


# -- SYNC-GEN-11/12/13, SYNC-OUT-1


def test_sync_gen_11_one_bad_record_writes_nothing(kitchen):
    good = kitchen_record(project_name="Good")
    fails(
        [good, kitchen_record(schema_name="Nope")],
        f'{SRC}[1] "Kitchen Batch 1" .schema_name: schema "Nope" does not exist',
    )
    assert not Project.objects.exists()


def test_sync_gen_12_unchanged_rerun_reports_unchanged_and_writes_nothing(kitchen):
    AdminFactory()
    data = [kitchen_record(), kitchen_record(project_name="Archived", is_active=False, videos=["kitchen_01.mp4"])]
    sync_projects(projects_data=data, quiet=True)
    before = snapshot()
    report = sync_projects(projects_data=copy.deepcopy(data), quiet=True)
    assert report.change_count == 0
    assert report.counts["projects"]["unchanged"] == 2 and report.counts["custom displays"]["unchanged"] == 2
    assert snapshot() == before


def test_sync_out_1_dry_run_writes_nothing_and_plans_the_same_report(kitchen):
    plan = sync_projects(projects_data=[kitchen_record()], dry_run=True, quiet=True)
    assert snapshot() == ([], [], [], [])
    real = sync_projects(projects_data=[kitchen_record()], quiet=True)
    assert plan.body_lines() == real.body_lines()
    record = kitchen_record(description="Changed", is_active=False)
    before = snapshot()
    plan = sync_projects(projects_data=[record], dry_run=True, quiet=True)
    assert snapshot() == before
    assert plan.body_lines() == sync_projects(projects_data=[record], quiet=True).body_lines()


def make_batch(n, offset=0):
    return [
        {
            "project_name": f"P{i}",
            "schema_name": "Kitchen Schema",
            "description": "",
            "is_active": True,
            "videos": [
                f"v{i}a.mp4",
                {
                    "video_uid": f"v{i}b.mp4",
                    "questions": [{"question_text": "Describe the food.", "custom_question": f"Describe {i}."}],
                },
            ],
        }
        for i in range(offset, offset + n)
    ]


def test_sync_gen_13_query_count_does_not_grow_with_records(kitchen):
    AdminFactory()
    for i in range(33):
        VideoFactory(video_uid=f"v{i}a.mp4")
        VideoFactory(video_uid=f"v{i}b.mp4")
    counts = []
    for n, offset in ((3, 0), (30, 3)):
        with CaptureQueriesContext(connection) as ctx:
            sync_projects(projects_data=make_batch(n, offset), quiet=True)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # Updates (description, order, display text) and an unchanged re-sync stay constant too.
    counts = []
    for n, offset in ((3, 0), (30, 3)):
        batch = make_batch(n, offset)
        for record in batch:
            record["description"] = "changed"
            record["videos"].reverse()
            record["videos"][0]["questions"][0]["custom_question"] = "changed"
        with CaptureQueriesContext(connection) as ctx:
            sync_projects(projects_data=batch, quiet=True)
        counts.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            assert sync_projects(projects_data=batch, quiet=True).change_count == 0
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


# -- seed guide step 5 and the shared sample workspace


@pytest.fixture
def humans_schema(db):
    human = QuestionGroupFactory(
        title="Human",
        questions=[
            SingleQuestionFactory(text="Number of people?", options=["0", "1", "2", "3 or more"]),
            DescriptionQuestionFactory(text="If there are people, describe them."),
        ],
    )
    nsfw = QuestionGroupFactory(title="NSFW", is_reusable=True, questions=[SingleQuestionFactory(text="NSFW?")])
    VideoFactory(video_uid="human.mp4")
    VideoFactory(video_uid="pizza.mp4")
    return SchemaFactory(name="Questions about Humans", groups=[human, nsfw])


def test_seed_guide_step_5_runs_as_written(humans_schema):
    AdminFactory(user_id="Admin 1")
    # 5.1 - Add projects
    projects_data = [
        {
            "project_name": "Human Test 0",  # must NOT exist in the database
            "schema_name": "Questions about Humans",
            "description": "Test project for human questions",
            "is_active": True,
            "videos": ["human.mp4", "pizza.mp4"],
        }
    ]
    report = sync_projects(projects_data=projects_data, quiet=True)
    assert changes(report) == [("created", "Human Test 0", [], "")]
    assert order("Human Test 0") == ["human.mp4", "pizza.mp4"]
    assert Assignment.objects.filter(user__user_id="Admin 1", project__name="Human Test 0", is_active=True).count() == 3
    # 5.2 - Update / archive projects
    projects_data = [
        {
            "project_name": "Human Test 0",  # must exist in the database
            "schema_name": "Questions about Humans",  # must exist in the database
            "description": "Test project for human questions (Updated)",  # you could only update the description
            "is_active": True,  # keep this True (set to False if you want to archive the project)
            "videos": ["human.mp4", "pizza.mp4"],  # You cannot add or remove videos from a project
        }
    ]
    report = sync_projects(projects_data=projects_data, quiet=True)
    assert changes(report) == [("updated", "Human Test 0", ["description"], "")]
    assert Project.objects.get().description == "Test project for human questions (Updated)"


def test_shared_sample_projects_json(sample_workspace):
    from syncing.helpers import sync_question_groups, sync_schemas, sync_users, sync_videos

    sync_videos(videos_path=str(sample_workspace / "videos.json"), quiet=True)
    sync_users(users_path=str(sample_workspace / "users.json"), quiet=True)
    from syncing.helpers import register_workspace

    register_workspace(sample_workspace)
    sync_question_groups(question_groups_folder=str(sample_workspace / "question_groups"), quiet=True)
    sync_schemas(schemas_path=str(sample_workspace / "schemas.json"), quiet=True)
    path = str(sample_workspace / "projects.json")
    report = sync_projects(projects_path=path, quiet=True)
    assert report.counts["projects"]["created"] == 3
    assert order("Pizza Test 0") == ["human.mp4", "pizza.mp4"]
    assert Assignment.objects.filter(user__user_id="Admin 1", is_active=True).count() == 9
    assert sync_projects(projects_path=path, quiet=True).change_count == 0


def test_sync_gen_8_one_run_archives_projects_and_their_schema(kitchen):
    sync_projects(projects_data=[kitchen_record()], quiet=True)
    schema = {
        "schema_name": "Kitchen Schema",
        "question_group_names": ["Food", "NSFW"],
        "instructions_url": None,
        "has_custom_display": True,
        "is_active": False,
    }
    inputs = {
        "schemas": entries_from_value([schema], "schemas.json", allow_object=False),
        "projects": entries_from_value([kitchen_record(is_active=False)], "projects.json", allow_object=False),
    }
    report = run_sync(inputs, label="test", quiet=True)
    assert ("projects", "archived", "Kitchen Batch 1", []) in [tuple(c) for c in report.changes]
    assert Project.objects.get().is_active is False
    kitchen.refresh_from_db()
    assert kitchen.is_active is False


def test_a_custom_display_of_a_type_no_longer_registered_is_refused(kitchen, monkeypatch):
    """docs/question_types.md: the entry names the question, whose type the code does not know."""
    monkeypatch.delitem(question_types.TYPES, "description")
    fails(
        [kitchen_record()],
        f'{SRC}[0] "Kitchen Batch 1" .videos[2].questions[1].question_text: '
        'question "Describe the food.": "description" is not a question type (single, multiple)',
    )
