from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app, with Label Pizza's site as `admin.site` (its pages: catalog/admin_site/site.py)."""

    default_site = "catalog.admin_site.site.AdminSite"
