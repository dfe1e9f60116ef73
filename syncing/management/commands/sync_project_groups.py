from syncing.management.sync_command import helper_command

Command = helper_command("sync_project_groups", "project_groups")
