"""Formatting only: percentages (DM-DER-11) and search highlighting that escapes before marking."""

from django import template
from django.template import engines
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from annotation.scoring.formatting import bar_step, bar_width, format_percent

register = template.Library()


@register.filter
def pct(value):
    """A percentage truncated to one decimal: 99.96 -> "99.9%"."""
    return format_percent(value)


register.filter("bar_width", bar_width)
register.filter("bar_step", bar_step)


@register.simple_tag
def jinja(template_name, macro, **arguments):
    """Call a macro of a Jinja2 template: {% jinja "annotation/player.jinja" "player" player=… %}.

    The video-card partials are Jinja2 (templates/jinja2/, labelpizza/jinja2.py); the page frames reach
    them through this tag. The macro escapes its own output, and its result is marked safe.
    """
    module = engines["jinja2"].env.get_template(template_name).module
    return getattr(module, macro)(**arguments)


@register.filter
def highlight(text, term):
    """Wrap case-insensitive matches of `term` in <mark>; every piece of text is escaped first (SEC-3)."""
    text = str(text)
    if not term:
        return conditional_escape(text)
    lower, needle = text.lower(), str(term).lower()
    pieces, start = [], 0
    while (found := lower.find(needle, start)) != -1:
        pieces.append(conditional_escape(text[start:found]))
        pieces.append(format_html("<mark>{}</mark>", text[found : found + len(needle)]))
        start = found + len(needle)
    pieces.append(conditional_escape(text[start:]))
    # Every piece above is escaped or built by format_html, so joining them is safe.
    return mark_safe("".join(str(p) for p in pieces))  # noqa: S308


@register.simple_tag(takes_context=True)
def query_with(context, *pairs):
    """The current query string with some parameters replaced: {% query_with "page" 2 "sort" "name" %}.

    PORTAL-GEN-2: view state lives in the URL, so links keep every other parameter.
    """
    params = context["request"].GET.copy()
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def keep_query(context, *own):
    """Hidden inputs for the current query parameters except the form's own, so a GET form keeps the rest
    of the view state (PORTAL-GEN-2). Parameters named in `own` are left out; so is `page`."""
    from django.utils.html import format_html_join

    skip = set(own) | {"page"}
    params = context["request"].GET
    pairs = [(k, v) for k in params for v in params.getlist(k) if k not in skip and not k.startswith(tuple(skip))]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or an empty list when absent."""
    return mapping.get(key, []) if hasattr(mapping, "get") else []
