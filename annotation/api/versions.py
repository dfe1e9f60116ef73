"""Group and version token of each GT row on a page of `GET /api/ground-truth/` (PORTAL-REV-12).

The token is `ground_truth.digest` over the same tuples `ground_truth.version_token` reads, so a
client can post it back as `version` and get the portals' stale check. Three queries for the whole
page, whatever its size (API-6).
"""

from __future__ import annotations

from collections import defaultdict

from annotation.ground_truth import GT_TOKEN_FIELDS, REVIEW_TOKEN_FIELDS, digest
from annotation.models import AnswerReview, GroundTruth
from catalog.models import QuestionGroupQuestion


def group_versions(rows: list[GroundTruth]) -> dict[tuple[int, int, int], tuple[str, str]]:
    """(project id, video id, question id) -> (group title, version token), for each row's group."""
    if not rows:
        return {}
    schema_of = {row.project_id: row.project.schema_id for row in rows}
    project_ids, video_ids = set(schema_of), {row.video_id for row in rows}
    group_of: dict[tuple[int, int], tuple[int, str]] = {}  # (schema, question) -> (group id, title)
    for schema_id, group_id, title, question_id in QuestionGroupQuestion.objects.filter(
        group__schema_memberships__schema_id__in=set(schema_of.values())
    ).values_list("group__schema_memberships__schema_id", "group_id", "group__title", "question_id"):
        group_of[schema_id, question_id] = (group_id, title)

    def bucket(project_id, question_id):
        return group_of.get((schema_of[project_id], question_id), (None, None))[0]

    gt = defaultdict(list)
    for project_id, video_id, *fields in GroundTruth.objects.filter(
        project_id__in=project_ids, video_id__in=video_ids
    ).values_list("project_id", "video_id", *GT_TOKEN_FIELDS):
        gt[project_id, video_id, bucket(project_id, fields[0])].append(tuple(fields))
    reviews = defaultdict(list)
    for project_id, video_id, question_id, *fields in AnswerReview.objects.filter(
        answer__project_id__in=project_ids, answer__video_id__in=video_ids
    ).values_list("answer__project_id", "answer__video_id", "answer__question_id", *REVIEW_TOKEN_FIELDS):
        reviews[project_id, video_id, bucket(project_id, question_id)].append(tuple(fields))

    result = {}
    for row in rows:
        group_id, title = group_of.get((schema_of[row.project_id], row.question_id), (None, None))
        if group_id is None:
            continue
        key = (row.project_id, row.video_id, group_id)
        result[row.project_id, row.video_id, row.question_id] = (title, digest(gt[key], reviews[key]))
    return result
