"""The admin account that init, reset and restore create (DB-1, DB-4, DB-11)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from catalog.models import User
from catalog.roles import ensure_global_admin_rows
from syncing.database import DatabaseToolError


@dataclass(frozen=True)
class AdminSpec:
    email: str
    password: str
    user_id: str

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"AdminSpec(email={self.email!r}, user_id={self.user_id!r})"


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email)


def admin_spec(*, email: str | None, password: str | None, user_id: str | None, mode: str) -> AdminSpec:
    """Check the seed admin's flags before anything changes. There is no default password (DB-1)."""
    missing = [flag for flag, value in (("--email", email), ("--password", password)) if not value]
    if missing:
        raise DatabaseToolError(f"--mode {mode} needs {' and '.join(missing)} for the admin account")
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise DatabaseToolError(f"--email {email!r} is not a valid email address") from None
    if not user_id or user_id != user_id.strip():
        raise DatabaseToolError("--user-id must be non-empty, without leading or trailing spaces")
    try:
        password_validation.validate_password(password, User(user_id=user_id, email=email))
    except ValidationError as exc:
        raise DatabaseToolError(f"--password is not acceptable: {' '.join(exc.messages)}") from None
    return AdminSpec(email=email, password=password, user_id=user_id)


@transaction.atomic
def seed_admin(spec: AdminSpec) -> User:
    """Create the global admin; its staff and superuser flags follow from user_type (DB-11)."""
    user = User.objects.create_superuser(spec.user_id, email=spec.email, password=spec.password)
    ensure_global_admin_rows(users=[user])
    return user


def check_admin(email: str) -> User:
    """DB-4 check: the admin exists, is active, and can use Django's admin site."""
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None:
        raise DatabaseToolError(f"check failed: no user with email {email}")
    if not (user.is_global_admin and user.is_staff and user.is_superuser):
        raise DatabaseToolError(f"check failed: {email} is not an active global admin")
    return user
