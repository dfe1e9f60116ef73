from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotation.views import share
from catalog import views as catalog_views
from catalog.forms import EmailAuthenticationForm

admin.site.login_form = EmailAuthenticationForm
admin.site.site_header = "Label Pizza administration"
admin.site.site_title = "Label Pizza admin"
# "View site" goes to the annotator portal: "/" sends global admins back to the admin site (PORTAL-NAV-2).
admin.site.site_url = "/annotate/"

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
    path("admin/tools/", include("catalog.admin_tools_urls")),
    path("admin/", admin.site.urls),
    path("api/", include("labelpizza.api")),
    path("account/", include("catalog.account")),
]
