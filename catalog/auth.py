"""Login by email and password (AUTH). The natural key stays user_id; email is the login name."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Authenticate active human and admin users by case-insensitive email.

    Model users have no email and an unusable password, so they never match (DM-USR-2).
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = (email or username or "").strip().lower()
        if not login or password is None:
            return None
        User = get_user_model()
        try:
            user = User.objects.get(email=login)
        except User.DoesNotExist:
            # Run the hasher anyway so response time does not reveal which emails exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user) and not user.is_model:
            return user
        return None
