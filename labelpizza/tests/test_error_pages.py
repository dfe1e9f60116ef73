"""Error pages: an unreachable database explains itself (PORTAL-GEN-5); 403/404 link to the user's portals."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from labelpizza.db_errors import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def test_portal_gen_5_database_unreachable_gives_503_with_retry():
    request = RequestFactory().get("/annotate/3/?page=2")
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "The database is not reachable" in body and 'href="/annotate/3/?page=2"' in body
    assert "connection refused" not in body  # no internals shown


def test_other_errors_are_not_swallowed():
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_not_found_page_links_to_own_portals(client, annotator, settings):
    settings.DEBUG = False
    client.force_login(annotator)
    response = client.get("/annotate/999999/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode() and 'href="/annotate/"' in response.content.decode()


def test_share_link_403_for_non_admins_links_to_own_portals(client, annotator, settings):
    settings.DEBUG = False
    client.force_login(annotator)
    response = client.get("/", {"video_uid": "x"})
    assert response.status_code == 403 and 'href="/annotate/"' in response.content.decode()
