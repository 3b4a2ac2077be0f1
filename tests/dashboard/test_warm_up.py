"""The ward-profile warm-up gives way to people: it builds a ward only after a lull (no page
drawn for WARM_IDLE_SECONDS), checked here with an injected clock (no real waiting)."""

from __future__ import annotations

import pytest

from dashboard import loaders


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture()
def drawn_at(monkeypatch):
    monkeypatch.setattr(loaders, "WARM_IDLE_SECONDS", 1.0)

    def at(t: float) -> None:
        monkeypatch.setattr(loaders, "_last_drawn", [t])

    return at


def test_waits_out_the_rest_of_the_lull_after_a_page_was_drawn(drawn_at):
    drawn_at(10.0)
    clock = FakeClock(10.25)  # a page drawn 0.25 s ago
    loaders.wait_for_a_lull(clock, clock.sleep)
    assert clock.slept == [0.75]  # 1.0 - 0.25: until a full second with nothing drawn


def test_goes_at_once_when_nothing_was_drawn_lately(drawn_at):
    drawn_at(10.0)
    clock = FakeClock(12.0)
    loaders.wait_for_a_lull(clock, clock.sleep)
    assert clock.slept == []


def test_a_page_drawn_while_waiting_starts_the_wait_again(drawn_at):
    drawn_at(10.0)
    clock = FakeClock(10.5)

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.slept) == 1:
            drawn_at(clock.now - 0.1)  # someone's page drawn at 10.9, during the first wait

    loaders.wait_for_a_lull(clock, sleep)
    assert clock.slept == pytest.approx([0.5, 0.9])  # 1.0 - 0.5, then 1.0 - (11.0 - 10.9)


def test_prepare_before_serving_builds_every_wards_profile_once(fixture_env, monkeypatch):
    from dashboard.core import profile

    built: list[str] = []
    real = profile.build_ward_profile

    def counting(tidy, ward, *, ward_name):  # noqa: ANN001, ANN202
        built.append(ward)
        return real(tidy, ward, ward_name=ward_name)

    monkeypatch.setattr(profile, "build_ward_profile", counting)
    loaders._ward_profile.clear()
    prepared = loaders.prepare_before_serving()
    tidy = loaders.current_tidy()
    names = loaders.choices(tidy).ward_names
    assert prepared == len(names) and sorted(built) == sorted(names)  # each ward built once
    for code, name in names.items():  # a visitor's first view of any ward: nothing left to build
        loaders.ward_profile(tidy, code, ward_name=name)
    assert len(built) == len(names)
