"""Sign-in throttling: growing delays, then a temporary lock-out, per account and per session.

Pure Python (no Streamlit). ``auth.sign_in`` asks ``wait_for`` before it checks a password (a
throttled attempt costs no scrypt work and is not checked at all), and reports the outcome with
``failed`` or ``succeeded``. Failures are logged at WARNING.

The schedule (``Schedule``), counted in consecutive failures of one key (an account name, known
or not, or one browser session):

    failures   1-2   3    4    5   ...   9     10-14    15-19    20 and more
    wait        0    1 s  2 s  4 s ...  64 s   15 min   30 min   60 min (the lock-out)

so 200 guesses at one account take more than a week instead of a minute. A success clears the
account's and the session's count; a key with no failure for a day is forgotten. The state is kept
in this process (one app process per sticky browser session behind the proxy): with N processes a
guesser gets at most N times as many attempts, still days for 200.

Time is injectable (``clock``), so the tests need no sleeping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    free_failures: int = 2  # failures allowed with no wait
    first_delay: float = 1.0  # seconds after the first failure beyond the free ones, doubling
    lock_after: int = 10  # failures that lock the key out
    lock_seconds: float = 15 * 60
    lock_doubles_every: int = 5  # further failures after which the lock-out doubles
    max_lock_seconds: float = 60 * 60
    forget_after: float = 24 * 60 * 60
    max_keys: int = 20_000  # memory bound: the oldest keys are dropped first

    def delay(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure."""
        if failures <= self.free_failures:
            return 0.0
        if failures < self.lock_after:
            return self.first_delay * 2 ** (failures - self.free_failures - 1)
        steps = (failures - self.lock_after) // self.lock_doubles_every
        return min(self.lock_seconds * 2**steps, self.max_lock_seconds)


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0


class Throttle:
    """Consecutive failures per key, and how long each key must wait before its next attempt."""

    def __init__(self, schedule: Schedule | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.schedule = schedule or Schedule()
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def _record(self, key: str, now: float) -> _Record | None:
        record = self._records.get(key)
        if record is not None and now - record.last_failure > self.schedule.forget_after:
            del self._records[key]
            return None
        return record

    def wait_for(self, *keys: str) -> float:
        """Seconds before any of ``keys`` may try again (0: go ahead)."""
        now = self.clock()
        with self._lock:
            waits = [
                record.last_failure + self.schedule.delay(record.failures) - now
                for key in keys
                if (record := self._record(key, now)) is not None
            ]
        return max([0.0, *waits])

    def failures(self, key: str) -> int:
        with self._lock:
            record = self._record(key, self.clock())
            return record.failures if record else 0

    def failed(self, *keys: str) -> float:
        """Count a failure for every key; returns the wait now imposed (the longest)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                record = self._record(key, now) or _Record()
                record.failures += 1
                record.last_failure = now
                self._records[key] = record
                self._records.move_to_end(key)
                wait = self.schedule.delay(record.failures)
                longest = max(longest, wait)
                if record.failures == self.schedule.lock_after or (
                    record.failures > self.schedule.lock_after and wait > self.schedule.delay(record.failures - 1)
                ):
                    log.warning("sign-in locked for %s: %d failures in a row, %d s", key, record.failures, wait)
            while len(self._records) > self.schedule.max_keys:
                self._records.popitem(last=False)
        return longest

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)


def account_key(name: str) -> str:
    return "account:" + (name or "").strip().casefold()[:64]


def session_key(session_id: str) -> str:
    return "session:" + session_id


def describe_wait(seconds: float) -> str:
    """'12 seconds', '15 minutes': how long someone must wait, rounded up."""
    seconds = max(1, int(seconds + 0.999))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{(seconds + 59) // 60} minutes"


SIGN_IN = Throttle()  # the app's one throttle (per process)
