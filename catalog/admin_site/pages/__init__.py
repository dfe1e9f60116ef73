"""Pages the admin site lacks (PORTAL-ADM-1), one module each; catalog.admin_site.site serves them.

Global admins only: the site wraps every view in its `admin_view`, so anyone else gets the admin login,
exactly as for Django's own admin pages (DB-11, SEC-8). Every page runs a fixed number of queries, whatever
the number of users, projects or rows (PORTAL-GEN-4).
"""
