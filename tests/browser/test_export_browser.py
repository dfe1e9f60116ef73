"""Real-browser tests of the admin Export page on the demo workspace (PORTAL-ADM-10, EXPORT-GT-2..6)."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from annotation.models import GroundTruth
from catalog.models import Project, Question, User, Video
from syncing.helpers import sync_from_folder
from tests.support.browser import login, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"
ADMIN = ("admin1@example.com", "admin111")
NSFW = "Is the video not safe for work?"


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


def open_export_page(page: Page, live_server) -> None:
    login(page, live_server, *ADMIN)
    page.goto(f"{live_server.url}/admin/")
    shot(page, "export-admin-index")
    page.get_by_role("link", name="Export ground truth").click()
    expect(page.locator("h1")).to_have_text("Export ground truth")


def test_admin_selects_validates_and_downloads_the_export(page: Page, live_server, demo):
    open_export_page(page, live_server)
    expect(page.get_by_role("region", name="Human Test Projects")).to_contain_text("Human Test 0")
    shot(page, "export-page")

    page.get_by_label("Human Test 0").check()
    page.get_by_role("button", name="Validate").click()
    expect(page.locator("#validation")).to_contain_text("Validation passed: 1 project can be exported together")
    expect(page.locator("#metric-ready")).to_contain_text("1")  # Human Test 0 has complete GT (EXPORT-GT-6)
    expect(page.get_by_label("Human Test 0")).to_be_checked()  # the selection survives the reload
    shot(page, "export-validated")

    with page.expect_download() as info:
        page.get_by_role("button", name="Export", exact=True).click()
    download = info.value
    assert download.suggested_filename == "ground_truth.json"
    rows = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [r["video_uid"] for r in rows] == ["human.mp4", "human2.mp4", "human3.mp4"]
    assert rows[0]["answers"] == {
        "Number of people?": "1",
        "If there are people, describe them.": "A man with a full beard waving.",
        NSFW: "No",
    }

    page.get_by_label("Excel (.xlsx)").check()
    page.get_by_label("File name").fill("humans")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export", exact=True).click()
    download = info.value
    assert download.suggested_filename == "humans.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))["Ground Truth"]
    assert [c.value for c in sheet[1]][:4] == ["Video UID", "URL", "Q0: Number of people?", "Q0 Answer"]
    assert sheet["A2"].value == "human.mp4" and sheet.max_row == 4


def test_failed_validation_lists_the_videos_and_offers_the_error_report(page: Page, live_server, demo):
    # Pizza Test 0 shares human.mp4 and the reusable NSFW group with Human Test 0, but disagrees on it.
    GroundTruth.objects.create(
        project=Project.objects.get(name="Pizza Test 0"),
        video=Video.objects.get(video_uid="human.mp4"),
        question=Question.objects.get(text=NSFW),
        value="Yes",
        reviewer_value="Yes",
        reviewer=User.objects.get(user_id="Reviewer 1"),
    )
    open_export_page(page, live_server)
    page.get_by_label("Human Test 0").check()
    page.get_by_label("Pizza Test 0").check()
    page.get_by_role("button", name="Validate").click()
    problems = page.locator("#validation")
    expect(problems).to_contain_text("Cannot export: 1 problem")
    expect(problems).to_contain_text("Reusable group 'NSFW': ground truth differs across projects on 1 video(s)")
    expect(page.locator("#failing-videos tbody tr")).to_have_count(1)
    expect(page.locator("#failing-videos")).to_contain_text("Human Test 0 → 'No'; Pizza Test 0 → 'Yes'")
    shot(page, "export-validation-failed")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download error report (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == "ground_truth_errors.xlsx"
    rows = list(
        openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active.iter_rows(values_only=True)
    )
    assert rows[0] == ("video_uid", "issue", "question_group", "question", "details", "how to fix")
    assert rows[1][:4] == ("human.mp4", "inconsistent reusable GT", "NSFW", NSFW)

    # Export refuses the same selection; deselecting the group of the disagreeing project makes it exportable.
    page.get_by_role("button", name="Export", exact=True).click()
    expect(page.locator("#validation")).to_contain_text("nothing was exported")
    page.get_by_role("region", name="Pizza Test Projects").get_by_role("button", name="Deselect group").click()
    expect(page.get_by_label("Pizza Test 0")).not_to_be_checked()
    page.get_by_role("button", name="Validate").click()
    expect(page.locator("#validation")).to_contain_text("Validation passed")
