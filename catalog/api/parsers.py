"""The API's JSON parser: DRF's, plus limits that keep hostile bodies a 400 rather than a 500 (issue 16.11).

Python's json module recurses once per nesting level, so a body nested a few thousand levels deep raises
RecursionError, which DRF does not catch. No record shape of the API nests more than a few levels, so
nesting beyond MAX_DEPTH is refused before parsing. A NUL character in any string or key is refused
too: PostgreSQL text cannot hold it, and the write would fail as a server error.
"""

from __future__ import annotations

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text, ignoring brackets inside strings (one pass, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def has_nul(value) -> bool:
    """True when a NUL character is in any string or key of a parsed JSON value (iterative)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - the body is not valid {encoding}") from exc
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels")
        try:
            data = json.loads(text, parse_constant=_no_constants)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if has_nul(data):
            raise ParseError("text may not contain the NUL character (\\u0000)")
        return data


def _no_constants(name: str):
    """NaN and Infinity are not JSON; Python's parser would accept them (issue 16.12)."""
    raise ValueError(f"{name} is not a JSON number")
