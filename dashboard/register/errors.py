"""Errors the register raises; each says what went wrong and what to do next."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.register.models import Issue


class RegisterError(Exception):
    """Base class for every error of the register."""


class RegisterConfigError(RegisterError):
    """Something the register needs (the ward list, the database) is missing or unusable."""


class NotFoundError(RegisterError):
    def __init__(self, record_id: str) -> None:
        self.record_id = record_id
        super().__init__(f"activity {record_id} is not in the register (it may have been deleted)")


class ConflictError(RegisterError):
    """The record changed since the caller read it: ``expected_version`` is stale.

    ``current_version`` is the version now stored; nothing was written.
    """

    def __init__(self, record_id: str, *, expected_version: int, current_version: int) -> None:
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"activity {record_id} was changed by someone else: you edited version {expected_version}, "
            f"the register now holds version {current_version}. Reload it, reapply your change and save again."
        )


class ValidationError(RegisterError):
    """A record (or a file) has problems; ``issues`` lists every one of them."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues) or "invalid record")


class ImportRefused(ValidationError):
    """An import found errors and wrote nothing; ``preview`` holds every row's problems."""

    def __init__(self, preview) -> None:  # noqa: ANN001 (ImportPreview; avoids a cycle in docs)
        self.preview = preview
        super().__init__(preview.errors)
        self.args = (preview.summary(),)
