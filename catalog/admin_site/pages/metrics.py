"""Every section's metrics row on one page (PORTAL-ADM-1/2)."""

from django.template.response import TemplateResponse

from catalog import admin_metrics
from catalog.admin_site.pages.context import changelist_url, page_context
from catalog.models import Assignment, Project, ProjectGroup, Question, QuestionGroup, Schema, User, Video

SECTIONS = (
    ("Videos", Video),
    ("Projects", Project),
    ("Schemas", Schema),
    ("Question groups", QuestionGroup),
    ("Questions", Question),
    ("Users", User),
    ("Assignments", Assignment),
    ("Project groups", ProjectGroup),
)


def metrics(request):
    """Every section's metrics row on one page (PORTAL-ADM-1/2)."""
    sections = [
        {"title": title, "url": changelist_url(model), "metrics": admin_metrics.METRICS[model]()}
        for title, model in SECTIONS
    ]
    return TemplateResponse(request, "admin/tools/metrics.html", page_context(request, "Metrics", sections=sections))
