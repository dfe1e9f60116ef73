"""The navigation every page shows (PORTAL-NAV-3): display name, email, role summary, portal links."""

from catalog.permissions import active_roles, portals_for, role_summary


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set() if user.is_global_admin else active_roles(user)
    return {"nav_portals": portals_for(user, roles), "nav_roles": role_summary(user, roles)}
