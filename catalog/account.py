"""The user's own account pages, mounted at `/account/`: the API token page (SEC-6, DM-TOK-1).

A module of its own with its URLconf, so the root URLconf only includes it.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from catalog.models import ApiToken
from catalog.tokens import TokenError, issue_token, revoke_token


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """Show the token's prefix and dates; create, regenerate or revoke it. A new key is shown in this
    response only, never stored or redirected with, so it is seen once."""
    key = error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            revoke_token(request.user)
            return redirect("account-token")
        if action == "create":
            try:
                key = issue_token(request.user)
            except TokenError as exc:
                error = str(exc)
    token = ApiToken.objects.filter(user=request.user).first()
    response = render(request, "account/token.html", {"token": token, "key": key, "error": error})
    if key:
        response["Cache-Control"] = "no-store"
    return response


urlpatterns = [path("token/", api_token, name="account-token")]
