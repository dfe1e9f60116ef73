"""The Jinja2 environment of the video-card templates (templates/jinja2/).

Cards are the bulk of every portal page: a 20-video annotator page is about 4,000 template nodes, and
Django's engine spent about 60 ms of CPU on them. The same markup in Jinja2, compiled to Python
functions, renders several times faster (bench/pages.py). The page frames stay Django templates and
call these through the `jinja` tag in annotation_tags. Autoescaping is on; undefined names raise.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from jinja2 import Environment, StrictUndefined

from annotation import scoring


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def type_macros(env: Environment):
    """`type_macros(kind)`: the macros of a question type's input template (catalog/question_types), loaded
    once per process. An `{% import %}` per question cost about 12 µs each, 3 ms on a 240-question page."""
    modules = {}

    def lookup(kind):
        module = modules.get(kind.macros)
        if module is None:
            module = env.get_template(kind.macros).module
            if not env.auto_reload:  # DEBUG reloads edited templates
                modules[kind.macros] = module
        return module

    return lookup


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.globals.update(url=url, static=static, type_macros=type_macros(env))
    env.filters.update(
        json_script=json_script, pct=scoring.format_percent, bar_width=scoring.bar_width, bar_step=scoring.bar_step
    )
    return env
