"""Ground-truth export (EXPORT-GT-1..6): the files field by field, validation, the command and the admin Export page
(PORTAL-ADM-10)."""

import io
import json
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotation import gt_export
from annotation.gt_export import ExportValidationError, prepare_export
from annotation.management.commands.export_ground_truth import Command as ExportCommand
from annotation.tests.factories import GroundTruthFactory
from catalog.models import ProjectGroupProject, Video
from catalog.tests.factories import (
    AdminFactory,
    CustomDisplayFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from syncing.helpers import export_projects_ground_truth

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/export/"


@dataclass
class World:
    """Two projects with different schemas sharing a reusable group, one of them with custom display."""

    food: object  # project "Food", schema with custom display
    scenes: object  # project "Scenes", plain schema
    visible: object  # single, in Food's non-reusable group
    describe: object  # description, in Food's non-reusable group
    safe: object  # single, in the reusable group both schemas use
    setting: object  # single, in Scenes' non-reusable group
    safety: object  # the reusable group
    food_group: object
    videos: dict


def gt(project, video, question, value):
    return GroundTruthFactory(project=project, video=video, question=question, value=value)


@pytest.fixture
def world(db):
    visible = SingleQuestionFactory(
        text="Is food visible?",
        display_text="Is any food visible?",
        options=["yes", "no"],
        display_values=["Yes", "No"],
    )
    describe = DescriptionQuestionFactory(text="Describe the food.", display_text="If food is visible, describe it.")
    safe = SingleQuestionFactory(
        text="Is it safe?",
        display_text="Is the clip safe for work?",
        options=["No", "Yes"],
        display_values=["no", "YES"],
    )
    setting = SingleQuestionFactory(
        text="Indoors?", display_text="Is it indoors?", options=["in", "out"], display_values=["Indoors", "Outdoors"]
    )
    food_group = QuestionGroupFactory(title="Food", questions=[visible, describe])
    safety = QuestionGroupFactory(title="Safety", is_reusable=True, questions=[safe])
    scene_group = QuestionGroupFactory(title="Scene", questions=[setting])
    videos = {
        uid: VideoFactory(video_uid=uid, url=f"https://cdn.example.org/{uid}")
        for uid in ("kitchen_02.mp4", "kitchen_01.mp4", "old.mp4", "street.mp4")
    }
    food = ProjectFactory(
        name="Food",
        schema=SchemaFactory(has_custom_display=True, groups=[food_group, safety]),
        videos=[videos["kitchen_02.mp4"], videos["kitchen_01.mp4"], videos["old.mp4"]],
    )
    scenes = ProjectFactory(
        name="Scenes",
        schema=SchemaFactory(groups=[scene_group, safety]),
        videos=[videos["kitchen_01.mp4"], videos["street.mp4"]],
    )
    k1, k2 = videos["kitchen_01.mp4"], videos["kitchen_02.mp4"]
    gt(food, k1, visible, "yes")
    gt(food, k1, describe, "Ramen noodle soup in a white bowl.")
    gt(food, k1, safe, "No")
    gt(food, k2, visible, "no")
    gt(food, videos["old.mp4"], visible, "yes")
    gt(scenes, k1, setting, "in")
    gt(scenes, k1, safe, "No")
    gt(scenes, videos["street.mp4"], setting, "out")
    CustomDisplayFactory(
        project=food,
        video=k1,
        question=visible,
        custom_display_text="Is there food on the table?",
        custom_option_display_map={"yes": "Food: yes", "no": "Food: no"},
    )
    # Scenes' schema has no custom display, so this one is stored but ignored (DM-SCH-4).
    CustomDisplayFactory(project=scenes, video=k1, question=setting, custom_display_text="Ignored text")
    Video.objects.filter(video_uid="old.mp4").update(is_active=False)
    return World(food, scenes, visible, describe, safe, setting, safety, food_group, videos)


EXPECTED_ROWS = [
    {
        "video_uid": "kitchen_01.mp4",
        "url": "https://cdn.example.org/kitchen_01.mp4",
        "answers": {
            "Is food visible?": "yes",
            "Describe the food.": "Ramen noodle soup in a white bowl.",
            "Is it safe?": "No",
            "Indoors?": "in",
        },
        "question_display_text": {
            "Is food visible?": "Is there food on the table?",
            "Describe the food.": "If food is visible, describe it.",
            "Is it safe?": "Is the clip safe for work?",
            "Indoors?": "Is it indoors?",
        },
        "answer_display_values": {
            "Is food visible?": "Food: yes",
            "Describe the food.": "Ramen noodle soup in a white bowl.",
            "Is it safe?": "no",
            "Indoors?": "Indoors",
        },
    },
    {
        "video_uid": "kitchen_02.mp4",
        "url": "https://cdn.example.org/kitchen_02.mp4",
        "answers": {"Is food visible?": "no"},
        "question_display_text": {"Is food visible?": "Is any food visible?"},
        "answer_display_values": {"Is food visible?": "No"},
    },
    {
        "video_uid": "street.mp4",
        "url": "https://cdn.example.org/street.mp4",
        "answers": {"Indoors?": "out"},
        "question_display_text": {"Indoors?": "Is it indoors?"},
        "answer_display_values": {"Indoors?": "Outdoors"},
    },
]


# --------------------------------------------------------------------------- JSON rows (EXPORT-GT-4)


def test_json_rows_field_by_field_with_custom_display(world):
    rows = export_projects_ground_truth(["Food", "Scenes"])
    assert rows == EXPECTED_ROWS
    # Key order is part of the format: questions by first appearance, projects in the order given.
    assert list(rows[0]["answers"]) == ["Is food visible?", "Describe the food.", "Is it safe?", "Indoors?"]
    assert list(rows[0]) == ["video_uid", "url", "answers", "question_display_text", "answer_display_values"]


def test_question_order_follows_the_project_order_given(world):
    rows = export_projects_ground_truth(["Scenes", "Food"])
    assert list(rows[0]["answers"]) == ["Indoors?", "Is it safe?", "Is food visible?", "Describe the food."]


def test_custom_display_is_ignored_when_the_schema_disables_it(world):
    world.food.schema.has_custom_display = False
    world.food.schema.save()
    row = export_projects_ground_truth([world.food])[0]
    assert row["question_display_text"]["Is food visible?"] == "Is any food visible?"
    assert row["answer_display_values"]["Is food visible?"] == "Yes"


def test_overridden_ground_truth_exports_the_current_value(world):
    admin = AdminFactory()
    world.food.ground_truths.filter(video__video_uid="kitchen_02.mp4").update(
        value="yes", overridden_by=admin, overridden_at="2024-01-01T00:00:00Z"
    )
    row = export_projects_ground_truth(["Food"])[1]
    assert (row["answers"], row["answer_display_values"]) == ({"Is food visible?": "yes"}, {"Is food visible?": "Yes"})


def test_projects_are_found_by_id_and_duplicates_are_dropped(world):
    assert export_projects_ground_truth([world.food.pk, str(world.scenes.pk), "Food"]) == EXPECTED_ROWS


def test_helper_writes_json_with_corrected_extension_and_new_folders(world, tmp_path):
    rows = export_projects_ground_truth(["Food", "Scenes"], output=tmp_path / "new" / "dir" / "gt.txt")
    written = tmp_path / "new" / "dir" / "gt.json"
    assert json.loads(written.read_text(encoding="utf-8")) == rows == EXPECTED_ROWS
    assert not (tmp_path / "new" / "dir" / "gt.txt").exists()


def test_helper_rejects_an_unknown_format(world):
    with pytest.raises(ValueError, match="fmt must be one of json, excel"):
        export_projects_ground_truth(["Food"], fmt="csv")


def test_a_project_without_ground_truth_exports_nothing(db):
    assert export_projects_ground_truth([ProjectFactory(videos=[VideoFactory()])]) == []


# --------------------------------------------------------------------------- Excel (EXPORT-GT-5)


def read_sheet(path_or_bytes):
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    book = openpyxl.load_workbook(source)
    assert book.sheetnames == [book.active.title]
    return book.active


def test_excel_sheet_field_by_field(world, tmp_path):
    rows = export_projects_ground_truth(["Food", "Scenes"], fmt="excel", output=tmp_path / "gt.json")
    assert rows == EXPECTED_ROWS  # the return value is the JSON data whatever the format
    sheet = read_sheet(tmp_path / "gt.xlsx")
    assert not (tmp_path / "gt.json").exists()
    assert sheet.title == "Ground Truth"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values == [
        [
            "Video UID",
            "URL",
            "Q0: Is food visible?",
            "Q0 Answer",
            "Q1: Describe the food.",
            "Q1 Answer",
            "Q2: Is it safe?",
            "Q2 Answer",
            "Q3: Indoors?",
            "Q3 Answer",
        ],
        [
            "kitchen_01.mp4",
            "https://cdn.example.org/kitchen_01.mp4",
            "Is there food on the table?",
            "Food: yes",
            "If food is visible, describe it.",
            "Ramen noodle soup in a white bowl.",
            "Is the clip safe for work?",
            "no",
            "Is it indoors?",
            "Indoors",
        ],
        [
            "kitchen_02.mp4",
            "https://cdn.example.org/kitchen_02.mp4",
            "Is any food visible?",
            "No",
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        ["street.mp4", "https://cdn.example.org/street.mp4", *[None] * 6, "Is it indoors?", "Outdoors"],
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJ"}
    assert widths["A"] == len("kitchen_01.mp4") + 2
    assert widths["F"] == len("Ramen noodle soup in a white bowl.") + 2
    assert all(w <= 60 for w in widths.values())


def test_excel_columns_follow_the_global_question_order_even_when_the_first_video_lacks_some(world):
    # street.mp4 sorts last, but a video sorting first with only a late question must not reorder the columns.
    video = VideoFactory(video_uid="aaa.mp4")
    world.scenes.video_links.create(video=video, position=5)
    gt(world.scenes, video, world.setting, "out")
    export = prepare_export(["Food", "Scenes"])
    sheet = read_sheet(gt_export.file_bytes(export, export.rows(), "excel"))
    assert [c.value for c in sheet[1]][2::2] == [
        "Q0: Is food visible?",
        "Q1: Describe the food.",
        "Q2: Is it safe?",
        "Q3: Indoors?",
    ]
    assert [c.value for c in sheet[2]] == ["aaa.mp4", video.url, *[None] * 6, "Is it indoors?", "Outdoors"]


def test_excel_caps_column_width_and_keeps_formula_like_text_as_text(world):
    long_text = "=HYPERLINK(" + "x" * 100
    world.food.ground_truths.filter(question=world.describe).update(value=long_text, reviewer_value=long_text)
    export = prepare_export(["Food"])
    sheet = read_sheet(gt_export.file_bytes(export, export.rows(), "excel"))
    cell = sheet["F2"]
    assert (cell.value, cell.data_type) == (long_text, "s")
    assert sheet.column_dimensions["F"].width == 60


def test_excel_without_data_holds_a_single_cell(db, tmp_path):
    project = ProjectFactory(videos=[VideoFactory()])
    export_projects_ground_truth([project], fmt="excel", output=tmp_path / "empty")
    sheet = read_sheet(tmp_path / "empty.xlsx")
    assert sheet.title == "Ground Truth"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [["No data to export"]]


# --------------------------------------------------------------------------- validation (EXPORT-GT-2/3)


def test_reusable_group_must_agree_across_projects(world, tmp_path):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    with pytest.raises(ExportValidationError) as caught:
        export_projects_ground_truth(["Food", "Scenes"], fmt="excel", output=tmp_path / "gt.xlsx")
    assert list(tmp_path.iterdir()) == []  # nothing written
    validation = caught.value.validation
    assert validation.failures == [
        "Reusable group 'Safety': ground truth differs across projects on 1 video(s): "
        "kitchen_01.mp4 (Is it safe?: Food → 'No'; Scenes → 'Yes')"
    ]
    assert validation.report_rows == [
        gt_export.ReportRow(
            "kitchen_01.mp4",
            "inconsistent reusable GT",
            "Safety",
            "Is it safe?",
            "Food → 'No'; Scenes → 'Yes'",
            "Make the ground truth identical in these projects (Search → video answer editor), "
            "or export them separately.",
        )
    ]


def test_reusable_group_with_ground_truth_in_one_project_only_is_fine(world):
    world.scenes.ground_truths.filter(question=world.safe).delete()
    assert prepare_export(["Food", "Scenes"]).validation.ok


def test_each_project_may_be_exported_alone_despite_a_disagreement(world):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    assert prepare_export(["Food"]).validation.ok and prepare_export(["Scenes"]).validation.ok


def test_reusable_failure_lists_ten_videos_and_the_total(db):
    safe = SingleQuestionFactory(options=["No", "Yes"], display_values=["No", "Yes"])
    group = QuestionGroupFactory(title="Shared", is_reusable=True, questions=[safe])
    videos = [VideoFactory(video_uid=f"v{i:02}.mp4") for i in range(12)]
    a = ProjectFactory(name="A", schema=SchemaFactory(groups=[group]), videos=videos)
    b = ProjectFactory(name="B", schema=SchemaFactory(groups=[group]), videos=videos)
    for v in videos:
        gt(a, v, safe, "No")
        gt(b, v, safe, "Yes")
    validation = prepare_export(["A", "B"]).validation
    (failure,) = validation.failures
    assert failure.startswith("Reusable group 'Shared': ground truth differs across projects on 12 video(s): v00.mp4 (")
    assert "v09.mp4" in failure and "v10.mp4" not in failure
    assert failure.endswith(" … and 2 more")
    assert [r.video_uid for r in validation.report_rows] == [v.video_uid for v in videos]
    assert validation.failing_video_count == 12


def test_non_reusable_group_may_not_overlap_in_videos(world, tmp_path):
    shared, other, archived = VideoFactory(video_uid="shared.mp4"), VideoFactory(), VideoFactory(is_active=False)
    world.food.video_links.create(video=shared, position=10)
    world.food.video_links.create(video=archived, position=11)
    twin = ProjectFactory(name="Food twin", schema=world.food.schema, videos=[shared, other, archived])
    gt(twin, shared, world.visible, "no")
    with pytest.raises(ExportValidationError) as caught:
        export_projects_ground_truth(["Food", "Food twin"], output=tmp_path / "gt.json")
    assert not (tmp_path / "gt.json").exists()
    validation = caught.value.validation
    assert validation.failures == [
        "Non-reusable group 'Food' is in projects 'Food' and 'Food twin', which share 1 active video(s): shared.mp4"
    ]
    assert [r.cells() for r in validation.report_rows] == [
        (
            "shared.mp4",
            "overlapping non-reusable group",
            "Food",
            "(every question of the group)",
            "Food → no GT; Food twin → GT for 1/2 question(s)",
            "Export these projects separately.",
        )
    ]


def test_missing_and_archived_projects_fail_with_every_other_failure(world):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    archived = ProjectFactory(name="Old", is_active=False)
    failures = prepare_export(["Food", "Nope", "Scenes", archived.pk, 999999]).validation.failures
    assert failures[:3] == [
        "Project 'Nope' does not exist.",
        "Project 'Old' is archived; unarchive it to export it.",
        "Project '999999' does not exist.",
    ]
    assert failures[3].startswith("Reusable group 'Safety'")
    assert len(failures) == 4


def test_ids_beyond_any_database_integer_are_not_found(db):
    huge = 10**30
    assert prepare_export([huge, str(huge)]).validation.failures == [f"Project '{huge}' does not exist."] * 2


def test_an_empty_selection_is_refused(db):
    assert prepare_export([]).validation.failures == ["No projects selected."]


def test_error_report_workbook(world):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    sheet = read_sheet(gt_export.error_report_bytes(prepare_export(["Food", "Scenes"]).validation))
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["video_uid", "issue", "question_group", "question", "details", "how to fix"],
        [
            "kitchen_01.mp4",
            "inconsistent reusable GT",
            "Safety",
            "Is it safe?",
            "Food → 'No'; Scenes → 'Yes'",
            "Make the ground truth identical in these projects (Search → video answer editor), "
            "or export them separately.",
        ],
    ]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_loading_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    with django_assert_num_queries(5):  # resolve, schema groups, group questions, GT, custom displays
        prepare_export(["Food", "Scenes"])
    twin = ProjectFactory(schema=world.food.schema, videos=[VideoFactory()])
    with django_assert_num_queries(6):  # two projects share the non-reusable group: memberships too
        prepare_export(["Food", "Scenes", twin.name])


# --------------------------------------------------------------------------- the command (EXPORT-GT-1)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_ground_truth", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_writes_json(world, tmp_path):
    out, err = run("Food", str(world.scenes.pk), "--output", str(tmp_path / "sub" / "gt"))
    assert json.loads((tmp_path / "sub" / "gt.json").read_text(encoding="utf-8")) == EXPECTED_ROWS
    assert out == (
        f"Exported ground truth for 3 video(s) and 4 question(s) from 2 project(s) to {tmp_path / 'sub' / 'gt.json'}\n"
    )
    assert err == ""


def test_command_writes_excel_and_a_bare_v_lists_the_steps(world, tmp_path):
    out, err = run("Food", "Scenes", "--format", "excel", "--output", str(tmp_path / "gt.json"), "-v")
    assert read_sheet(tmp_path / "gt.xlsx")["A2"].value == "kitchen_01.mp4"
    assert err.splitlines() == [
        "Loading the ground truth of 2 project(s)",
        "Validated: Food, Scenes",
        "Building rows: 3/3 videos",
        f"Writing {tmp_path / 'gt.xlsx'}",
    ]
    assert out.startswith("Exported ground truth for 3 video(s)")


def test_command_refuses_with_one_line_per_failure_and_writes_nothing(world, tmp_path):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("export_ground_truth", "Food", "Scenes", "Nope", "--output", str(tmp_path / "gt"), stderr=err)
    assert caught.value.returncode == 1
    assert str(caught.value) == "Export refused: 2 validation failure(s); no file written."
    lines = err.getvalue().splitlines()
    assert lines[0] == "error: Project 'Nope' does not exist."
    assert lines[1].startswith("error: Reusable group 'Safety': ground truth differs across projects on 1 video(s)")
    assert len(lines) == 2
    assert list(tmp_path.iterdir()) == []


def test_command_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        ExportCommand().run_from_argv(["manage.py", "export_ground_truth", "X", "--format", "csv", "--output", "f"])
    assert caught.value.code == 2
    assert "invalid choice: 'csv'" in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_command_shows_live_progress_on_a_terminal(world, tmp_path):
    err = Terminal()
    call_command("export_ground_truth", "Food", "--output", str(tmp_path / "gt"), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "\r\033[KBuilding rows: 2/2 videos" in text
    assert "\n" not in text  # one status line, overwritten, then cleared
    assert text.endswith("\r\033[K")


# --------------------------------------------------------------------------- the admin Export page (PORTAL-ADM-10)


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def page(client, **params):
    return client.get(EXPORT_URL, params)


def test_anonymous_and_non_admins_get_the_admin_login(client, outsider, annotator):
    for user in (None, outsider, annotator):
        if user:
            client.force_login(user)
        for url in (EXPORT_URL, reverse("admin:export_workspace")):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_admin_index_links_to_the_export_page(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{EXPORT_URL}"' in html and "Export ground truth" in html


def test_page_lists_projects_by_project_group_with_figures(admin_client, world):
    group = ProjectGroupFactory(name="Kitchen work")
    ProjectGroupProject.objects.create(project_group=group, project=world.food)
    ProjectFactory(name="Archived", is_active=False)
    response = page(admin_client)
    assert response.status_code == 200
    sections = response.context["sections"]
    assert [(s.title, [r.project.name for r in s.rows]) for s in sections] == [
        ("Kitchen work", ["Food"]),
        ("Ungrouped projects", ["Scenes"]),
    ]
    food = sections[0].rows[0]
    assert (food.figures.n_videos, food.figures.n_questions, food.figures.gt_done) == (2, 3, 4)
    html = response.content.decode()
    assert "66.6%" in html  # 4 of 6: truncated, not rounded (DM-DER-11)
    assert "Archived" not in html


def test_search_group_filter_and_sort(admin_client, world):
    group = ProjectGroupFactory(name="Kitchen work")
    ProjectGroupProject.objects.create(project_group=group, project=world.food)
    names = lambda response: [r.project.name for s in response.context["sections"] for r in s.rows]  # noqa: E731
    assert names(page(admin_client, q="sce")) == ["Scenes"]
    assert names(page(admin_client, group=str(group.pk))) == ["Food"]
    assert names(page(admin_client, group="none")) == ["Scenes"]
    ProjectGroupProject.objects.create(project_group=group, project=world.scenes)
    assert names(page(admin_client, group=str(group.pk), sort="completion")) == ["Scenes", "Food"]  # 75% before 66.6%


def test_select_and_deselect_a_group_redirect_to_the_selection(admin_client, world):
    keep = ProjectFactory(name="Zeta")
    response = page(admin_client, p=[keep.pk], op="select-group-none", fmt="excel")
    assert response.status_code == 302
    assert response.url == f"{EXPORT_URL}?fmt=excel&p={keep.pk}&p={world.food.pk}&p={world.scenes.pk}"
    response = page(admin_client, p=[keep.pk, world.food.pk], q="Foo", op="deselect-group-none")
    assert response.url == f"{EXPORT_URL}?q=Foo&p={keep.pk}"
    assert page(admin_client, p=[keep.pk], op="clear", q="x").url == f"{EXPORT_URL}?q=x"


def test_per_group_pages_and_select_page(admin_client, db):
    projects = [ProjectFactory(name=f"P{i:02}") for i in range(12)]
    response = page(admin_client, op="page-none-2")
    assert response.url == f"{EXPORT_URL}?gp-none=2"
    section = page(admin_client, **{"gp-none": "2"}).context["sections"][0]
    assert [r.project.name for r in section.page_rows] == ["P10", "P11"]
    response = page(admin_client, op="select-page-none", **{"gp-none": "2"})
    assert response.url == f"{EXPORT_URL}?p={projects[10].pk}&p={projects[11].pk}&gp-none=2"


def test_ready_for_export_counts_selected_projects_with_complete_gt(admin_client, world):
    question = SingleQuestionFactory()
    video = VideoFactory()
    complete = ProjectFactory(schema=SchemaFactory(groups=[QuestionGroupFactory(questions=[question])]), videos=[video])
    gt(complete, video, question, "yes")
    response = page(admin_client, p=[complete.pk, world.food.pk])
    assert response.context["metrics"] == {
        "project_groups": 0,
        "projects": 3,
        "complete": 1,
        "selected": 2,
        "ready": 1,
    }
    assert "Ready for export: <strong>1 of 2</strong>" in response.content.decode()


def test_page_queries_do_not_grow_with_projects(admin_client, world):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert page(admin_client, p=[world.food.pk], op="validate").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(5):
        group = ProjectGroupFactory()
        ProjectGroupProject.objects.create(project_group=group, project=ProjectFactory(videos=[VideoFactory()]))
    assert count() == before


def test_validate_passes(admin_client, world):
    response = page(admin_client, p=[world.food.pk, world.scenes.pk], op="validate")
    html = response.content.decode()
    assert "Validation passed: 2 projects can be exported together (3 videos with ground truth," in " ".join(
        html.split()
    )


def test_validate_shows_failing_videos_and_offers_the_error_report(admin_client, world):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    params = {"p": [world.food.pk, world.scenes.pk], "name": "batch 1"}
    response = page(admin_client, op="validate", **params)
    html = response.content.decode()
    assert "Cannot export: 1 problem" in html
    assert '<th scope="row">kitchen_01.mp4</th><td>inconsistent reusable GT</td><td>Safety</td>' in html
    report_url = response.context["report_url"]
    assert report_url == f"{EXPORT_URL}?name=batch+1&p={world.food.pk}&p={world.scenes.pk}&op=report"
    report = admin_client.get(report_url)
    assert report["Content-Type"] == gt_export_xlsx()
    assert report["Content-Disposition"] == 'attachment; filename="batch_1_errors.xlsx"'
    rows = list(read_sheet(report.content).iter_rows(values_only=True))
    assert rows[1][:4] == ("kitchen_01.mp4", "inconsistent reusable GT", "Safety", "Is it safe?")


def gt_export_xlsx():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_export_downloads_json_and_excel(admin_client, world):
    ids = [world.scenes.pk, world.food.pk]
    response = page(admin_client, p=ids, op="export", name="my export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="my_export.json"'
    assert json.loads(response.content) == EXPECTED_ROWS  # export order: by name, Food before Scenes
    response = page(admin_client, p=ids, op="export", fmt="excel")
    assert response["Content-Disposition"] == 'attachment; filename="ground_truth.xlsx"'
    assert read_sheet(response.content)["D2"].value == "Food: yes"


def test_refused_export_renders_the_failures_instead_of_a_file(admin_client, world):
    world.scenes.ground_truths.filter(question=world.safe).update(value="Yes", reviewer_value="Yes")
    response = page(admin_client, p=[world.food.pk, world.scenes.pk], op="export")
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert "Cannot export: 1 problem" in response.content.decode()


def test_archived_or_unknown_ids_in_the_selection_are_reported(admin_client, world):
    archived = ProjectFactory(name="Gone", is_active=False)
    html = page(admin_client, p=[world.food.pk, archived.pk, 987654], op="validate").content.decode()
    assert "Project &#x27;Gone&#x27; is archived" in html and "Project &#x27;987654&#x27; does not exist." in html


def test_report_without_failures_goes_back_to_validate(admin_client, world):
    response = page(admin_client, p=[world.food.pk], op="report")
    assert response.url == f"{EXPORT_URL}?p={world.food.pk}&op=validate"


def test_workspace_zip(admin_client, world):
    response = admin_client.get(reverse("admin:export_workspace"))
    assert response["Content-Disposition"] == 'attachment; filename="labelpizza_workspace.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "videos.json" in names and "projects.json" in names
