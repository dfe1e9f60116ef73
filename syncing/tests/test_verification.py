"""Verification functions: built-ins, workspace registration, clashes, messages (SYNC-VER)."""

import json
import textwrap
import time

import pytest
from django.core.management import call_command

from annotation import verification as runner
from annotation.verification import VerificationFailed, verify_answers
from catalog import verification
from catalog.verification import load_registry, register_workspace

HUMAN = {"Number of people?": "0", "If there are people, describe them.": ""}


def workspace(tmp_path, name, code):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "verify.py").write_text(textwrap.dedent(code))
    return folder


def test_sync_ver_2_builtins_behave_as_the_seed_guide():
    registry = load_registry()
    verify_answers(registry, "check_human_description", HUMAN)
    with pytest.raises(VerificationFailed) as exc:
        verify_answers(registry, "check_human_description", {**HUMAN, "If there are people, describe them.": "x"})
    assert str(exc.value) == "Answer verification failed: Description cannot be provided when there are no people"
    with pytest.raises(VerificationFailed, match="Description must be provided when there are pizzas"):
        verify_answers(registry, "check_pizza_description", {"Number of pizzas?": "1"})


def test_sync_ver_5_unregistered_and_broken_functions_block(tmp_path):
    folder = workspace(tmp_path, "ws", "def boom(answers):\n    raise KeyError('x')\n")
    register_workspace(folder)
    registry = load_registry()
    with pytest.raises(VerificationFailed, match="verification function nope is not registered"):
        verify_answers(registry, "nope", {})
    with pytest.raises(VerificationFailed, match="verification function boom failed unexpectedly: KeyError: 'x'"):
        verify_answers(registry, "boom", {})


def test_sync_ver_2_only_public_functions_defined_in_the_file(tmp_path):
    folder = workspace(
        tmp_path,
        "ws",
        """
        from os.path import join
        def check_a(answers):
            pass
        def _helper(answers):
            pass
        """,
    )
    register_workspace(folder)
    registry = load_registry()
    assert "check_a" in registry.functions
    assert "_helper" not in registry.functions and "join" not in registry.functions


def test_sync_ver_2_clash_between_workspaces(tmp_path):
    first = workspace(tmp_path, "one", "def check_x(answers):\n    pass\n")
    second = workspace(tmp_path, "two", "def check_x(answers):\n    pass\n")
    register_workspace(first)
    registry = load_registry(extra_folder=second)
    assert len(registry.errors) == 1
    assert "check_x" in registry.errors[0] and "one" in registry.errors[0] and "two" in registry.errors[0]
    register_workspace(second)
    registry = load_registry()
    assert registry.errors == [] and "defined in both" in registry.warnings[0]


def test_sync_ver_2_workspace_may_override_a_builtin(tmp_path):
    folder = workspace(tmp_path, "ws", "def check_human_description(answers):\n    raise ValueError('mine')\n")
    register_workspace(folder)
    with pytest.raises(VerificationFailed, match="mine"):
        verify_answers(load_registry(), "check_human_description", HUMAN)


def test_sync_ver_3_config_is_deduplicated_and_ordered(tmp_path):
    folder = workspace(tmp_path, "ws", "")
    assert register_workspace(folder) is True
    assert register_workspace(tmp_path / "ws" / ".." / "ws") is False
    data = json.loads(verification.config_path().read_text())
    assert data == {"workspace_paths": [str(folder.resolve())]}


def test_sync_ver_6_web_registry_reloads_when_a_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(verification, "RELOAD_CHECK_SECONDS", 0)
    folder = workspace(tmp_path, "ws", "def check_a(answers):\n    pass\n")
    register_workspace(folder)
    assert "check_a" in verification.get_registry().functions
    import os

    (folder / "verify.py").write_text("def check_b(answers):\n    pass\n")
    stat = (folder / "verify.py").stat()
    os.utime(folder / "verify.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert "check_b" in verification.get_registry().functions


def test_sync_ver_4_command_test_prints_ok_or_the_message(capsys):
    call_command("verification", "--test", "check_human_description", "--answers", json.dumps(HUMAN))
    assert capsys.readouterr().out.strip() == "OK"
    bad = json.dumps({**HUMAN, "Number of people?": "2"})
    call_command("verification", "--test", "check_human_description", "--answers", bad)
    assert "Description must be provided when there are people" in capsys.readouterr().out


def test_issue_16_9_an_overrunning_call_is_given_up_on_and_its_thread_ends_later(tmp_path):
    folder = workspace(tmp_path, "ws", "import time\n\ndef nap(answers):\n    time.sleep(0.3)\n")
    register_workspace(folder)
    registry = load_registry()
    registry.time_limit = 0.05
    before = runner._Runner.abandoned  # an earlier test's overrunning call may still be sleeping
    with pytest.raises(VerificationFailed, match="could not be checked"):
        verify_answers(registry, "nap", {})
    assert runner._Runner.abandoned == before + 1
    time.sleep(0.6)
    assert runner._Runner.abandoned <= before  # the abandoned thread ended when the function returned
    registry.time_limit = 5
    verify_answers(registry, "nap", {})  # a fresh thread serves the next call


def test_issue_16_13_sys_exit_in_a_function_or_at_import_is_reported_not_an_exit(tmp_path):
    folder = workspace(tmp_path, "ws", "import sys\n\ndef leave(answers):\n    sys.exit(0)\n")
    register_workspace(folder)
    with pytest.raises(VerificationFailed, match="verification function leave failed unexpectedly: SystemExit"):
        verify_answers(load_registry(), "leave", {})
    other = workspace(tmp_path, "other", "import sys\nsys.exit('bye')\n")
    registry = load_registry(extra_folder=other)
    assert any("cannot import: SystemExit: bye" in e for e in registry.errors)
