"""Auto-submit: answers and ground truth decided by votes and default answers rather than typed in (SCORE-AUTO).

- `on_entry`: an annotator entering a project gets the default answers of its auto-submit groups (SCORE-AUTO-2).
- `default_answers`: the annotator's auto-submit panel, default answers as virtual responses (PORTAL-ANN-4).
- `consensus`: the reviewer's GT auto-submit by weighted consensus (PORTAL-REV-11); its evaluation and summary
  are shared with `default_answers`.
"""
