"""Digests of sync's input: per kind, its files' names and bytes, and the rules in force (issue 13).

syncing/unchanged_inputs.py compares them with the digests the last sync recorded.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings

# Code whose change may change what sync accepts or writes: a new version checks everything again.
CODE_PACKAGES = ("syncing", "catalog", "annotation", "labelpizza")


@cache
def code_digest() -> str:
    """sha256 of the Python sources of the packages sync's rules live in, Django's version and the settings
    that change what sync stores."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "tests" in path.relative_to(root).parts:
                continue
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(repr((django.VERSION, settings.PASSWORD_HASHERS, settings.TIME_ZONE)).encode())
    return digest.hexdigest()


def rules_digest(registry) -> str:
    """The code's digest plus the verification functions' files and any problem loading them."""
    digest = hashlib.sha256(code_digest().encode())
    for name in sorted(registry.sources):
        source = Path(registry.sources[name])
        digest.update(f"{name}\0{source}\0".encode())
        if source.is_file():
            digest.update(source.read_bytes())
    digest.update(repr((registry.warnings, registry.errors)).encode())
    return digest.hexdigest()


class InputDigests:
    """Collects, per kind, the names and bytes of the files read for it."""

    def __init__(self):
        self._by_kind: dict[str, hashlib._Hash] = {}

    def add(self, kind: str, source: str, data: bytes) -> None:
        digest = self._by_kind.setdefault(kind, hashlib.sha256(kind.encode() + b"\0"))
        digest.update(f"{source}\0{len(data)}\0".encode())
        digest.update(data)

    def empty(self, kind: str) -> None:
        """A kind whose folder holds no file: still an input, with its own digest."""
        self._by_kind.setdefault(kind, hashlib.sha256(kind.encode() + b"\0"))

    def final(self, rules: str) -> dict[str, str]:
        out = {}
        for kind, digest in self._by_kind.items():
            d = digest.copy()
            d.update(rules.encode())
            out[kind] = d.hexdigest()
        return out
