"""Creating a project with videos picked by search (PORTAL-ADM-4, DM-ROLE-5, SEC-8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Assignment, Project, ProjectVideo
from catalog.tests.factories import AdminFactory, QuestionGroupFactory, SchemaFactory, UserFactory, VideoFactory

pytestmark = pytest.mark.django_db
NEW = reverse("admin:new_project")


@pytest.fixture
def staff(db):
    return AdminFactory(user_id="Ada Admin")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def schema(db):
    return SchemaFactory(name="Food schema", groups=[QuestionGroupFactory()])


def selected(response) -> list[str]:
    return [v.video_uid for v in response.context["videos"].selected]


def test_the_selection_builds_up_across_searches_in_the_order_picked(staff_client):
    for uid in ("beach-1.mp4", "beach-2.mp4", "city-1.mp4", "city-2.mp4"):
        VideoFactory(video_uid=uid)
    VideoFactory(video_uid="city-old.mp4", is_active=False)
    city = staff_client.post(NEW, {"op": "select_all_videos", "video_q": "city", "name": "Draft"})
    assert selected(city) == ["city-1.mp4", "city-2.mp4"], "archived videos are not offered"
    assert 'value="Draft"' in city.content.decode(), "a search keeps what was typed"
    ids = [v.pk for v in city.context["videos"].selected]
    beach = staff_client.post(NEW, {"op": "search", "video_q": "beach", "video": ids})
    assert selected(beach) == ["city-1.mp4", "city-2.mp4"]
    assert [v.video_uid for v in beach.context["videos"].unselected_found] == ["beach-1.mp4", "beach-2.mp4"]
    more = staff_client.post(NEW, {"op": "select_all_videos", "video_q": "beach-2", "video": ids})
    assert selected(more) == ["city-1.mp4", "city-2.mp4", "beach-2.mp4"]
    assert selected(staff_client.post(NEW, {"op": "clear_videos", "video": ids})) == []


def test_create_writes_the_project_its_videos_in_order_and_admin_rows(staff_client, staff, schema):
    videos = [VideoFactory(video_uid=u) for u in ("b.mp4", "a.mp4", "c.mp4")]
    data = {
        "op": "create",
        "name": "Kitchen 2026",
        "schema": schema.pk,
        "description": "Spring batch",
        "video": [videos[1].pk, videos[0].pk],
    }
    response = staff_client.post(NEW, data)
    project = Project.objects.get(name="Kitchen 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_project_change", args=[project.pk])
    links = ProjectVideo.objects.filter(project=project).order_by("position")
    assert [(link.video.video_uid, link.position) for link in links] == [("a.mp4", 0), ("b.mp4", 1)]
    roles = Assignment.objects.filter(project=project, user=staff, is_active=True).values_list("role", flat=True)
    assert set(roles) == {"annotator", "reviewer", "admin"}


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name": ""}, "name"), ({"name": " Padded"}, "name"), ({"name": "Taken"}, "name"), ({"schema": ""}, "schema")],
)
def test_bad_input_is_shown_per_field_and_saves_nothing(staff_client, schema, change, field):
    Project.objects.create(name="Taken", schema=schema)
    video = VideoFactory()
    data = {"op": "create", "name": "New one", "schema": schema.pk, "video": [video.pk]} | change
    response = staff_client.post(NEW, data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert selected(response) == [video.video_uid], "the selection survives the error"
    assert Project.objects.count() == 1


def test_archived_schemas_cannot_be_chosen(staff_client):
    archived = SchemaFactory(is_active=False, groups=[QuestionGroupFactory()])
    response = staff_client.post(NEW, {"op": "create", "name": "P", "schema": archived.pk})
    assert "schema" in response.context["form"].errors and not Project.objects.filter(name="P").exists()


def test_non_admins_get_the_admin_login(client):
    client.force_login(UserFactory())
    response = client.get(NEW)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_page_queries_do_not_grow_with_the_selection(staff_client, django_assert_max_num_queries):
    ids = [VideoFactory().pk for _ in range(30)]
    with django_assert_max_num_queries(12):
        staff_client.post(NEW, {"op": "search", "video": ids[:3]})
    with django_assert_max_num_queries(12):
        staff_client.post(NEW, {"op": "search", "video": ids})
