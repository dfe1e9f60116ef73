"""Login throttling per account and per client address (issue 16.4), with django-axes.

Axes records each failed login (the login page, the admin's and a wrong API token) and refuses further
attempts for `LOGIN_LOCKOUT_MINUTES` once an account, or a client address, has `LOGIN_FAILURE_LIMIT`
failures. An administrator lifts a lockout by deleting its row under "Access attempts" in the admin, or
with `manage.py axes_reset_username EMAIL` / `axes_reset_ip ADDRESS` / `axes_reset`.

This module holds the project's side of it: how a client and an account are named, the page and JSON
answer people get when paused, and the API token path, which Django's `authenticate()` does not cover.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from rest_framework import exceptions, status


def lockout_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def paused_message() -> str:
    minutes = lockout_minutes()
    return (
        "Too many failed log-in attempts. Logging in is paused for this account and from this network "
        f"for {minutes} minute{'s' if minutes != 1 else ''}. Try again later, or ask an administrator "
        "to lift the pause."
    )


def client_address(request: HttpRequest) -> str | None:
    """The client's address: behind our own proxy (BEHIND_PROXY) the last X-Forwarded-For hop, which that
    proxy appends and a client cannot forge; otherwise the connection's address."""
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def login_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account as people type it, normalised like the login itself (case and spaces do not matter)."""
    name = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None:
        name = (credentials or {}).get("email")
    return name.strip().lower() if isinstance(name, str) and name.strip() else None


def lockout_parameters(request_or_attempt, credentials: dict | None) -> list[str]:
    """Per account and per address; an attempt that names no account (an API token) counts per address only,
    so token failures never pile up on one shared "no account" entry."""
    named = login_name(None, credentials) if credentials else getattr(request_or_attempt, "username", None)
    return ["username", "ip_address"] if named else ["ip_address"]


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """429 with the plain message: the API's JSON error envelope under /api/, else a page."""
    message = paused_message()
    if request.path.startswith("/api/"):
        body = {"errors": [{"index": None, "field": "", "message": message}]}
        return JsonResponse(body, status=status.HTTP_429_TOO_MANY_REQUESTS)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check, first in AUTHENTICATION_BACKENDS. A call without a request (a script, or the
    test client's login()) has no client to throttle, so it passes through instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginPaused(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_paused"


def check_token_client(request: HttpRequest) -> None:
    """Refuse token authentication from an address that is locked out (raises LoginPaused)."""
    if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, {}):
        raise LoginPaused(paused_message())


def token_failed(request: HttpRequest) -> None:
    """Count a wrong or revoked API token as a failed login from this address."""
    user_login_failed.send(sender=__name__, credentials={}, request=request)
    if getattr(request, "axes_locked_out", False):
        raise LoginPaused(paused_message())
