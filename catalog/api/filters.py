"""Query-string filters of the read endpoints (API-2): natural keys, booleans, documented once.

Filters narrow a queryset that is already scoped to what the user may read; a filter never widens it.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError


def _param(name: str, description: str, type_=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description)


PROJECT_NAME = _param("project_name", "Only rows of this project (its name).")
VIDEO_UID = _param("video_uid", "Only rows of this video (its uid).")
USER_NAME = _param("user_name", "Only rows of this user (their user_id).")
QUESTION_TEXT = _param("question_text", "Only rows of this question (its text).")
QUESTION_GROUP_TITLE = _param("question_group_title", "Only rows of this question group (its title).")
IS_ACTIVE = _param("is_active", "true: only active rows; false: only archived ones.", OpenApiTypes.BOOL)
ROLE = _param("role", "Only rows with this role: annotator, reviewer, admin or model.")

TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")


def text(request, name: str) -> str | None:
    return request.query_params.get(name) or None


def boolean(request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise ValidationError({name: f'"{raw}" is not a boolean; use true or false.'})


def apply(qs, request, lookups: dict[str, str]):
    """Narrow `qs` by each text parameter present: {"video_uid": "video__video_uid", …}."""
    for name, lookup in lookups.items():
        if name == "is_active":
            continue
        value = text(request, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    active = boolean(request, "is_active") if "is_active" in lookups else None
    if active is not None:
        qs = qs.filter(**{lookups["is_active"]: active})
    return qs
