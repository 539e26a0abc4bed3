"""Join codes, teacher secrets and member tokens: random, and only ever stored hashed.

A join code is what a teacher writes on the board: six characters from an alphabet without the
look-alikes 0/O and 1/I, read back case-insensitively and trimmed. It is not a secret (students
see it), so it is stored as it is. The teacher secret (the teacher link) and each member's token
are secrets: drawn from `secrets`, handed out once, and stored only as their SHA-256, so a copy
of the database gives nobody a teacher link or a student's seat.
"""

from __future__ import annotations

import hashlib
import secrets

JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0, O, 1, I
JOIN_CODE_LENGTH = 6
SECRET_BYTES = 32  # 256 bits; token_urlsafe gives 43 URL-safe characters


def new_join_code() -> str:
    """A fresh random join code such as "K7QX3M" (uniqueness is the store's unique index)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(typed: object) -> str | None:
    """The join code a student typed, in its stored form, or None if it cannot be one.

    Trimmed and upper-cased; spaces and dashes inside are dropped, so "k7q-x3m" works.
    """
    if not isinstance(typed, str):
        return None
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != JOIN_CODE_LENGTH or any(char not in JOIN_CODE_ALPHABET for char in code):
        return None
    return code


def new_secret() -> str:
    """A fresh teacher secret or member token (URL-safe text)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest under which a secret is stored and looked up.

    A plain hash is enough (no salt, no slow KDF): the secrets are 256 random bits, not
    passwords a person chose, so there is no dictionary to guard against.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
