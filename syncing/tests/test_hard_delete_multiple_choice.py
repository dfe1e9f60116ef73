"""Hard delete's printed plan (OVR-DEL-4) shows multiple-choice values as the workspace JSON writes them (issue 15):
a list of option values, `[]` marked "none of these", never the stored text in quotes. Single-choice and
description values print as before, in quotes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from annotation.models import GroundTruth
from annotation.tests.multiple_choice import Motions, build_motions
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory
from syncing.hard_delete import plan_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def motions() -> Motions:
    return build_motions(answers=False)


def at(m: Motions, i: int, question=None) -> str:
    q = question or m.question
    return f'"{q.text}" on {m.videos[i].video_uid} in "{m.project.name}"'


def test_deleting_ground_truth_prints_the_list_of_options(motions):
    text = plan_delete("ground_truth", "Motions", "motion1.mp4", "camera_motion").render()

    line = f'1. Delete ground truth ["pan", "zoom"] for {at(motions, 1)} (attributed to "Gus Groundtruth")'
    assert line + ', recording a "deleted" history entry' in text.splitlines()
    assert '"["pan","zoom"]"' not in text


def test_none_of_these_is_an_empty_list_marked_as_such(motions):
    text = plan_delete("ground_truth", "Motions", "motion2.mp4", "camera_motion").render()

    assert f"Delete ground truth [] (none of these) for {at(motions, 2)}" in text


def test_single_choice_values_print_as_before(motions):
    text = plan_delete("ground_truth", "Motions", "motion0.mp4", "steady_shot").render()

    assert f'Delete ground truth "yes" for {at(motions, 0, motions.single)} (attributed to "Gus Groundtruth")' in text


def test_reverting_an_override_prints_both_lists(motions):
    ada = AdminFactory(user_id="Ada Min")
    ensure_global_admin_rows(users=[ada], projects=[motions.project])
    GroundTruth.objects.filter(video=motions.videos[1], question=motions.question).update(
        value='["zoom"]', overridden_by=ada, overridden_at=timezone.now()
    )

    text = plan_delete("user", "Ada Min").render()

    assert f'Revert "Ada Min" override of {at(motions, 1)} from ["zoom"] to the reviewer\'s ["pan", "zoom"]' in (text)


def test_the_command_prints_options_with_their_own_quotes_and_commas(motions):
    motions.question.options = [*motions.question.options, 'say "cut", then pan']
    motions.question.display_values = [*motions.question.display_values, "Cut"]
    motions.question.save()
    GroundTruth.objects.filter(video=motions.videos[3], question=motions.question).update(
        value='["tilt","say \\"cut\\", then pan"]', reviewer_value='["tilt","say \\"cut\\", then pan"]'
    )
    out = StringIO()

    call_command(
        "hard_delete", "ground_truth", "Motions", "motion3.mp4", "camera_motion", "--force", "--no-backup", stdout=out
    )

    assert f'Delete ground truth ["tilt", "say \\"cut\\", then pan"] for {at(motions, 3)}' in out.getvalue()
    assert "Deleted 1 rows" in out.getvalue()
