"""What a write changes, decided once for every caller (issue 14, point 1).

One pure planner per write kind: answers (`answers`), ground truth with its history (`ground_truth`,
whose entries all come from `gt_history`), reviews of description answers (`reviews`) and auto-submit
defaults (`defaults`). Existing rows go in and the rows to create, update and delete (plus history
rows) come out, all as plain tuples: the portals and the API turn them into ORM writes inside their
transaction, sync hands them to its COPY / executemany writers (syncing.table_writer). No planner
queries the database, so each is tested directly (annotation/tests/test_planning_*.py).
"""
