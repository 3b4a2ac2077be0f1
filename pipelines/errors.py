"""One error type for bad input: it names the file, the problem and the fix."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """Raised when an input file cannot be used. The build stops and writes nothing.

    The message always has three parts, so that a person who did not write the code can act
    on it: which file, what is wrong (listing every problem found, not only the first), and
    what to do about it.
    """

    def __init__(self, *, file: str | Path, problem: str, fix: str, source_id: str | None = None):
        self.file = str(file)
        self.problem = problem
        self.fix = fix
        self.source_id = source_id
        label = f"{source_id}: " if source_id else ""
        super().__init__(f"{label}{self.file}: {problem}. Fix: {fix}")


class ConfigError(Exception):
    """Raised when the place configuration or the source registry is unusable."""
