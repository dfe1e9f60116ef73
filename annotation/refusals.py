"""The writes the rules forbid, as exceptions the portals, the API and sync all report the same way.

Each carries the HTTP status the portals answer with, so a view catches SubmissionRefused alone.
A failed verification function (annotation.verification.VerificationFailed) is one of them.
"""


class SubmissionRefused(ValueError):
    """A write the rules forbid; `status` is the HTTP status the portals answer with."""

    status = 400


class TrainingLocked(SubmissionRefused):
    """PORTAL-TRN-2: a group is submitted once per video in training mode."""

    status = 409


class NotAllowed(SubmissionRefused):
    status = 403
