"""The original Label Pizza's Python API, on top of this project (issue 12).

Scripts and notebooks written against the original (`sy77777en/label_pizza`) import these modules; each
function keeps the original's name, parameters and return value and calls this project's own code
(`labelpizza.bootstrap`, `syncing.helpers` and friends). Nothing here adds a rule of its own.
See docs/coming-from-label-pizza.md.
"""
