"""The former bulk hasher of sync (SYNC-USR-3): PBKDF2-SHA256 at 20,000 iterations.

Sync no longer writes it (issue 16.5: a low-cost hash let anyone time which emails exist); it stays
registered so hashes it wrote still verify. Such a hash is re-hashed at the default cost when its user
next logs in (Django's hasher upgrade) or when sync is given the matching plaintext password, and the
login backend tops up the cost of checking it meanwhile (catalog/auth.py).
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class BulkPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_bulk"
    iterations = 20_000
