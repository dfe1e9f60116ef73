from syncing.management.sync_command import helper_command

Command = helper_command("sync_users_to_projects", "assignments")
