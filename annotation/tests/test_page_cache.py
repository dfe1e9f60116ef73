"""The whole-page cache of the annotator pages (labelpizza/page_cache.py).

Requirement IDs: DM-DER-1 / PORTAL-GEN-4 (pages show committed data: a cache is valid only until the next
write), SEC-2 (CSRF tokens on a cached page still work), SEC-4 (a removed role is a 404 at once).
The cache needs PostgreSQL snapshots and committed transactions, so most tests here run on PostgreSQL
with transactional_db; on SQLite every page is rendered (checked below).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from annotation.models import Answer
from catalog.models import Assignment
from catalog.tests.factories import UserFactory
from labelpizza.page_cache import HEADER

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the page cache needs PostgreSQL")


def cached_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("annotate:dashboard"))  # the first page issues the CSRF cookie; pages are kept after that
    return client


def from_cache(client, url, tries: int = 5):
    """GET `url` until the cache serves it. The snapshot is server-wide, so a transaction in another database
    on the same server (another test run) turns a hit into a miss; a working cache hits within a few tries,
    a broken one never does."""
    for _ in range(tries):
        response = client.get(url)
        if response[HEADER] == "hit":
            break
    return response


def page_url(project):
    return reverse("annotate:project", args=[project.pk])


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_unchanged_database_serves_the_same_page_from_the_cache(annotator, project):
    client = cached_client(annotator)
    for attempt in range(5):  # a pair with no transaction anywhere on the server in between (see from_cache)
        url = f"{page_url(project)}?attempt={attempt}"  # a path not kept yet: the first GET renders
        first, second = client.get(url), client.get(url)
        if second[HEADER] == "hit":
            break
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"
    other_page = client.get(page_url(project) + "?sort=completion")
    assert other_page[HEADER] == "miss", "the full path is part of the key"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_any_committed_write_invalidates_the_page(annotator, project):
    client = cached_client(annotator)
    client.get(page_url(project))
    assert from_cache(client, page_url(project))[HEADER] == "hit"
    group = project.schema.memberships.get().group
    single, description = group.ordered_questions()
    video = project.videos.first()
    Answer.objects.create(project=project, video=video, question=description, user=annotator, value="A red kite")

    response = client.get(page_url(project))

    assert response[HEADER] == "miss"
    assert "A red kite" in response.content.decode()
    assert from_cache(client, page_url(project))[HEADER] == "hit"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_removed_role_is_a_404_not_a_cached_page(annotator, project):
    client = cached_client(annotator)
    client.get(page_url(project))
    assert from_cache(client, page_url(project))[HEADER] == "hit"
    Assignment.objects.filter(user=annotator, project=project).update(is_active=False)
    assert client.get(page_url(project)).status_code == 404


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_entries_belong_to_one_session_and_one_user(annotator, project):
    first = cached_client(annotator)
    first.get(page_url(project))
    assert from_cache(first, page_url(project))[HEADER] == "hit"
    assert cached_client(annotator).get(page_url(project))[HEADER] == "miss", "another session of the same user"
    colleague = UserFactory()
    Assignment.objects.create(user=colleague, project=project, role=Assignment.Role.ANNOTATOR)
    other = cached_client(colleague)
    assert other.get(page_url(project))[HEADER] == "miss"
    assert "Ann Otator" not in other.get(page_url(project)).content.decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_csrf_token_from_a_cached_page_is_accepted(annotator, project):
    client = cached_client(annotator)
    client.get(page_url(project))
    page = from_cache(client, page_url(project))
    assert page[HEADER] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    group = project.schema.memberships.get().group
    single, description = group.ordered_questions()
    video = project.videos.first()
    prefix = f"v{video.pk}g{group.pk}"
    response = client.post(
        reverse("annotate:submit", args=[project.pk, video.pk, group.pk]),
        {"csrfmiddlewaretoken": token, f"{prefix}-q{single.pk}": "yes", f"{prefix}-q{description.pk}": "ok"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Answer.objects.filter(user=annotator, video=video).count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_pending_messages_are_shown_by_a_fresh_render(annotator, project):
    client = Client()
    client.force_login(annotator)
    client.get(page_url(project))
    group = project.schema.memberships.get().group
    single, description = group.ordered_questions()
    video = project.videos.first()
    prefix = f"v{video.pk}g{group.pk}"
    client.post(
        reverse("annotate:submit", args=[project.pk, video.pk, group.pk]),
        {f"{prefix}-q{single.pk}": "yes", f"{prefix}-q{description.pk}": "ok", "next": page_url(project)},
    )  # without htmx: redirect with a flash message
    response = client.get(page_url(project))
    assert HEADER not in response
    assert "Answers saved." in response.content.decode()
    client.get(page_url(project))
    assert from_cache(client, page_url(project))[HEADER] == "hit"
    assert "Answers saved." not in client.get(page_url(project)).content.decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_no_cache_inside_a_transaction_or_when_turned_off(annotator, project, settings):
    client = cached_client(annotator)
    client.get(page_url(project))
    with transaction.atomic():
        assert HEADER not in client.get(page_url(project))
    settings.PAGE_CACHE = False
    assert HEADER not in client.get(page_url(project))


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite behaviour")
@pytest.mark.django_db(transaction=True)
def test_sqlite_renders_every_page(annotator, project):
    client = cached_client(annotator)
    for _ in range(2):
        response = client.get(page_url(project))
        assert response.status_code == 200 and HEADER not in response


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_pages_of_another_release_are_not_served(annotator, project, monkeypatch):
    from labelpizza import page_cache

    client = cached_client(annotator)
    client.get(page_url(project))
    assert from_cache(client, page_url(project))[HEADER] == "hit"
    assert len(page_cache.release()) == 16
    monkeypatch.setattr(page_cache, "release", lambda: "another-release")
    assert client.get(page_url(project))[HEADER] == "miss"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_review_page_is_cached_until_ground_truth_changes(reviewer, annotator, project):
    from annotation.models import GroundTruth

    client = cached_client(reviewer)
    url = reverse("review:project", args=[project.pk])
    client.get(url)
    assert from_cache(client, url)[HEADER] == "hit"
    group = project.schema.memberships.get().group
    single, description = group.ordered_questions()
    video = project.videos.first()
    GroundTruth.objects.create(
        project=project,
        video=video,
        question=description,
        value="Two owls",
        reviewer_value="Two owls",
        reviewer=reviewer,
    )
    response = client.get(url)
    assert response[HEADER] == "miss" and "Two owls" in response.content.decode()
    meta = reverse("meta:project", args=[project.pk])
    assert client.get(meta).status_code == 403, "the meta-review path is its own entry, and refused to reviewers"
