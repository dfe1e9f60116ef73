"""An archived user's way in is closed, not just refused (issue 16.6).

While archived, a user's session and API token are already refused (ModelBackend.get_user and
tokens.user_for_key check is_active). That alone would let both work again after unarchiving, so
archiving ends the user's sessions and revokes their token. Every archive path calls this: the admin's
form and action, and sync (also through its Python API).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from catalog.models import ApiToken


def close_access(user_pks: Iterable[int]) -> None:
    """Revoke the users' API tokens and delete their sessions (one pass over the live sessions)."""
    pks = {int(pk) for pk in user_pks}
    if not pks:
        return
    ApiToken.objects.filter(user_id__in=pks).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        # Cache or cookie sessions cannot be listed; their session hash still refuses an archived user.
        return
    Session = store.get_model_class()
    decode = store().decode
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).only("pk", "session_data").iterator()
        if _user_pk(decode(session.session_data)) in pks
    ]
    for start in range(0, len(ended), 1000):
        Session.objects.filter(pk__in=ended[start : start + 1000]).delete()


def _user_pk(data: dict) -> int | None:
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None
