"""What sync adds to the admin site: its operations on catalog rows, plugged in from here.

Layering is catalog ← annotation ← syncing, so the admin pages of catalog and annotation never import
sync; this module, loaded by the admin's autodiscovery after theirs, adds sync's operations to the one
admin site: the Rename action (OVR-REN-1) on every model whose natural key can be renamed, and the
workspace zip the Export page links to (WS-EXP-6).
"""

from django.contrib import admin

from catalog.admin_site.site import AdminPage
from syncing.admin_rename import rename_selected
from syncing.admin_workspace_zip import workspace_zip
from syncing.rename import KIND_OF_MODEL

for model in KIND_OF_MODEL:
    model_admin = admin.site.get_model_admin(model)
    model_admin.actions = [*(model_admin.actions or ()), rename_selected]

admin.site.add_page(AdminPage("export/workspace.zip", workspace_zip, "export_workspace"))
