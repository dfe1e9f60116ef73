"""People never meet requirement IDs (issue 11 point 6).

The spec's IDs (`DM-ROLE-4`, `SYNC-VER-2/3`, `PORTAL-SRCH-7`, …) belong in tests and code comments. These tests
fail when one reaches a person:

- every page a role can reach is crawled, as each role, with real objects (the demo workspace): the portals, the
  search portal with real queries, every admin changelist, add and change page and the admin's own pages, the
  API (lists, details, the OpenAPI schema and its docs pages). URL patterns are enumerated from the URL conf, so
  a new page is crawled without touching this file; a pattern the crawl cannot fill in fails the test;
- every string literal in the application code that is not a docstring (messages, form errors, help texts,
  command help and output, API summaries and sync errors), every template outside its comments and every script
  outside its comments;
- the help of every management command, and the errors sync gives for broken workspaces.
"""

from __future__ import annotations

import ast
import datetime
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import get_commands, load_command_class
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.team.records import give_feedback, record_payment, reply_to_feedback
from catalog.models import CustomDisplay, Project, User
from catalog.tests.factories import UserFactory
from catalog.tokens import issue_token
from syncing.helpers import SyncError, sync_from_folder

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "example"
APPS = ("catalog", "annotation", "syncing", "labelpizza", "label_pizza")
PREFIXES = "API|AUTH|DB|SEC|PLAYER|EXPORT|OVR|WS|DM|SYNC|PORTAL|SCORE"
# An ID is a spec prefix, a dash and an upper-case part: DM-ROLE-4, SYNC-VER-2/3, SYNC-ANN, PORTAL-SRCH-7, DB-11.
REQUIREMENT_ID = re.compile(rf"\b(?:{PREFIXES})-[A-Z0-9]+(?:[-/][A-Z0-9]+)*\b")


def ids_in(text: str) -> list[str]:
    return [f"…{text[max(0, m.start() - 50) : m.end() + 10]}…" for m in REQUIREMENT_ID.finditer(text)]


def test_the_pattern_finds_ids_and_leaves_plain_words_alone():
    for text in ("(DM-ROLE-4)", "SYNC-VER-2/3", "records (SYNC-ANN)", "see PORTAL-SRCH-7.", "DB-11", "WS-EXP"):
        assert ids_in(text), text
    for text in ("UTF-8", "X-CSRFToken", "Agreement needed: 100%", "api-token", "DB error", "Score 80%"):
        assert not ids_in(text), text


# --------------------------------------------------------------------------- the source: strings people see


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_requirement_ids_in_strings_of_the_application_code():
    # Messages, form errors, help texts, command help and output, API summaries, sync errors: any literal that is
    # not a docstring. Docstrings are code comments here (the API's view docstrings are checked in the schema).
    found = []
    for path in app_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {hit}" for hit in ids_in(node.value)]
    assert len(list(app_modules())) > 100
    assert found == []


