"""Built-in verification functions (SYNC-VER-2): the seed guide's two checks, and `verify_non_empty`,
which the original system also ships (issue 11 point 12), so workspaces written for it sync here unchanged.

Every public top-level function here is registered. A workspace's own `verify.py` is the
recommended place for new ones; it may override these by name.
"""

from __future__ import annotations


def verify_non_empty(answers: dict[str, str]) -> None:
    """Every question of the group needs a non-blank answer (whitespace alone counts as blank)."""
    for question, value in answers.items():
        if value is None or not str(value).strip():
            raise ValueError(f'"{question}" is blank; give it an answer')


def check_human_description(answers: dict[str, str]) -> None:
    """A description is required exactly when there are people."""
    num_people = answers.get("Number of people?")
    description = answers.get("If there are people, describe them.")
    if num_people == "0" and description:
        raise ValueError("Description cannot be provided when there are no people")
    if num_people != "0" and not description:
        raise ValueError("Description must be provided when there are people")


def check_pizza_description(answers: dict[str, str]) -> None:
    """A description is required exactly when there are pizzas."""
    num_pizzas = answers.get("Number of pizzas?")
    description = answers.get("If there are pizzas, describe them.")
    if num_pizzas == "0" and description:
        raise ValueError("Description cannot be provided when there are no pizzas")
    if num_pizzas != "0" and not description:
        raise ValueError("Description must be provided when there are pizzas")
