"""Pure scoring: weighted voting, auto-submit decisions, sort scores, accuracy, leaderboards, agreement.

Everything in this package takes plain values and returns plain values (frozen dataclasses at most): no
Django, no ORM, no I/O. Callers (views, API, progress, the question types) load the rows and pass the values
in; tests need no database. Requirement IDs (SCORE-*, DM-DER-*) have one line each in docs/rules.md.

- `numbers`: the one floating-point tolerance (EPSILON) and the mean of defined values.
- `formatting`: percentages, differences, alpha, bar widths and display names (DM-DER-10/11).
- `voting`: weighted majority voting and the auto-submit decisions built on it (SCORE-VOTE, SCORE-AUTO).
- `sort_scores`: the per-video scores the portals sort by (SCORE-SORT).
- `accuracy`: grading, tallies, bands and personal reports (SCORE-ACC, SCORE-RPT).
- `leaderboards`: ranking and Compare (SCORE-LB).
- `agreement`: percent agreement and Krippendorff's alpha (SCORE-AGR).
- `sets`: per-option consensus and alpha with the MASI distance for set-valued (multiple-choice) answers.
- `per_option`: per-option precision and recall of set-valued answers against the GT.

The formulas are stated in docs/scoring.md.
"""
