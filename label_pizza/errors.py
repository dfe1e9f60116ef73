"""The one error the compatibility layer adds: a call the original offered and this project does not."""


class NotOfferedHere(RuntimeError):
    """The original offered this (usually raw SQL on its own tables); the message names what to use here."""
