"""The Export page's "Download workspace (zip)" (WS-EXP-6): `export_workspace` into a temporary folder, zipped."""

import shutil
import tempfile
from pathlib import Path

from annotation.admin_export import download
from syncing.export import export_workspace


def workspace_zip(request):
    with tempfile.TemporaryDirectory(prefix="labelpizza-export-") as tmp:
        folder = Path(tmp) / "workspace"
        export_workspace(folder, quiet=True)
        archive = shutil.make_archive(str(Path(tmp) / "workspace"), "zip", root_dir=folder)
        data = Path(archive).read_bytes()
    return download(data, "labelpizza_workspace.zip", "application/zip")
