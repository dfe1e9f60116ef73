"""The player's config (PLAYER-1..3, PORTAL-NAV-4) and its partial's escaping (PLAYER-8, SEC-3). No DB."""

import json
import re

import pytest
from django.template import engines

from annotation.player import PLAYBACK_RATES, download_name, player_config, share_path
from catalog.tests.factories import VideoFactory

player_macro = engines["jinja2"].env.get_template("annotation/player.jinja").module.player


def config(uid="clip.mp4", url="https://videos.example.com/clip.mp4"):
    video = VideoFactory.build(video_uid=uid, url=url)
    return player_config(video, share_url=share_path(uid))


def test_an_mp4_url_plays_as_a_file():
    cfg = config("kitchen_01.mp4", "https://cdn.example.com/k/kitchen_01.mp4")
    assert cfg == {
        "uid": "kitchen_01.mp4",
        "kind": "file",
        "src": "https://cdn.example.com/k/kitchen_01.mp4",
        "frame_src": "https://cdn.example.com/k/kitchen_01.mp4#t=0.1",  # the first frame, not a black box
        "youtube_id": None,
        "start": None,
        "end": None,
        "download_name": "kitchen_01.mp4",
        "share_url": "/search/video/?video_uid=kitchen_01.mp4",
        "youtube_url": None,
        "rates": [0.2, 0.5, 1, 1.5, 2, 5, 10],
    }
    json.dumps(cfg)  # it travels through json_script


def test_a_site_relative_path_plays_as_a_file():
    cfg = config("pizza", "/static/demo/pizza.mp4")
    assert (cfg["kind"], cfg["src"], cfg["download_name"]) == ("file", "/static/demo/pizza.mp4", "pizza.mp4")


@pytest.mark.parametrize(
    ("url", "start", "end", "youtube_url"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", None, None, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&start=30&end=45",
            30,
            45,
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?t=1m30s", 90, None, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s"),
        (
            "https://youtube.com/embed/dQw4w9WgXcQ?start=5&end=9",
            5,
            9,
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5s",
        ),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ?t=12",
            12,
            None,
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=12s",
        ),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&end=20", None, 20, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ],
)
def test_youtube_urls_give_id_segment_and_a_link_keeping_the_start(url, start, end, youtube_url):
    cfg = config("yt clip", url)
    assert cfg["kind"] == "youtube"
    assert cfg["youtube_id"] == "dQw4w9WgXcQ"
    assert (cfg["start"], cfg["end"]) == (start, end)
    assert cfg["youtube_url"] == youtube_url
    assert cfg["src"] is None
    assert cfg["download_name"] is None


@pytest.mark.parametrize(
    ("uid", "url", "expected"),
    [
        ("clip.mp4", "https://x.example/a/other.webm", "clip.mp4"),  # the uid's own extension wins
        ("clip", "https://x.example/a/clip.webm?sig=abc#t=3", "clip.webm"),
        ("clip", "/media/clips/clip.MOV", "clip.MOV"),
        ("clip", "https://x.example/stream", "clip"),  # nothing to add
        ("run.v2-final", "https://x.example/run.mp4", "run.v2-final.mp4"),  # ".v2-final" is no extension
        ("kitchen.2024", "https://x.example/k.mp4", "kitchen.2024"),
    ],
)
def test_download_name_is_the_uid_plus_the_urls_extension_when_it_has_none(uid, url, expected):
    assert download_name(uid, url) == expected


def test_share_path_url_encodes_the_uid():
    assert share_path("Kitchen 1/a&b?c=d#e+f%") == "/search/video/?video_uid=Kitchen%201%2Fa%26b%3Fc%3Dd%23e%2Bf%25"


def test_config_keeps_the_share_url_the_caller_gives():
    video = VideoFactory.build(video_uid="a b.mp4", url="/static/demo/pizza.mp4")
    assert player_config(video, share_url="https://lp.example/s?x=1")["share_url"] == "https://lp.example/s?x=1"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x.mp4", "https://youtube.com/watch?v=short"])
def test_urls_the_data_model_rejects_never_reach_src_or_href(url):
    cfg = config("clip", url)
    assert (cfg["kind"], cfg["src"], cfg["download_name"]) == ("file", None, None)
    html = render(cfg)
    assert "javascript:" not in html
    assert "This video cannot be played." in html
    assert 'data-action="download"' not in html


def render(cfg, **context):
    return str(player_macro(**{"player": cfg, "player_id": "p-1-2", "autoplay": False, "loop": False, **context}))


def test_partial_escapes_a_hostile_uid_and_passes_config_as_json_data():
    uid = '<script>alert("x")</script>'
    html = render(config(uid, "https://www.youtube.com/watch?v=dQw4w9WgXcQ&start=3&end=8"))

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # the title shows the uid as text
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    assert len(scripts) == 1, "the only script is the json_script config"
    assert '<script type="application/json">' in html
    data = json.loads(scripts[0])
    assert data["uid"] == uid and data["youtube_id"] == "dQw4w9WgXcQ"
    assert "\\u003Cscript\\u003E" in scripts[0]
    assert "onclick" not in html and "javascript:" not in html


def test_file_partial_is_muted_with_download_and_layout_flags():
    html = render(config("kitchen<1>", "/static/demo/pizza.mp4"), autoplay=True, loop=True)
    video = re.search(r"<video[^>]*>", html).group(0)
    for attr in ("muted", "playsinline", 'preload="metadata"', "loop", 'src="/static/demo/pizza.mp4#t=0.1"'):
        assert attr in video
    assert "autoplay" not in video  # player.js plays only the players in view (issue 11.9)
    assert 'download="kitchen&lt;1&gt;.mp4"' in html
    assert 'data-autoplay="true" data-loop="true"' in html
    assert 'id="p-1-2"' in html
    assert "Loop segment" not in html
    for hook in ("play", "back5", "fwd5", "mute", "share", "fullscreen", "download"):
        assert f'data-action="{hook}"' in html
    options = re.findall(r'<option value="([^"]+)"', html)
    assert options == ["0.2", "0.5", "1", "1.5", "2", "5", "10"] == [f"{r:g}" for r in PLAYBACK_RATES]


def test_youtube_partial_offers_segment_loop_only_with_a_segment():
    with_segment = render(config("yt", "https://youtu.be/dQw4w9WgXcQ?t=10"))
    without = render(config("yt", "https://youtu.be/dQw4w9WgXcQ"))
    assert "Loop segment" in with_segment and "checked" in with_segment
    assert "Loop segment" not in without
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=10s"' in with_segment
    assert "<video" not in with_segment and 'data-action="download"' not in with_segment
