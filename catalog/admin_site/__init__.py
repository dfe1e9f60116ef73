"""The admin site: Django's admin plus the portal's own pages (PORTAL-ADM-1). See site.py."""
