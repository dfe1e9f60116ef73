"""`python manage.py api_token <user_id> [--revoke]`: create, regenerate or revoke a user's API token (SEC-6)."""

from django.core.management.base import BaseCommand, CommandError

from catalog.models import User
from catalog.tokens import TokenError, issue_token, revoke_token


class Command(BaseCommand):
    help = "Create (or regenerate) a user's API token and print the key once; --revoke deletes it."

    def add_arguments(self, parser):
        parser.add_argument("user_id", help='the user\'s natural key, e.g. "Model 1"')
        parser.add_argument("--revoke", action="store_true", help="delete the token instead of creating one")

    def handle(self, *args, user_id, revoke, **options):
        user = User.objects.filter(user_id=user_id).first()
        if user is None:
            raise CommandError(f'no user "{user_id}"')
        if revoke:
            done = revoke_token(user)
            self.stdout.write(f'Revoked the API token of "{user_id}".' if done else f'"{user_id}" has no API token.')
            return
        try:
            key = issue_token(user)
        except TokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f'API token for "{user_id}" (shown once; any previous token no longer works):')
        self.stdout.write(key)
