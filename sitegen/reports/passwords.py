"""Staff passwords: hashed with Argon2id (argon2-cffi), never stored or logged in clear.

The cost can be lowered for tests through settings; a hash made with other parameters is
upgraded at the next successful login.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256


@dataclass
class Passwords:
    """Hashing and checking passwords with one set of Argon2id parameters."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4
    _hasher: PasswordHasher = field(init=False, repr=False)
    _dummy: str = field(init=False, repr=False, default="")

    def __post_init__(self) -> None:
        self._hasher = PasswordHasher(
            time_cost=self.time_cost, memory_cost=self.memory_kib, parallelism=self.parallelism
        )

    def _unknown_user_hash(self) -> str:
        # Checked against when the user name is unknown, so both cases take as long.
        if not self._dummy:
            self._dummy = self._hasher.hash("not a password of anyone")
        return self._dummy

    def hash(self, password: str) -> str:
        """The Argon2id hash (with its salt and parameters) of a password."""
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; ``None`` (no such user) takes as long."""
        try:
            return self._hasher.verify(stored or self._unknown_user_hash(), password) and bool(
                stored
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """Whether a hash was made with other parameters than these."""
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True


def check_new_password(password: str, username: str) -> None:
    """Refuse a password that is too short, too long or the user name itself."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"a password may have at most {MAX_LENGTH} characters")
    if password.strip().lower() == username.lower() or len(set(password)) < 4:
        raise ValueError("choose a password that is not the user name or one repeated character")
