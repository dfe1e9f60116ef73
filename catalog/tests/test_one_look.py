"""Issue 11 point 7: one visual system. The admin wears the portals' theme and favicon, marks need no emoji
font, /review/ answers a non-reviewer like the other portals (403), and the admin index hides the join
tables that have a better editor (their lists stay reachable by URL)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Assignment
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Emoji need an emoji font (Debian has none by default): pictographs, misc symbols and the emoji selector.
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u26ff\ufe0f]")


@pytest.fixture
def admin(db):
    user = AdminFactory(user_id="Ada Admin")
    ensure_global_admin_rows(users=[user])
    return user


def test_no_page_source_relies_on_an_emoji_font():
    sources = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.jinja"), *ROOT.glob("static/js/*.js")]
    sources += [p for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    found = [f"{p.relative_to(ROOT)}: {m[0]!r}" for p in sources for m in EMOJI.finditer(p.read_text("utf-8"))]
    assert found == []


def test_non_reviewer_gets_the_403_page_on_the_reviewer_portal(client, annotator):
    client.force_login(annotator)
    response = client.get(reverse("review:dashboard"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page and 'href="/annotate/"' in page  # with links to the user's own portals


def test_reviewers_and_global_admins_keep_the_reviewer_portal(client, reviewer, admin):
    client.force_login(reviewer)
    assert client.get(reverse("review:dashboard")).status_code == 200
    client.force_login(admin)
    assert client.get(reverse("review:dashboard")).status_code == 200


def test_archived_reviewer_row_is_no_reviewer_portal(client, reviewer, project):
    Assignment.objects.filter(user=reviewer, role=Assignment.Role.REVIEWER).update(is_active=False)
    client.force_login(reviewer)
    assert client.get(reverse("review:dashboard")).status_code == 403


def test_every_page_frame_links_the_favicon(client, annotator, admin):
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/login/").content.decode()
    client.force_login(annotator)
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(reverse("annotate:dashboard")).content.decode()
    client.force_login(admin)
    admin_page = client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in admin_page
    assert "/static/css/admin_theme.css" in admin_page and "dark_mode.css" not in admin_page
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(reverse("api:docs")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(reverse("api:redoc")).content.decode()
    assert (ROOT / "static" / "img" / "favicon.svg").read_text().startswith("<svg")


def test_admin_index_hides_join_tables_but_keeps_their_lists(client, admin):
    client.force_login(admin)
    index = client.get(reverse("admin:index")).content.decode()
    hidden = ("projectgroupproject", "schemaquestiongroup", "apitoken", "questiongroupquestion", "projectvideo")
    for model in hidden:
        assert f"/admin/catalog/{model}/" not in index, model
        assert client.get(f"/admin/catalog/{model}/").status_code == 200, model  # still reachable
    for model in ("project", "schema", "questiongroup", "user", "projectgroup", "assignment"):
        assert f"/admin/catalog/{model}/" in index, model


def test_user_page_links_to_the_api_tokens(client, admin):
    from catalog.tokens import issue_token

    issue_token(admin)
    client.force_login(admin)
    page = client.get(reverse("admin:catalog_user_change", args=[admin.pk])).content.decode()
    assert f'<a href="{reverse("admin:catalog_apitoken_changelist")}">all API tokens</a>' in page
