"""The navigation every page shows (PORTAL-NAV-3): display name, email, role summary, portal links."""

from catalog.permissions import portals_for, request_roles, role_summary


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = request_roles(request)
    return {"nav_portals": portals_for(user, roles), "nav_roles": role_summary(user, roles)}
