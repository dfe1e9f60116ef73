"""Sync's memo of "this plaintext password matches this stored hash", so an unchanged re-sync is cheap.

Sync stores Django's default hash for a plaintext password in a workspace. Checking a plaintext against a
default-cost hash costs a PBKDF2 run of about half a second, which on every re-sync and every user would be most
of an unchanged sync. When sync has hashed or checked a plaintext, it keeps an HMAC of (stored hash, plaintext)
keyed with SECRET_KEY on the user row; the next sync that finds the same digest knows the password is unchanged
without running the hasher.

The memo is tied to the stored hash: a password change in the web app, a hash upgrade at login, or a new
SECRET_KEY make it stale, and sync falls back to the full check. Without SECRET_KEY the digest tells nothing
about the password (it is a keyed MAC, not a hash of the password alone); with SECRET_KEY an attacker can already
forge sessions. The workspace file itself holds the plaintext.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "labelpizza.sync.password-memo"


def memo(stored_hash: str, plaintext: str) -> str:
    return salted_hmac(_SALT, f"{stored_hash}\0{plaintext}", algorithm="sha256").hexdigest()


def remembers(recorded: str, stored_hash: str, plaintext: str) -> bool:
    return bool(recorded) and constant_time_compare(recorded, memo(stored_hash, plaintext))
