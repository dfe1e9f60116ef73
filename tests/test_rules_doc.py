"""docs/rules.md resolves every requirement ID the repository cites (issue 14 point 9).

Code, tests and docs cite rules by ID (`SYNC-GEN-12`, `DM-ROLE-4..7`, `SYNC-VER-2/3`, a group such as
`PORTAL-ADM`, or a test name such as `test_sync_gen_12_resync_is_noop`). Each ID must have its one-line
rule in docs/rules.md, and each group its heading, so a reader never needs material outside the
repository. No database is involved.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "rules.md"
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "staticfiles", "__pycache__", "backups"}

PREFIXES = "DM|SYNC|PORTAL|SCORE|AUTH|SEC|PLAYER|DB|OVR|WS|API|EXPORT"
GROUP = rf"(?:{PREFIXES})(?:-[A-Z]+)*"
# An ID with an optional tail of ranges and lists: DM-ROLE-4..7, DB-1..DB-11, SYNC-VER-2/3, API-3/4/5.
# A sub-point such as EXPORT-GT-2.1 or WS-EXP-5.1/5.2 cites its parent (the tail stops at a single dot).
CITATION = re.compile(rf"\b({GROUP})-(\d+)((?:(?:\.\.|/)(?:{GROUP}-)?\d+)*)")
TAIL_PART = re.compile(rf"(\.\.|/)(?:{GROUP}-)?(\d+)")
# A group named alone (PORTAL-ADM, SYNC-GEN-*); one-word groups (API, DB, SEC) are ordinary words alone.
GROUP_ALONE = re.compile(rf"\b((?:{PREFIXES})(?:-[A-Z]+)+)\b(?!-\d)")
TEST_NAME = re.compile(rf"\bdef test_((?:{PREFIXES.lower()})(?:_[a-z]+)*?)_(\d+)(?![0-9])")

RULE_LINE = re.compile(rf"^- \*\*({GROUP})-(\d+)\*\* \S")
HEADING = re.compile(rf"^#{{2,4}} ({GROUP})\b")


def tracked_files() -> list[Path]:
    """Every file of the repository: git's list in a clone, else a walk that skips environments and caches."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout.split("\0")
        paths = [ROOT / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        paths = [
            path
            for path in ROOT.rglob("*")
            if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts) and path.is_file()
        ]
    return sorted(path for path in paths if path.is_file())


def expand(group: str, first: str, tail: str) -> list[str]:
    """`DM-ROLE`, `4`, `..7` -> DM-ROLE-4 .. DM-ROLE-7; `SYNC-VER`, `2`, `/3` -> SYNC-VER-2, SYNC-VER-3."""
    numbers = [int(first)]
    for separator, number in TAIL_PART.findall(tail):
        if separator == "..":
            numbers.extend(range(numbers[-1] + 1, int(number) + 1))
        else:
            numbers.append(int(number))
    return [f"{group}-{n}" for n in numbers]


def citations(text: str) -> tuple[set[str], set[str]]:
    """The IDs and the group names a text cites."""
    ids = {rule for match in CITATION.finditer(text) for rule in expand(*match.groups())}
    ids |= {f"{group.upper().replace('_', '-')}-{int(n)}" for group, n in TEST_NAME.findall(text)}
    return ids, set(GROUP_ALONE.findall(text))


def cited_by_file() -> dict[str, set[str]]:
    """ID or group -> the files that cite it."""
    cited: dict[str, set[str]] = {}
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # the demo clips
            continue
        ids, groups = citations(text)
        for name in ids | groups:
            cited.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return cited


def defined() -> tuple[list[str], set[str], list[tuple[str, str]]]:
    """docs/rules.md's rule IDs in order, its group headings, and (heading, ID) for every rule line."""
    ids: list[str] = []
    groups: set[str] = set()
    placed: list[tuple[str, str]] = []
    heading = ""
    for line in RULES.read_text(encoding="utf-8").splitlines():
        if found := HEADING.match(line):
            heading = found.group(1)
            groups.add(heading)
        elif found := RULE_LINE.match(line):
            rule = f"{found.group(1)}-{int(found.group(2))}"
            ids.append(rule)
            placed.append((heading, rule))
    return ids, groups, placed


def test_citation_forms_expand_to_their_ids():
    ids, groups = citations(
        "DM-ROLE-4..7, DB-1..DB-11; SYNC-VER-2/3 and EXPORT-GT-2.1 (PORTAL-ADM, SYNC-GEN-*).\n"
        "def test_sync_gen_12_resync_is_noop(): ...\n"
    )
    assert ids == {
        *(f"DM-ROLE-{n}" for n in range(4, 8)),
        *(f"DB-{n}" for n in range(1, 12)),
        "SYNC-VER-2",
        "SYNC-VER-3",
        "EXPORT-GT-2",
        "SYNC-GEN-12",
    }
    assert groups == {"PORTAL-ADM", "SYNC-GEN"}


def test_every_cited_id_and_group_is_defined_in_docs_rules():
    ids, groups, _ = defined()
    known = set(ids) | groups
    missing = {name: files for name, files in cited_by_file().items() if name not in known}
    assert not missing, "cited but not defined in docs/rules.md:\n" + "\n".join(
        f"  {name}: {', '.join(sorted(files))}" for name, files in sorted(missing.items())
    )


def test_rules_doc_lists_each_id_once_under_its_group_numbered_without_gaps():
    ids, groups, placed = defined()
    assert len(ids) > 300, "docs/rules.md lost its rule lines"
    assert [rule for rule, count in Counter(ids).items() if count > 1] == []
    assert [rule for heading, rule in placed if not rule.startswith(heading + "-")] == []
    numbers: dict[str, list[int]] = {}
    for rule in ids:
        group, _, number = rule.rpartition("-")
        numbers.setdefault(group, []).append(int(number))
    gaps = {group: ns for group, ns in numbers.items() if ns != list(range(1, len(ns) + 1))}
    assert gaps == {}
    assert sorted(numbers) == sorted(groups), "every group heading holds its rules, and every rule has a heading"
