"""The web app's shell: where a user lands after login (PORTAL-NAV-2, PORTAL-NAV-4)."""

from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url

from catalog.forms import EmailAuthenticationForm
from catalog.models import Video
from catalog.permissions import default_portal, may_open


@login_required
def home(request):
    """Redirect to the default portal; `/?video_uid=X` opens the video (PORTAL-NAV-4, issue 11.9); no portal gets a
    plain message."""
    video_uid = request.GET.get("video_uid")
    if video_uid is not None:
        if request.user.is_global_admin:
            return redirect(f"/search/video/?{urlencode({'video_uid': video_uid})}")
        # Everyone else: the role-neutral link, which opens the video in a portal of theirs or answers 403.
        video = Video.objects.filter(video_uid=video_uid).first()
        if video is None:
            raise PermissionDenied("None of your projects shows this video.")
        return redirect("share-video", video.pk)
    portal = default_portal(request.user)
    if portal is None:
        return render(request, "catalog/no_portal.html")
    return redirect(portal.url)


class LoginView(auth_views.LoginView):
    """Email login (AUTH-1); after login, `next` only when the user may see it, else the default portal (AUTH-4)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self):
        target = self.get_redirect_url()
        if target and may_open(self.request.user, target):
            return target
        return resolve_url("home")
