from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from catalog.models import Assignment


@login_required
def home(request):
    """Where a user lands after login: admins go to the admin site; others see their projects."""
    if request.user.is_global_admin:
        return redirect("admin:index")
    assignments = (
        Assignment.objects.active()
        .filter(user=request.user, project__is_active=True)
        .select_related("project")
        .order_by("project__name", "role")
    )
    return render(request, "catalog/home.html", {"assignments": assignments})
