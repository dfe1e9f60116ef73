"""The team pages, mounted at /team/: the team page and its exports (admins), each person's page."""

from django.urls import path

from annotation.team import views

app_name = "team"

urlpatterns = [
    path("", views.team_page, name="page"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("me/", views.my_page, name="me"),
    path("people/<int:person_pk>/", views.person_page, name="person"),
    path("people/<int:person_pk>/payments/", views.add_payment, name="add_payment"),
    path("people/<int:person_pk>/feedback/", views.add_feedback, name="add_feedback"),
    path("payments/<int:payment_pk>/", views.edit_payment, name="edit_payment"),
    path("feedback/<int:feedback_pk>/", views.edit_feedback, name="edit_feedback"),
    path("feedback/<int:feedback_pk>/reply/", views.reply, name="reply"),
]