DJANGO_COMMENT = re.compile(r"\{#.*?#\}|\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
DJANGO_ONE_LINE_COMMENT = re.compile(r"\{#[^\n]*?#\}|\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
SCRIPT_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)


def test_no_requirement_ids_in_templates_or_scripts_outside_comments():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.*")):
        # Django's {# #} is one line only: a longer one is printed on the page, so it is not stripped here.
        comments = DJANGO_COMMENT if path.suffix == ".jinja" else DJANGO_ONE_LINE_COMMENT
        found += [f"{path.relative_to(ROOT)}: {hit}" for hit in ids_in(comments.sub("", path.read_text()))]
    for path in sorted((ROOT / "static").rglob("*")):
        if path.suffix in {".js", ".css"} and "vendor" not in path.parts:
            found += [f"{path.relative_to(ROOT)}: {hit}" for hit in ids_in(SCRIPT_COMMENT.sub("", path.read_text()))]
    assert found == []


def test_no_requirement_ids_in_management_command_help():
    ours = {name: app for name, app in get_commands().items() if app in APPS}
    assert {"sync_folder", "manage_db", "hard_delete", "rename", "verification"} <= set(ours)
    found = []
    for name, app in sorted(ours.items()):
        text = load_command_class(app, name).create_parser("manage.py", name).format_help()
        found += [f"{name}: {hit}" for hit in ids_in(text)]
    assert found == []


# --------------------------------------------------------------------------- sync errors


def break_workspace(tmp_path, name, change) -> Path:
    folder = tmp_path / name
    shutil.copytree(DEMO, folder)
    change(folder)
    return folder


def edit_json(relative, edit):
    def change(folder):
        path = folder / relative
        data = json.loads(path.read_text())
        edit(data)
        path.write_text(json.dumps(data))

    return change


BROKEN = {
    "bad JSON": lambda f: (f / "videos.json").write_text("[{"),
    "missing field": edit_json("videos.json", lambda d: d[0].pop("url")),
    "unknown user": edit_json("assignments.json", lambda d: d[0].update(user_name="Nobody")),
    "unknown project": edit_json("annotations/human_projects.json", lambda d: d[0].update(project_name="Nope")),
    "not an option": edit_json(
        "annotations/human_projects.json", lambda d: d[0]["answers"].update({"Number of people?": "9"})
    ),
    "unregistered function": edit_json("question_groups/nsfw.json", lambda d: d.update(verification_function="nope")),
    "verification fails": edit_json(
        "annotations/human_projects.json", lambda d: d[0]["answers"].update({"If there are people, describe them.": ""})
    ),
    "unknown schema": edit_json("projects.json", lambda d: d[0].update(schema_name="Nope")),
    "duplicate video": edit_json("videos.json", lambda d: d.append(dict(d[0]))),
    "bad role": edit_json("assignments.json", lambda d: d[0].update(role="boss")),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_no_requirement_ids_in_sync_errors(tmp_path, case):
    folder = break_workspace(tmp_path, "ws", BROKEN[case])
    with pytest.raises(SyncError) as exc:
        sync_from_folder(folder, quiet=True)
    message = str(exc.value)
    assert message.strip()
    assert ids_in(message) == [], message


# --------------------------------------------------------------------------- the crawl


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# Patterns no crawl can or should fill in: format suffixes (the same views as without), the admin's catch-all
# and view-on-site redirect, and the delete pages of admins that allow no deletes.
NOT_CRAWLED = re.compile(r"\(\?P<format>|<drf_format_suffix:format>|\(\?P<url>|^(admin/)?r/<|/delete/$")


def fill(pattern: str, values: dict[str, object]) -> str | None:
    """The URL for a pattern with its parameters replaced, or None when one has no value."""
    missing = []

    def value(match):
        name = match[1] or match[2]
        if name not in values:
            missing.append(name)
            return ""
        return str(values[name])

    url = PARAM.sub(value, pattern).replace("^", "").replace("$", "").replace("\\", "")
    return None if missing else "/" + url


def portal_urls(demo) -> tuple[list[str], list[str]]:
    """Every non-admin GET URL with each demo project filled in, plus the search pages with real queries."""
    urls, unfilled = [], []
    for pattern in walk(get_resolver().url_patterns):
        if pattern.startswith("admin/") and not pattern.startswith("admin/tools/") or NOT_CRAWLED.search(pattern):
            continue  # the admin is walked through its model admins (admin_urls)
        if pattern.startswith("api/^") and "(?P<pk>" in pattern:
            continue  # API details: from the rows each role can list (api_detail_urls)
        if not PARAM.search(pattern):
            urls.append(fill(pattern, {}))
            continue
        for project in demo["projects"]:
            url = fill(pattern, demo["values"][project.pk])
            if url is None:
                unfilled.append(pattern)
                break
            urls.append(url)
    human, training = demo["projects"][0], demo["training"]
    gt_question = GroundTruth.objects.filter(project=training).first().question_id
    urls += [
        reverse("search:editor") + "?q=pizza",
        reverse("search:editor") + "?video_uid=pizza.mp4",
        reverse("search:criteria_schema") + f"?scope={human.schema_id}&pick_scope={human.schema_id}",
        reverse("search:criteria_project") + f"?scope={training.pk}&c={training.pk}~{gt_question}~No&match=all",
        reverse("search:criteria_project") + f"?scope={training.pk}&pick_scope={training.pk}&pick_q={gt_question}",
        reverse("search:completion") + f"?project={training.pk}&status=all",
        reverse("annotate:project", args=[training.pk]) + "?sort=accuracy",
        reverse("annotate:report", args=[training.pk]) + "?format=csv",
        reverse("review:project", args=[training.pk]) + "?sort=accuracy&dir=desc",
        reverse("api:ground-truth-list") + f"?project={training.pk}",
    ]
    return urls, unfilled


def admin_urls() -> tuple[list[str], list[str]]:
    """The admin index and pages, and for every registered model its changelist, add, change and own pages."""
    urls, unfilled = [], []
    models = tuple(f"{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry)
    for pattern in walk(admin.site.get_urls()):
        if NOT_CRAWLED.search(pattern) or pattern.startswith(models):
            continue  # the model pages come next, with an object of each model
        url = fill(pattern, {"app_label": "catalog"})
        if url is None:
            unfilled.append(pattern)
        else:
            urls.append("/admin" + url)
    urls.append("/admin/annotation/")
    for model, model_admin in admin.site._registry.items():
        obj = model.objects.order_by("pk").first()
        for pattern in walk(model_admin.get_urls()):
            if NOT_CRAWLED.search(pattern):
                continue
            if PARAM.search(pattern) and obj is None:
                unfilled.append(f"{model.__name__}: {pattern} (no object)")
                continue
            url = fill(pattern, {"object_id": obj.pk, "id": obj.pk} if obj is not None else {})
            if url is None:
                unfilled.append(pattern)
            else:
                urls.append(f"/admin/{model._meta.app_label}/{model._meta.model_name}" + url)
    return urls, unfilled


def api_detail_urls(client) -> list[str]:
    """Detail URLs of the API, from the first row of each list the client can read."""
    urls = []
    for pattern in walk(get_resolver().url_patterns):
        if pattern.startswith("api/^") and pattern.endswith("/$") and "(?P" not in pattern:
            listed = client.get(fill(pattern, {}))
            rows = listed.json().get("results", []) if listed.status_code == 200 else []
            if rows and "id" in rows[0]:
                urls.append(f"{fill(pattern, {})}{rows[0]['id']}/")
    return urls


@pytest.fixture
def demo(db):
    sync_from_folder(DEMO, quiet=True)
    projects = list(Project.objects.select_related("schema").order_by("name"))
    values = {}
    for project in projects:
        video = project.videos.order_by("project_links__position").first()
        group = project.schema.memberships.order_by("position").first().group
        values[project.pk] = {
            "project_id": project.pk,
            "project_pk": project.pk,
            "video_id": video.pk,
            "group_id": group.pk,
        }
    # The admin change pages need an object of every kind; the demo has no description review, custom display
    # or API token, so add one of each.
    answer = Answer.objects.filter(question__qtype="description").exclude(value="").first()
    AnswerReview.objects.create(answer=answer, reviewer=User.objects.get(user_id="Reviewer 1"), status="approved")
    CustomDisplay.objects.create(
        project=answer.project, video=answer.video, question=answer.question, custom_display_text="Who is there?"
    )
    issue_token(User.objects.get(user_id="Robot 1"))
    # The team pages need a payment, a feedback note and a reply; the login-throttling admin an attempt and a log.
    admin_user, annotator = User.objects.get(user_id="Admin 1"), User.objects.get(user_id="User 1")
    payment = record_payment(
        actor=admin_user,
        person=annotator,
        paid_on=datetime.date(2026, 11, 30),
        amount=Decimal("120.00"),
        currency="USD",
    )
    feedback = give_feedback(actor=admin_user, person=annotator, text="Careful with crowds.", given_on=payment.paid_on)
    reply_to_feedback(actor=annotator, feedback=feedback, text="Will do.")
    now = timezone.now()
    login = {"user_agent": "test", "ip_address": "127.0.0.1", "username": annotator.email, "http_accept": "*/*"}
    AccessAttempt.objects.create(**login, path_info="/login/", failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**login, path_info="/login/", attempt_time=now)
    AccessFailureLog.objects.create(**login, path_info="/login/", attempt_time=now, locked_out=False)
    for project in projects:
        values[project.pk] |= {
            "person_pk": annotator.pk,
            "pk": annotator.pk,
            "payment_pk": payment.pk,
            "feedback_pk": feedback.pk,
        }
    assert GroundTruthHistory.objects.exists()
    return {"projects": projects, "values": values, "training": Project.objects.get(name="Human Test 0")}


ROLES = {
    "annotator": "user1@example.com",
    "reviewer": "reviewer1@example.com",
    "meta-reviewer and global admin": "admin1@example.com",
    "outsider": None,
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_crawl_every_page_as_each_role_and_find_no_requirement_id(client, demo, role):
    user = User.objects.get(email=ROLES[role]) if ROLES[role] else UserFactory(user_id="Out Sider")
    client.force_login(user)
    urls, unfilled = portal_urls(demo)
    if user.is_global_admin:
        more, unfilled_admin = admin_urls()
        urls += more
        unfilled += unfilled_admin
    assert unfilled == [], (
        f"URL patterns the crawl cannot fill in: add their parameters to the demo fixture: {unfilled}"
    )
    urls += api_detail_urls(client)
    found, statuses = [], {}
    for url in dict.fromkeys(urls):
        response = client.get(url)
        statuses[url] = response.status_code
        if response.streaming or response.status_code in (301, 302):
            continue
        found += [
            f"{url} ({response.status_code}): {hit}" for hit in ids_in(response.content.decode("utf-8", "replace"))
        ]
    assert found == []
    ok = [u for u, s in statuses.items() if s == 200]
    # The crawl reached real pages, not only refusals.
    minimum = {"annotator": 35, "reviewer": 60, "outsider": 15, "meta-reviewer and global admin": 170}[role]
    assert len(ok) >= minimum, sorted(statuses.items())
    assert not [u for u, s in statuses.items() if s >= 500]
