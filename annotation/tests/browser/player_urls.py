"""A test-only urlconf: one page of players (two demo files, one YouTube segment) for test_player_browser.py.

Nothing here touches the database, so the page needs no login and no data.
"""

from types import SimpleNamespace

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from annotation.player import player_config, share_link

VIDEOS = {
    "p-1": SimpleNamespace(video_uid="pizza demo #1", url="/static/demo/pizza.mp4"),
    "p-2": SimpleNamespace(video_uid="pizza-2.mp4", url="/static/demo/pizza.mp4"),
    "p-yt": SimpleNamespace(video_uid="yt <segment>", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&start=3&end=8"),
    "p-swap": SimpleNamespace(video_uid="swap-before", url="/static/demo/pizza2.mp4"),
    "p-swapped": SimpleNamespace(video_uid="swap-after", url="/static/demo/pizza2.mp4"),
}

PLAYER = (
    "{% load annotation_tags %}"
    '{% jinja "annotation/player.jinja" "player" player=player player_id=player_id autoplay=False loop=False %}'
)
PAGE = engines["django"].from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Players</title>
<link rel="stylesheet" href="/static/css/app.css"><link rel="stylesheet" href="/static/css/player.css">
<script src="/static/vendor/htmx-2.0.11.min.js" defer></script><script src="/static/js/player.js" defer></script>
<style>.grid { display: grid; grid-template-columns: 1fr 1fr; align-items: start; gap: 1rem; margin: 1rem 0; }</style>
</head><body><main class="content">
<label for="notes">Notes</label><input type="text" id="notes">
<h2>One per row</h2>
{% with player=players.p1 player_id="p-1" %}"""
    + PLAYER
    + """{% endwith %}
<h2>Two per row</h2>
<div class="grid layout-2">
{% with player=players.p2 player_id="p-2" %}"""
    + PLAYER
    + """{% endwith %}
{% with player=players.yt player_id="p-yt" %}"""
    + PLAYER
    + """{% endwith %}
</div>
<button id="swap" hx-get="/fragment/" hx-target="#swap-zone">Re-render the last card</button>
<div id="swap-zone" class="layout-2" style="width: 540px">{% with player=players.swap player_id="p-swap" %}"""
    + PLAYER
    + """{% endwith %}</div>
</main></body></html>"""
)
FRAGMENT = engines["django"].from_string(PLAYER)


def _config(player_id):
    video = VIDEOS[player_id]
    return player_config(video, share_url=share_link(1, 2, "annotate"))


def page(request):
    players = {"p1": _config("p-1"), "p2": _config("p-2"), "yt": _config("p-yt"), "swap": _config("p-swap")}
    return HttpResponse(PAGE.render({"players": players}, request))


def fragment(request):
    return HttpResponse(FRAGMENT.render({"player": _config("p-swapped"), "player_id": "p-swapped"}, request))


# Three autoplaying players a screen apart: only the one in view may play (issue 11.9).
AUTOPLAY = engines["django"].from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Autoplay</title>
<link rel="stylesheet" href="/static/css/app.css"><link rel="stylesheet" href="/static/css/player.css">
<script src="/static/js/player.js" defer></script>
<style>.autoplay-slot { min-height: 110vh; }</style>
</head><body><main class="content">
{% load annotation_tags %}{% for id, player in players %}<section class="autoplay-slot">
{% jinja "annotation/player.jinja" "player" player=player player_id=id autoplay=True loop=True %}
</section>{% endfor %}
</main></body></html>"""
)


def autoplay(request):
    players = [(f"a-{i}", _config("p-1")) for i in (1, 2, 3)]
    return HttpResponse(AUTOPLAY.render({"players": players}, request))


urlpatterns = [path("", page), path("fragment/", fragment), path("autoplay/", autoplay)]
