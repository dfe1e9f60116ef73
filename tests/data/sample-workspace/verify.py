"""Answer checks for the sample workspace: each raises ValueError when a group's answers disagree."""


def _count_matches_description(answers, count_question, description_question, things):
    count = answers.get(count_question)
    description = (answers.get(description_question) or "").strip()
    if count == "0" and description:
        raise ValueError(f"Leave the description empty when there are no {things}")
    if count != "0" and not description:
        raise ValueError(f"Describe the {things} when there are some")


def check_human_description(answers):
    _count_matches_description(answers, "Number of people?", "If there are people, describe them.", "people")


def check_pizza_description(answers):
    _count_matches_description(answers, "Number of pizzas?", "If there are pizzas, describe them.", "pizzas")
