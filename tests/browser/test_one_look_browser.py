"""Issue 11 point 7 in a real browser, on the demo workspace: the reviewer, meta-reviewer, search and admin
pages at 1440 px and 390 px wide. The top bar fits the window, nothing scrolls sideways, links are never the
browser's default blue, fieldsets have no default border, and the favicon loads. Screenshots of each page
(what is in the window) land in $LP_SCREENSHOTS (default /tmp/lp-shots) as look-<page>-<width>.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from syncing.helpers import sync_from_folder
from tests.support.browser import SCREENSHOTS, login

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"
WIDTHS = [(1440, 900), (390, 844)]
PAGES = [
    ("review", "/review/", "Pizza Test 0"),
    ("meta", "/meta-review/", "Human Test 0"),
    ("search", "/search/video/?q=pizza&video_uid=pizza.mp4", None),
    ("admin", "/admin/", None),
    ("admin-project", "/admin/catalog/project/", None),
]

LOOK_PROBLEMS = """
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const scrolled = document.documentElement.scrollWidth;
  if (scrolled > width + 1) problems.push(`page scrolls sideways: ${scrolled} > ${width}`);
  const bar = document.querySelector(".topbar, #header");
  for (const el of bar.querySelectorAll("a, button, strong")) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > width + 1 || r.left < -1)) problems.push(`top bar: ${el.textContent.trim()} outside`);
  }
  for (const a of document.querySelectorAll("a[href]")) {
    const c = getComputedStyle(a).color;
    const name = a.textContent.trim();
    if (c === "rgb(0, 0, 238)" || c === "rgb(85, 26, 139)") problems.push(`default link colour: ${name}`);
  }
  for (const f of document.querySelectorAll("fieldset")) {
    const s = getComputedStyle(f);
    if (s.borderTopStyle === "groove") problems.push(`default fieldset border: ${f.textContent.trim().slice(0, 30)}`);
  }
  return problems;
}
"""


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_portals_and_admin_share_one_look_at_desktop_and_phone_width(page: Page, live_server, demo, width, height):
    page.set_viewport_size({"width": width, "height": height})
    favicons = []
    page.on("response", lambda r: favicons.append(r.status) if r.url.endswith("/static/img/favicon.svg") else None)
    login(page, live_server, "admin1@example.com", "admin111")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path, project in PAGES:
        page.goto(live_server.url + path)
        if project:
            page.get_by_role("link", name=project, exact=True).first.click()
            page.wait_for_load_state("load")
        problems = page.evaluate(LOOK_PROBLEMS)
        assert problems == [], f"{name} at {width}px: {problems}"
        page.screenshot(path=str(SCREENSHOTS / f"look-{name}-{width}.png"))
    assert favicons and set(favicons) <= {200, 304}
