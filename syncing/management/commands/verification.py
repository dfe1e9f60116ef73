import json

from django.core.management.base import BaseCommand, CommandError

from annotation.verification import VerificationFailed, verify_answers
from catalog import verification
from catalog.models import Question


class Command(BaseCommand):
    help = "List, register, unregister and try verification functions."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--list", action="store_true", help="registered functions and their files")
        action.add_argument("--add", metavar="FOLDER", help="register a workspace folder's verify.py")
        action.add_argument("--remove", metavar="FOLDER", help="unregister a workspace folder")
        action.add_argument("--test", metavar="NAME", help="run one function on --answers")
        parser.add_argument("--answers", help='JSON object, e.g. {"Is food visible?": "yes"}')

    def handle(self, *args, **opts):
        if opts["list"]:
            registry = verification.load_registry()
            for name in sorted(registry.functions):
                self.stdout.write(f"{registry.describe(name)}    {registry.sources[name]}")
            for warning in registry.warnings:
                self.stderr.write(f"warning: {warning}")
        elif opts["add"]:
            added = verification.register_workspace(opts["add"])
            self.stdout.write(
                f"{'Added workspace to config' if added else 'Workspace already in config'}: {opts['add']}"
            )
        elif opts["remove"]:
            removed = verification.unregister_workspace(opts["remove"])
            self.stdout.write(f"{'Removed' if removed else 'Not in config'}: {opts['remove']}")
        else:
            try:
                answers = json.loads(opts["answers"] or "{}")
            except ValueError as exc:
                raise CommandError(f"--answers is not valid JSON: {exc}", returncode=2) from None
            if not isinstance(answers, dict):
                raise CommandError("--answers must be a JSON object", returncode=2)
            answers = stored_answers(answers)
            try:
                verify_answers(verification.load_registry(), opts["test"], answers)
            except VerificationFailed as exc:
                self.stdout.write(str(exc))
                return
            self.stdout.write("OK")


def stored_answers(answers: dict) -> dict:
    """The answers as a verification function receives them in the app: a list (a multiple-choice answer) in
    its question's stored form, so --test runs the function on what sync and the portals pass it."""
    listed = [text for text, value in answers.items() if isinstance(value, list)]
    if not listed:
        return answers
    questions = {q.text: q for q in Question.objects.filter(text__in=listed)}
    stored = dict(answers)
    for text in listed:
        question = questions.get(text)
        if question is None:
            raise CommandError(f'--answers: "{text}" is not a question, so its list cannot be read', returncode=2)
        try:
            stored[text] = question.kind.to_stored(question, answers[text])
        except ValueError as exc:
            raise CommandError(f'--answers: "{text}": {exc}', returncode=2) from None
    return stored
