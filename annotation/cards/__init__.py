"""The video cards of the portals' project pages, and the order they come in.

- `annotate`: what an annotator's card shows (forms, completeness, training feedback and summary).
- `annotate_sorting`: the annotator's video sort (PORTAL-ANN-6).
- `review`: the reviewer's, meta-reviewer's and search's ground-truth cards.
- `review_sorting`: the reviewer's filters, video sort and group order (PORTAL-REV-10).
- `initials`: short labels for the people named on one page, unique within it.
"""
