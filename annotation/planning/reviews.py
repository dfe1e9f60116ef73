"""Reviews of description answers: what setting one answer's review does (DM-REV).

The one decision behind the reviewer portal and the GT writes (annotation.ground_truth), the API's
review batches (annotation.bulk_writes) and the reviews listed in sync records (through
annotation.planning.answers).
"""

from __future__ import annotations

STATUSES = ("pending", "approved", "rejected")
CREATE, UPDATE, DELETE = "create", "update", "delete"


def wanted_review(status: str, reviewer_id: int) -> tuple[str, int] | None:
    """The review a status asks for: none for "pending" (DM-REV-1: no review means pending)."""
    return None if status == "pending" else (status, reviewer_id)


def review_change(stored: tuple | None, wanted: tuple[str, int] | None) -> tuple[str, tuple] | None:
    """How to get from the stored review, (review id, status, reviewer id) or None, to the wanted one,
    (status, reviewer id) or None: (DELETE, (review id,)), (CREATE, (status, reviewer id)),
    (UPDATE, (review id, status, reviewer id)), or None when they already match."""
    if stored is None:
        return None if wanted is None else (CREATE, wanted)
    if wanted is None:
        return DELETE, (stored[0],)
    if stored[1:] == wanted:
        return None
    return UPDATE, (stored[0], *wanted)
