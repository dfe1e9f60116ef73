"""The admin site for answers, ground truth, GT history and reviews (PORTAL-ADM-1, DM-HIST-3)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.tests.factories import (
    AnswerFactory,
    AnswerReviewFactory,
    GroundTruthFactory,
    GroundTruthHistoryFactory,
)
from catalog.tests.factories import AdminFactory, DescriptionQuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def description_review():
    answer = AnswerFactory(question=DescriptionQuestionFactory(), value="A cake on a plate.")
    return AnswerReviewFactory(answer=answer)


def overridden_ground_truth():
    return GroundTruthFactory(
        value="no", reviewer_value="yes", overridden_by=AdminFactory(), overridden_at="2024-01-02T03:04:05Z"
    )


BUILDERS = {
    Answer: AnswerFactory,
    GroundTruth: GroundTruthFactory,
    GroundTruthHistory: GroundTruthHistoryFactory,
    AnswerReview: description_review,
}
ANNOTATION_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "annotation"]


@pytest.fixture
def staff_client(client):
    client.force_login(AdminFactory())
    return client


def changelist_queries(client, model, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(model, "changelist"), params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_every_annotation_model_has_an_admin_page():
    """PORTAL-ADM-1: every model has an admin page (and a builder in this module)."""
    assert set(apps.get_app_config("annotation").get_models()) == set(ANNOTATION_ADMINS) == set(BUILDERS)


@pytest.mark.parametrize("model", ANNOTATION_ADMINS, ids=lambda m: m.__name__)
def test_changelist_and_view_pages_load(staff_client, model):
    obj = BUILDERS[model]()
    assert staff_client.get(url(model, "changelist")).status_code == 200
    assert staff_client.get(url(model, "changelist"), {"q": "1"}).status_code == 200
    params = {f"{admin.site._registry[model].date_hierarchy}__year": "2020"}
    assert staff_client.get(url(model, "changelist"), params).status_code == 200
    assert staff_client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", ANNOTATION_ADMINS, ids=lambda m: m.__name__)
def test_rows_are_read_only_in_the_admin(staff_client, model):
    """DM-ANS-3, DM-GT-4, DM-HIST-2, DM-REV-3: these rows are written by their domain functions, never here."""
    obj = BUILDERS[model]()
    before = model.objects.filter(pk=obj.pk).values().get()
    assert staff_client.get(url(model, "add")).status_code == 403
    assert staff_client.post(url(model, "add"), {}).status_code == 403
    assert staff_client.post(url(model, "change", obj.pk), {"value": "changed"}).status_code == 403
    assert staff_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert staff_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize("model", ANNOTATION_ADMINS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(staff_client, model):
    """Lists select their related rows up front: 3 rows and 10 rows cost the same queries."""
    for _ in range(3):
        BUILDERS[model]()
    few = changelist_queries(staff_client, model)
    for _ in range(7):
        BUILDERS[model]()
    assert changelist_queries(staff_client, model) == few


def test_ground_truth_history_is_an_append_only_log(staff_client, rf):
    """DM-HIST-3: nobody adds, changes or deletes history entries from the admin."""
    entry = GroundTruthHistoryFactory()
    request = rf.get("/")
    request.user = AdminFactory()
    history_admin = admin.site._registry[GroundTruthHistory]
    assert not history_admin.has_add_permission(request)
    assert not history_admin.has_change_permission(request, entry)
    assert not history_admin.has_delete_permission(request, entry)
    response = staff_client.get(url(GroundTruthHistory, "changelist"))
    assert not response.context["action_form"]
    response = staff_client.post(
        url(GroundTruthHistory, "change", entry.pk), {"kind": "deleted", "new_value": "", "source": "sync"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.kind, entry.new_value) == ("created", "yes")


def test_answer_list_shows_review_state_and_filters_by_it(staff_client):
    """DM-REV-1: no review row means pending."""
    review = description_review()
    pending = AnswerFactory(question=DescriptionQuestionFactory(), value="Just a plate.")
    response = staff_client.get(url(Answer, "changelist"))
    assert "pending" in response.content.decode()
    response = staff_client.get(url(Answer, "changelist"), {"review__status": "approved"})
    assert [a.pk for a in response.context["cl"].result_list] == [review.answer.pk]
    response = staff_client.get(url(Answer, "changelist"), {"project__id__exact": pending.project_id})
    assert [a.pk for a in response.context["cl"].result_list] == [pending.pk]


def test_ground_truth_list_filters_overridden_rows(staff_client):
    """DM-GT-2: a GT row is overridden exactly when overridden_by is set."""
    overridden, plain = overridden_ground_truth(), GroundTruthFactory()
    response = staff_client.get(url(GroundTruth, "changelist"), {"overridden_by__isempty": "0"})
    assert [gt.pk for gt in response.context["cl"].result_list] == [overridden.pk]
    response = staff_client.get(url(GroundTruth, "changelist"), {"overridden_by__isempty": "1"})
    assert [gt.pk for gt in response.context["cl"].result_list] == [plain.pk]


def test_history_list_filters_by_kind_and_searches_by_video(staff_client):
    created = GroundTruthHistoryFactory()
    GroundTruthHistoryFactory(kind=GroundTruthHistory.Kind.CHANGED, old_value="yes", new_value="no")
    response = staff_client.get(url(GroundTruthHistory, "changelist"), {"kind__exact": "created"})
    assert [h.pk for h in response.context["cl"].result_list] == [created.pk]
    response = staff_client.get(url(GroundTruthHistory, "changelist"), {"q": created.video.video_uid})
    assert [h.pk for h in response.context["cl"].result_list] == [created.pk]


@pytest.mark.parametrize("model", ANNOTATION_ADMINS, ids=lambda m: m.__name__)
def test_outsider_is_sent_to_the_admin_login(client, model):
    """SEC-8: a logged-in human who is not a global admin cannot see these lists."""
    client.force_login(UserFactory())
    response = client.get(url(model, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
