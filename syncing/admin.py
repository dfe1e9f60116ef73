"""What sync adds to the admin site: its operations on catalog rows, plugged in from here.

Layering is catalog ← annotation ← syncing, so the admin pages of catalog and annotation never import
sync; this module, loaded by the admin's autodiscovery after theirs, gives them sync's operations:
the Rename action (OVR-REN-1) on every model whose natural key can be renamed, and the workspace
export behind the Export page's zip download (WS-EXP-6).
"""

from functools import partial

from django.contrib import admin

from annotation import admin_export
from syncing.admin_rename import rename_selected
from syncing.export import export_workspace
from syncing.rename import KIND_OF_MODEL

for model in KIND_OF_MODEL:
    model_admin = admin.site.get_model_admin(model)
    model_admin.actions = [*(model_admin.actions or ()), rename_selected]

admin_export.export_workspace = partial(export_workspace, quiet=True)
