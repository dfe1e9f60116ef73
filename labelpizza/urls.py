from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotation.views import share
from catalog import views as catalog_views

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("login/", catalog_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("annotate/", include("annotation.urls")),
    path("review/", include(("annotation.review_urls", "review"), namespace="review")),
    path("meta-review/", include(("annotation.review_urls", "meta"), namespace="meta")),
    path("search/", include("annotation.search_urls")),
    path("team/", include("annotation.team.urls")),
    path("v/<int:video_id>/", share.open_video, name="share-video"),
    path("admin/", admin.site.urls),
    path("api/", include("labelpizza.api")),
    path("account/", include("catalog.account")),
]
