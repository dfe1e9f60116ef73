"""The video player in a real browser (PLAYER-2, 4, 5, 6, 7), on a test-only page of four players.

The demo clip /static/demo/pizza.mp4 is 4 seconds long, so seeks are asserted against that length.
YouTube is blocked (the machines are offline, and the player must cope with that anyway); the segment
test stands in a fake IFrame API. Screenshots land in /tmp/lp-shots (player.png).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import serve_with_byte_ranges, shot  # Range: live_server's static view ignores it

pytestmark = pytest.mark.django_db

CLIP_SECONDS = 4.0


# A stand-in for the YouTube IFrame API: a 20 s video whose clock runs at 5x (0.5 s every 100 ms).
FAKE_YOUTUBE_API = """
window.YT = {PlayerState: {ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5}, Player: class {
  constructor(el, opts) {
    Object.assign(this, {opts, t: opts.playerVars.start || 0, state: 5, rate: 1, muted: false, vol: 100});
    this.frame = document.createElement("iframe"); el.replaceWith(this.frame); window.fakeYT = this;
    setTimeout(() => opts.events.onReady({target: this}), 0);
  }
  set(state) { this.state = state; this.opts.events.onStateChange({target: this, data: state}); }
  playVideo() {
    clearInterval(this.clock); this.set(1);
    const step = () => { this.t = Math.min(20, this.t + 0.5); if (this.t === 20) this.pauseVideo(0); };
    this.clock = setInterval(step, 100);
  }
  pauseVideo(state = 2) { clearInterval(this.clock); this.set(state); }
  getPlayerState() { return this.state; } getCurrentTime() { return this.t; } getDuration() { return 20; }
  seekTo(t) { this.t = t; } getPlaybackRate() { return this.rate; } setPlaybackRate(r) { this.rate = r; }
  getAvailablePlaybackRates() { return [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]; }
  isMuted() { return this.muted; } mute() { this.muted = true; } unMute() { this.muted = false; }
  getVolume() { return this.vol; } setVolume(v) { this.vol = v; }
  getVideoData() { return {title: "Fake <b>title</b>"}; } destroy() { this.pauseVideo(); this.frame.remove(); }
}};
window.onYouTubeIframeAPIReady();
"""


def open_player_page(page: Page, live_server, settings, *, youtube_api: str | None = None) -> list[str]:
    """Open the test page; YouTube is blocked unless a stand-in API is given. Returns the page's JS errors."""
    settings.ROOT_URLCONF = "annotation.tests.browser.player_urls"
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*youtube.com/**", lambda route: route.abort())
    if youtube_api:
        page.route(
            "https://www.youtube.com/iframe_api",
            lambda route: route.fulfill(body=youtube_api, content_type="text/javascript"),
        )
    page.route("**/static/demo/*.mp4", serve_with_byte_ranges)
    page.goto(live_server.url + "/")
    expect(page.locator("[data-player][data-lp-state=ready]")).to_have_count(4)
    # Metadata (duration) must be in before seeks can be asserted.
    page.wait_for_function("[...document.querySelectorAll('video')].every(v => v.readyState >= 1)")
    return errors


@pytest.fixture
def player_page(page: Page, live_server, settings):
    errors = open_player_page(page, live_server, settings)
    yield page
    assert errors == [], "the page raised JavaScript errors"


def video_state(page: Page, player_id: str) -> dict:
    return page.eval_on_selector(
        f"#{player_id} video",
        "v => ({muted: v.muted, paused: v.paused, time: v.currentTime, rate: v.playbackRate,"
        " src: v.getAttribute('src')})",
    )


def active_id(page: Page) -> str:
    return page.evaluate("window.LabelPizzaPlayer.activePlayer().root.id")


def test_file_starts_muted_and_play_makes_time_advance(player_page: Page):
    page = player_page
    assert video_state(page, "p-1")["muted"] is True
    assert video_state(page, "p-2")["muted"] is True
    expect(page.locator("#p-1 [data-action=mute]")).to_have_attribute("aria-label", "Unmute")

    page.click("#p-1 [data-action=play]")

    page.wait_for_function("document.querySelector('#p-1 video').currentTime > 0.3")
    expect(page.locator("#p-1 [data-action=play]")).to_have_attribute("aria-label", "Pause")
    expect(page.locator("#p-1 .lp-time")).to_have_text(re.compile(r"^0:00\.[1-9] / 0:04\.0$"))  # m:ss.t (issue 11.9)
    page.click("#p-1 [data-action=play]")
    assert video_state(page, "p-1")["paused"] is True


def test_keyboard_shortcuts_act_on_the_player_last_clicked(player_page: Page):
    page = player_page
    assert active_id(page) == "p-1"  # before any click: the first on the page
    page.click("#p-2 .lp-time")  # a click anywhere in a player makes it the active one
    assert active_id(page) == "p-2"

    page.keyboard.press(".")
    assert video_state(page, "p-2")["rate"] == 1.5
    page.keyboard.press(">")
    assert video_state(page, "p-2")["rate"] == 2
    for key in [",", ",", ",", "<"]:  # 1.5, 1, 0.5, 0.2
        page.keyboard.press(key)
    assert video_state(page, "p-2")["rate"] == 0.2
    expect(page.locator("#p-2 .lp-speed")).to_have_value("0.2")

    page.keyboard.press("5")  # 50% of 4 s
    assert video_state(page, "p-2")["time"] == pytest.approx(CLIP_SECONDS / 2, abs=0.1)
    expect(page.locator("#p-2 .lp-time")).to_have_text("0:02.0 / 0:04.0")
    page.keyboard.press("ArrowLeft")  # -5 s, clamped at the start
    assert video_state(page, "p-2")["time"] == pytest.approx(0, abs=0.1)
    page.keyboard.press("ArrowRight")  # +5 s, clamped at the end of a 4 s clip
    assert video_state(page, "p-2")["time"] == pytest.approx(CLIP_SECONDS, abs=0.1)
    page.keyboard.press("0")

    scroll_before = page.evaluate("window.scrollY")
    page.keyboard.press("Space")
    assert video_state(page, "p-2")["paused"] is False
    assert page.evaluate("window.scrollY") == scroll_before  # Space did not scroll the page
    page.keyboard.press("Space")
    assert video_state(page, "p-2")["paused"] is True

    assert video_state(page, "p-1") | {"muted": None, "time": None} == {
        "muted": None,
        "paused": True,
        "time": None,
        "rate": 1,
        "src": "/static/demo/pizza.mp4#t=0.1",  # idle at its first frame (issue 11.9)
    }, "the other player is untouched"
    assert video_state(page, "p-1")["time"] == pytest.approx(0.1, abs=0.01)


def test_keys_typed_in_a_text_input_do_nothing(player_page: Page):
    page = player_page
    page.click("#p-1 .lp-time")
    page.click("#notes")

    page.keyboard.type("5., <>")
    page.keyboard.press("ArrowRight")

    expect(page.locator("#notes")).to_have_value("5., <>")
    state = video_state(page, "p-1")
    assert (state["time"], state["rate"], state["paused"]) == (pytest.approx(0.1, abs=0.01), 1, True)


def test_buttons_seek_bar_and_speed_menu(player_page: Page):
    page = player_page
    page.click("#p-1 [data-action=fwd5]")
    assert video_state(page, "p-1")["time"] == pytest.approx(CLIP_SECONDS, abs=0.1)
    page.click("#p-1 [data-action=back5]")
    assert video_state(page, "p-1")["time"] == pytest.approx(0, abs=0.1)

    seek = page.locator("#p-1 .lp-seek")
    box = seek.bounding_box()
    seek.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    assert video_state(page, "p-1")["time"] == pytest.approx(CLIP_SECONDS * 0.75, abs=0.25)
    # Dragging the thumb back to a quarter scrubs as it goes.
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert video_state(page, "p-1")["time"] == pytest.approx(CLIP_SECONDS * 0.25, abs=0.25)

    page.select_option("#p-1 .lp-speed", "5")
    assert video_state(page, "p-1")["rate"] == 5

    page.click("#p-1 [data-action=mute]")
    assert video_state(page, "p-1")["muted"] is False
    expect(page.locator("#p-1 [data-action=mute]")).to_have_attribute("aria-label", "Mute")

    download = page.locator("#p-1 [data-action=download]")
    expect(download).to_have_attribute("download", "pizza demo #1.mp4")
    expect(download).to_have_attribute("href", "/static/demo/pizza.mp4")


def test_share_copies_the_absolute_share_link(player_page: Page, live_server):
    page = player_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.click("#p-1 [data-action=share]")

    expect(page.locator("#p-1 .lp-status")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/v/1/?project=2&portal=annotate"  # role-neutral (issue 11.9)


def test_youtube_offline_shows_the_uid_and_the_link_out(player_page: Page):
    page = player_page
    card = page.locator("#p-yt")
    expect(card.locator(".lp-title")).to_have_text("yt <segment>")  # as text, not markup
    expect(card.locator(".lp-message")).to_contain_text("could not be loaded")
    link = card.locator(".lp-message").get_by_role("link", name="Open on YouTube")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3s")
    expect(card.locator(".lp-loop-segment")).to_be_checked()
    expect(card.locator("[data-action=play]")).to_be_disabled()
    expect(card.locator("[data-action=share]")).to_be_enabled()

    card.locator(".lp-time").click()
    page.keyboard.press("Space")  # no player to drive: ignored, and no error


def test_youtube_segment_starts_at_start_loops_and_can_play_on(page: Page, live_server, settings):
    errors = open_player_page(page, live_server, settings, youtube_api=FAKE_YOUTUBE_API)
    card = page.locator("#p-yt")
    expect(card).to_have_class(re.compile(r"\bis-ready\b"))
    expect(card.locator(".lp-title")).to_have_text("Fake <b>title</b>")  # PLAYER-3, as text
    options = card.locator(".lp-speed option")
    expect(options).to_have_count(4)  # PLAYER-4: only the rates YouTube reports
    assert [o.get_attribute("value") for o in options.all()] == ["0.5", "1", "1.5", "2"]
    expect(card.locator(".lp-time")).to_have_text("0:03.0 / 0:20.0")  # starts at start=3
    seek_style = card.locator(".lp-seek").get_attribute("style")
    assert "--lp-seg-from: 15.00%" in seek_style and "--lp-seg-to: 40.00%" in seek_style  # 3..8 of 20 s shaded

    card.locator("[data-action=play]").click()
    page.wait_for_function("window.fakeYT.t >= 7")
    page.wait_for_function("window.fakeYT.t < 5")  # at end=8 it jumped back to 3 (PLAYER-5)
    card.locator(".lp-loop-segment").uncheck()
    page.wait_for_function("window.fakeYT.t > 10")  # loop off: plays on past the end

    card.locator(".lp-yt-shield").click()  # clicking the picture pauses
    assert page.evaluate("window.fakeYT.state") == 2
    page.keyboard.press("5")  # digits address the segment: 3 + 50% of 5 s
    assert page.evaluate("window.fakeYT.t") == 5.5
    page.keyboard.press(".")
    assert page.evaluate("window.fakeYT.rate") == 1.5
    assert errors == []


def test_htmx_rerender_releases_the_old_player_and_starts_the_new_one(player_page: Page):
    page = player_page
    page.click("#p-swap [data-action=play]")
    page.wait_for_function("document.querySelector('#p-swap video').currentTime > 0.1")
    old_video = page.locator("#p-swap video").element_handle()

    page.click("#swap")

    expect(page.locator("#p-swapped[data-lp-state=ready]")).to_be_visible()
    assert old_video.evaluate("v => [v.isConnected, v.paused, v.hasAttribute('src')]") == [False, True, False]
    assert video_state(page, "p-swapped")["muted"] is True


def test_screenshot(player_page: Page):
    page = player_page
    page.click("#p-1 .lp-time")
    page.keyboard.press("5")
    page.click("#p-2 [data-action=mute]")
    page.keyboard.press(".")
    page.wait_for_function("[...document.querySelectorAll('video')].every(v => v.readyState >= 2)")
    shot(page, "player")


# --------------------------------------------------------------------------- issue 11.9


def frame_brightness(page: Page, player_id: str) -> float:
    """Mean brightness (0-255) of what the idle <video> shows, drawn onto a canvas."""
    return page.eval_on_selector(
        f"#{player_id} video",
        """v => { const c = document.createElement("canvas"); c.width = 64; c.height = 36;
        const g = c.getContext("2d"); g.drawImage(v, 0, 0, 64, 36);
        const d = g.getImageData(0, 0, 64, 36).data; let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
        return sum / (d.length / 4); }""",
    )


def test_idle_players_show_a_first_frame_not_a_black_box(player_page: Page):
    page = player_page
    page.wait_for_function("[...document.querySelectorAll('video')].every(v => v.readyState >= 2)")
    for player_id in ("p-1", "p-2"):
        assert video_state(player_id=player_id, page=page)["paused"] is True
        assert frame_brightness(page, player_id) > 40, player_id  # the demo clips have bright backgrounds
    expect(page.locator("#p-1 .lp-time")).to_have_text(re.compile(r"^0:00\.1 / 0:04\.0$"))
    shot(page, "player-first-frames")


def test_first_play_starts_at_zero_not_at_the_frame_shown(player_page: Page):
    page = player_page
    page.click("#p-1 [data-action=play]")
    page.wait_for_function("document.querySelector('#p-1 video').currentTime > 0.3")
    page.click("#p-1 [data-action=play]")
    played_from = page.eval_on_selector("#p-1 video", "v => v.played.start(0)")
    assert played_from == pytest.approx(0, abs=0.02)  # not from 0.1, the frame shown while idle


def playing(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-player]", "els => els.filter(e => !e.querySelector('video').paused).map(e => e.id)"
    )


def test_autoplay_plays_only_the_player_in_view(page: Page, live_server, settings):
    settings.ROOT_URLCONF = "annotation.tests.browser.player_urls"
    page.route("**/static/demo/*.mp4", serve_with_byte_ranges)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/autoplay/")
    expect(page.locator("[data-player][data-lp-state=ready]")).to_have_count(3)
    page.wait_for_function("!document.querySelector('#a-1 video').paused")
    assert playing(page) == ["a-1"]
    page.locator("#a-2").scroll_into_view_if_needed()
    page.wait_for_function("!document.querySelector('#a-2 video').paused")
    page.wait_for_function("document.querySelector('#a-1 video').paused")
    assert playing(page) == ["a-2"]
    # A player the person paused stays paused when it comes back into view.
    page.click("#a-2 [data-action=play]")
    page.locator("#a-3").scroll_into_view_if_needed()
    page.wait_for_function("!document.querySelector('#a-3 video').paused")
    page.locator("#a-2").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#a-3 video').paused")
    assert playing(page) == []
