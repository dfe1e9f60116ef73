"""The question-type registry: every kind of question, by its stored name (docs/question_types.md).

    question_types.get("single")    -> the Single type object (UnknownQuestionType for any other name)
    question_types.all()            -> every type, in registry order
    question_types.CHOICES          -> the model field's choices

Adding a type: a module here with one QuestionType subclass, one entry in TYPES, its template partials.
"""

from __future__ import annotations

from catalog.question_types.base import QuestionType, Value
from catalog.question_types.description import Description
from catalog.question_types.multiple import Multiple
from catalog.question_types.single import Single

__all__ = ["CHOICES", "QuestionType", "UnknownQuestionType", "Value", "all", "find", "get", "names", "unknown_problem"]


class UnknownQuestionType(ValueError):
    """A qtype no registered type has. Never read as a description: every caller refuses it."""

    def __init__(self, qtype):
        self.qtype = qtype
        super().__init__(unknown_problem(qtype))


TYPES: dict[str, QuestionType] = {t.name: t for t in (Single(), Multiple(), Description())}
CHOICES = [(t.name, t.label) for t in TYPES.values()]


def get(qtype) -> QuestionType:
    """The type stored as `qtype`; UnknownQuestionType for any other value."""
    try:
        return TYPES[qtype]
    except (KeyError, TypeError):
        raise UnknownQuestionType(qtype) from None


def find(qtype) -> QuestionType | None:
    """The type stored as `qtype`, or None: for callers that word the refusal themselves (sync names the
    file, entry and field)."""
    return TYPES.get(qtype) if isinstance(qtype, str) else None


def unknown_problem(qtype) -> str:
    """How every refusal of an unknown qtype ends: `"x" is not a question type (single, description)`."""
    shown = f'"{qtype}"' if isinstance(qtype, str) else repr(qtype)
    return f"{shown} is not a question type ({', '.join(names())})"


def all() -> tuple[QuestionType, ...]:  # noqa: A001 - the registry's own vocabulary
    return tuple(TYPES.values())


def names() -> tuple[str, ...]:
    return tuple(TYPES)
