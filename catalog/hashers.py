"""The bulk hasher for sync (SYNC-USR-3): PBKDF2-SHA256 at 20,000 iterations.

Hashing hundreds of synced users with Django's default (~0.5 s each) would take minutes. Django
re-hashes with the default hasher at the user's first login (standard hasher upgrade).
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class BulkPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_bulk"
    iterations = 20_000
