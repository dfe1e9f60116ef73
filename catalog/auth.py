"""Login by email and password (AUTH). The natural key stays user_id; email is the login name."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

# Algorithms that cost far less to check than the default hasher, whatever their settings: the sync's former
# bulk hasher and Django's legacy ones.
FAST_ALGORITHMS = {"pbkdf2_sha256_bulk", "md5", "sha1", "unsalted_md5", "unsalted_sha1", "crypt"}


def is_weaker_than_default(encoded: str) -> bool:
    """A stored hash weaker than Django's default hasher at its current settings: a fast algorithm other than
    the default's (the sync's former bulk hasher, MD5, …), or any hash its own hasher would upgrade (an older
    cost or a short salt: `must_update`). A strong other algorithm (Argon2, bcrypt, scrypt) at its current
    settings is not weaker. Login tops up the cost of a weaker hash and re-hashes it; sync refuses to store one."""
    try:
        hasher = identify_hasher(encoded)
    except ValueError:
        return False  # unusable passwords are refused without a check; equal cost comes from the dummy hash
    if hasher.algorithm == get_hasher("default").algorithm:
        return hasher.must_update(encoded)
    return hasher.algorithm in FAST_ALGORITHMS or hasher.must_update(encoded)


def run_default_hasher(password: str) -> None:
    """Spend what checking a password against a default-cost hash spends (issue 16.5)."""
    make_password(password)


class EmailBackend(ModelBackend):
    """Authenticate active human and admin users by case-insensitive email.

    Every refused or accepted attempt costs at least one run of the default hasher, whether the email
    exists or not (issue 16.5). The account is checked first: an archived or model user is refused with
    a dummy hash and their stored password is never checked, so a refused login never upgrades (writes)
    it. Model users have no email and an unusable password, so they never match (DM-USR-2).
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = (email or username or "").strip().lower()
        if not login or password is None:
            return None
        user = get_user_model().objects.filter(email=login).first()
        if user is None or user.is_model or not self.user_can_authenticate(user):
            run_default_hasher(password)
            return None
        if is_weaker_than_default(user.password):
            run_default_hasher(password)  # the stored hash is cheap to check: top it up to the default's cost
        if user.check_password(password):  # on success Django re-hashes a weaker hash at the default cost
            return user
        return None
