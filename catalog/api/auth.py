"""`Authorization: Token <key>` for scripts and model users (SEC-6, DM-TOK-1).

Token requests skip CSRF (they carry no cookie); browser requests use DRF's SessionAuthentication, which
enforces CSRF on writes (SEC-2). Listed first in settings so that an anonymous request gets 401 with a
`WWW-Authenticate: Token` challenge rather than 403.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from catalog.login_throttle import check_token_client, token_failed
from catalog.tokens import user_for_key

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: expected 'Token <key>'.")
        try:
            key = parts[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        # A wrong token counts as a failed login from this address; a locked-out address gets 429 (issue 16.4).
        check_token_client(request._request)
        user = user_for_key(key)
        if user is None:
            token_failed(request._request)
            # The same answer for an unknown key, a revoked one and an archived owner's (DM-USR-5).
            raise exceptions.AuthenticationFailed("Invalid token.")
        return user, None

    def authenticate_header(self, request):
        return KEYWORD


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema (drf-spectacular finds it by import path)."""

    target_class = "catalog.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: create the key at /account/token/ or with `manage.py api_token`.",
        }
