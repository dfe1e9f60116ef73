"""Conventions every endpoint shares (API-2): pagination and the error envelope.

Lists are paginated with `?page=` and `?page_size=` (default 100, at most 1000). Every error response
carries `{"errors": [{"index", "field", "message"}]}`: `index` is the record's position in a bulk write
(null elsewhere) and `field` the offending key ("" when the error is about the whole request).
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from labelpizza.db_errors import CONFLICT_MESSAGE, is_conflict


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def error(message: str, *, field: str = "", index: int | None = None) -> dict:
    return {"index": index, "field": field, "message": str(message)}


def flatten(detail, *, index: int | None = None, field: str = "") -> list[dict]:
    """DRF's nested error detail (dicts of lists, lists of dicts) as a flat list of errors."""
    if isinstance(detail, dict):
        return [
            e
            for key, value in detail.items()
            for e in flatten(
                value, index=index, field=field if key in ("non_field_errors", "detail") else _join(field, key)
            )
        ]
    if isinstance(detail, list):
        if detail and all(isinstance(d, dict) for d in detail) and index is None and not field:
            return [e for i, d in enumerate(detail) for e in flatten(d, index=i)]
        return [e for d in detail for e in flatten(d, index=index, field=field)]
    return [error(detail, field=field, index=index)]


def _join(prefix: str, key) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def exception_handler(exc, context):
    """DRF's handler, with the body rewritten into the error envelope (headers such as
    WWW-Authenticate are kept). A write that lost a race with another (deadlock, serialization failure)
    is a 409 the client can retry (issue 16.7)."""
    if is_conflict(exc):
        set_rollback()
        return Response({"errors": [error(CONFLICT_MESSAGE)]}, status=409, headers={"Retry-After": "1"})
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"errors": flatten(response.data)}
    return response


class ErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


# Spec: API-2.
class ErrorsSerializer(serializers.Serializer):
    """The body of every error response."""

    errors = ErrorSerializer(many=True)
