"""How values and lists appear in the messages of sync, the admin and the API: one wording for all.

Pure: no ORM. Characters a message must never print raw are C0 and C1 controls (NUL, the terminal's
ESC, …) and lone surrogates, which cannot even be encoded to print (issue 16.13); they are shown as
\\uXXXX.
"""

from __future__ import annotations

import re

UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def escaped(text: str) -> str:
    """`text` with every unprintable character written as a JSON-style \\uXXXX escape."""
    return UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def quote(value) -> str:
    """A value as it appears in messages: JSON-style double quotes, unprintable characters escaped."""
    return '"' + escaped(str(value).replace("\\", "\\\\").replace('"', '\\"')) + '"'


def names(values, limit: int = 5) -> str:
    """A readable list: up to `limit` in full; beyond, the first 3 and a count (SYNC-PG-3)."""
    values = list(values)
    if len(values) <= limit:
        return ", ".join(str(v) for v in values)
    return ", ".join(str(v) for v in values[:3]) + f" and {len(values) - 3} more"


def listing(values, limit: int = 5) -> str:
    """A readable list: the first `limit` in full, then a count of the rest."""
    values = [str(v) for v in values]
    shown = ", ".join(values[:limit])
    return shown if len(values) <= limit else f"{shown} and {len(values) - limit} more"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 video`, `2 videos`: a number with its noun in the right form."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def json_type(value) -> str:
    """How a message names the type of a JSON value: "a string", "null", …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
