"""Sign-in resists guessing: growing delays, a temporary lock-out, per account and per session,
logged at WARNING (issue 13, item 4). The clock is a fake one the tests move by hand."""

from __future__ import annotations

import logging

import pytest

from dashboard import auth
from dashboard.auth import UsersFile, sign_in
from dashboard.signin_throttle import Schedule, Throttle, account_key, describe_wait, session_key

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def users() -> UsersFile:
    return UsersFile(users={"sam": {"role": "editor", "password_hash": auth.hash_password(PASSWORD)}})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(clock: Clock) -> Throttle:
    return Throttle(clock=clock)


def test_the_schedule_grows_then_locks_out() -> None:
    schedule = Schedule()
    # failures 1-2 free; 3..9 wait 1, 2, 4 ... 64 s; 10-14 locked 15 min; 15-19 30 min; 20+ 60 min
    assert [schedule.delay(n) for n in range(1, 10)] == [0, 0, 1, 2, 4, 8, 16, 32, 64]
    assert [schedule.delay(n) for n in (10, 14, 15, 19, 20, 199)] == [900, 900, 1800, 1800, 3600, 3600]


def test_two_hundred_guesses_at_one_account_take_days() -> None:
    schedule = Schedule()
    # the 200th attempt comes after the waits imposed by the 199 failures before it:
    # (1+2+...+64) + 5*900 + 5*1800 + 180*3600 = 127 + 4,500 + 9,000 + 648,000 = 661,627 s
    total = sum(schedule.delay(n) for n in range(1, 200))
    assert total == 661_627
    assert total / 3600 > 180  # hours, not the 51 seconds it took before


def test_an_attempt_inside_the_wait_is_refused_without_checking_the_password(
    users: UsersFile, throttle: Throttle, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        assert sign_in("sam", "wrong", users, session_id="s1", throttle=throttle).user is None
    checked = []
    monkeypatch.setattr(auth, "verify_password", lambda *a: checked.append(a) or True)

    attempt = sign_in("sam", PASSWORD, users, session_id="s1", throttle=throttle)

    assert attempt.user is None and "wait 1 second" in attempt.message
    assert checked == []  # no scrypt work, and a right password is not accepted either


def test_after_the_wait_the_right_password_works_and_clears_the_count(
    users: UsersFile, throttle: Throttle, clock: Clock
) -> None:
    for _ in range(4):
        sign_in("sam", "wrong", users, session_id="s1", throttle=throttle)
    clock.now += 2  # the fourth failure imposed 2 s

    attempt = sign_in("sam", PASSWORD, users, session_id="s1", throttle=throttle)

    assert attempt.user is not None and attempt.user.role == "editor"
    assert throttle.failures(account_key("sam")) == 0 and throttle.failures(session_key("s1")) == 0


def test_ten_failures_lock_the_account_for_every_session(users: UsersFile, throttle: Throttle, clock: Clock) -> None:
    for n in range(10):
        clock.now += 3600  # a patient guesser waits out every delay, each from a fresh session
        sign_in("sam", "wrong", users, session_id=f"fresh-{n}", throttle=throttle)
    clock.now += 14 * 60  # 14 of the 15 minutes

    attempt = sign_in("sam", PASSWORD, users, session_id="another-fresh-one", throttle=throttle)

    assert attempt.user is None and "wait 60 seconds" in attempt.message
    clock.now += 60
    assert sign_in("sam", PASSWORD, users, session_id="another-fresh-one", throttle=throttle).user is not None


def test_one_session_guessing_many_accounts_is_slowed_too(users: UsersFile, throttle: Throttle) -> None:
    for name in ("ana", "bo", "cy"):
        sign_in(name, "wrong", users, session_id="sprayer", throttle=throttle)

    attempt = sign_in("dee", "wrong", users, session_id="sprayer", throttle=throttle)

    assert "Too many failed sign-ins" in attempt.message
    assert throttle.failures(account_key("dee")) == 0  # refused before it was even tried


def test_unknown_names_are_throttled_like_real_ones(users: UsersFile, throttle: Throttle) -> None:
    known = [sign_in("sam", "x", users, session_id=f"a{n}", throttle=throttle).message for n in range(3)]
    unknown = [sign_in("nobody", "x", users, session_id=f"b{n}", throttle=throttle).message for n in range(3)]

    assert known == unknown  # the messages do not tell which names exist


def test_failures_and_lock_outs_are_logged_at_warning(
    users: UsersFile, throttle: Throttle, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        for _ in range(10):
            clock.now += 3600
            sign_in("sam", "wrong", users, session_id="s", throttle=throttle)
        sign_in("sam", "wrong", users, session_id="s", throttle=throttle)

    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum("failed sign-in for 'sam'" in m for m in messages) == 10
    assert any("sign-in locked for account:sam: 10 failures in a row, 900 s" in m for m in messages)
    assert any("refused unchecked" in m for m in messages)


def test_a_quiet_day_forgets_old_failures(throttle: Throttle, clock: Clock) -> None:
    for _ in range(5):
        throttle.failed("account:sam")
    clock.now += 24 * 3600 + 1

    assert throttle.wait_for("account:sam") == 0 and throttle.failures("account:sam") == 0


def test_the_number_of_remembered_keys_is_bounded(clock: Clock) -> None:
    throttle = Throttle(Schedule(max_keys=100), clock=clock)
    for n in range(1_000):
        throttle.failed(f"account:guess-{n}")

    assert len(throttle._records) == 100


def test_waits_are_described_in_words() -> None:
    assert [describe_wait(s) for s in (0.2, 1, 59.5, 900, 3600)] == [
        "1 second",
        "1 second",
        "60 seconds",
        "15 minutes",
        "60 minutes",
    ]
