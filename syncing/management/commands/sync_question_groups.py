from syncing.management.sync_command import helper_command

Command = helper_command("sync_question_groups", "question_groups")
