"""Issue 11 point 10: the API docs (Swagger UI and Redoc) load everything from this server; nothing is
fetched from the internet (Redoc used to fetch Google fonts and a logo)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from catalog.tests.factories import UserFactory
from tests.support.browser import login, shot


@pytest.fixture
def member(transactional_db):
    return UserFactory(email="dev@example.com")


@pytest.mark.parametrize(("path", "ready"), [("/api/docs/", ".swagger-ui .info"), ("/api/docs/redoc/", "h1")])
def test_api_docs_request_nothing_outside_the_server(page: Page, live_server, member, path, ready):
    login(page, live_server, "dev@example.com", "secret123")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.route(lambda url: urlsplit(url).netloc != urlsplit(live_server.url).netloc, lambda route: route.abort())
    page.goto(live_server.url + path)
    expect(page.locator(ready).first).to_contain_text("Label Pizza API", timeout=30000)
    page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(live_server.url).netloc}, sorted(u for u in requests if live_server.url not in u)
    assert any("/api/schema/" in url for url in requests)  # the docs read the schema from this server
    shot(page, f"api-docs-{path.strip('/').replace('/', '-')}")
