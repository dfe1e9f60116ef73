"""Ground-truth export of multiple-choice questions (issue 15, point 4): JSON gives lists of option values, Excel a
readable joined form ("Pan; Zoom", "None of these"), custom option labels included; the lists read back into the
same stored values. Requirement IDs by analogy: EXPORT-GT-4 (rows), EXPORT-GT-5 (Excel), PORTAL-ADM-10 (page)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from annotation.gt_export import prepare_export
from annotation.models import GroundTruth
from annotation.tests.factories import GroundTruthFactory
from annotation.tests.multiple_choice import GT, Motions, build_motions
from catalog.tests.factories import AdminFactory, CustomDisplayFactory, ProjectFactory
from syncing.helpers import export_projects_ground_truth

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/export/"
SHOWN = ["Pan", "Pan; Zoom", "None of these", "Tilt"]


@pytest.fixture
def motions() -> Motions:
    return build_motions(answers=False)


def test_json_rows_hold_lists_and_the_joined_labels(motions):
    rows = export_projects_ground_truth(["Motions"])

    assert [r["video_uid"] for r in rows] == [f"motion{i}.mp4" for i in range(4)]
    assert [r["answers"]["camera_motion"] for r in rows] == GT
    assert [r["answer_display_values"]["camera_motion"] for r in rows] == SHOWN
    assert rows[0]["answers"]["steady_shot"] == "yes" and rows[0]["answer_display_values"]["steady_shot"] == "Yes"
    assert rows[0]["question_display_text"]["camera_motion"] == "Which camera motions?"


def test_the_json_file_reads_back_into_the_same_stored_values(motions, tmp_path):
    call_command("export_ground_truth", "Motions", "--output", str(tmp_path / "gt"), stdout=io.StringIO())

    rows = json.loads((tmp_path / "gt.json").read_text())
    kind, q = motions.question.kind, motions.question
    stored = {
        video_uid: value
        for video_uid, value in GroundTruth.objects.filter(question=q).values_list("video__video_uid", "value")
    }
    assert {r["video_uid"]: kind.to_stored(q, r["answers"]["camera_motion"]) for r in rows} == stored


def test_excel_shows_the_joined_labels(motions, tmp_path):
    export_projects_ground_truth(["Motions"], fmt="excel", output=tmp_path / "gt")

    sheet = openpyxl.load_workbook(tmp_path / "gt.xlsx").active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["Video UID", "URL", "Q0: camera_motion", "Q0 Answer"]
    assert [row[3] for row in values[1:]] == SHOWN


def test_custom_option_labels_apply_per_video_when_the_schema_enables_them(motions):
    motions.project.schema.has_custom_display = True
    motions.project.schema.save()
    CustomDisplayFactory(
        project=motions.project,
        video=motions.videos[1],
        question=motions.question,
        custom_display_text="Which moves on this clip?",
        custom_option_display_map={"pan": "Panning", "zoom": "Zooming in"},
    )

    rows = export_projects_ground_truth(["Motions"])

    assert rows[1]["answer_display_values"]["camera_motion"] == "Panning; Zooming in"
    assert rows[1]["question_display_text"]["camera_motion"] == "Which moves on this clip?"
    assert rows[1]["answers"]["camera_motion"] == ["pan", "zoom"]  # the values never change
    assert rows[0]["answer_display_values"]["camera_motion"] == "Pan"


def test_a_reusable_group_whose_sets_differ_across_projects_is_refused_naming_the_lists(motions):
    group = motions.project.schema.memberships.get().group
    group.is_reusable = True
    group.save()
    other = ProjectFactory(name="Motions again", schema=motions.project.schema, videos=motions.videos[:1])
    for question, value in ((motions.question, '["pan","tilt"]'), (motions.single, "yes")):
        GroundTruthFactory(project=other, video=motions.videos[0], question=question, value=value)

    export = prepare_export(["Motions", "Motions again"])

    assert not export.validation.ok
    (row,) = export.validation.report_rows
    assert (row.video_uid, row.question) == ("motion0.mp4", "camera_motion")
    assert row.details == "Motions → ['pan']; Motions again → ['pan', 'tilt']"


def test_the_admin_export_page_downloads_lists_and_joined_labels(client, motions):
    client.force_login(AdminFactory())

    response = client.get(EXPORT_URL, {"p": motions.project.pk, "op": "export"})
    excel = client.get(EXPORT_URL, {"p": motions.project.pk, "op": "export", "fmt": "excel"})

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert [r["answers"]["camera_motion"] for r in json.loads(response.content)] == GT
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    assert [sheet.cell(row, 4).value for row in range(2, 6)] == SHOWN


def test_the_outsider_cannot_export(client, outsider, motions):
    client.force_login(outsider)

    response = client.get(EXPORT_URL, {"p": motions.project.pk, "op": "export"})

    assert response.status_code == 302 and "Content-Disposition" not in response
