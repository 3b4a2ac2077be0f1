"""The dashboard's fixture tidy folder (3 wards) for the brief tests."""

from __future__ import annotations

from tests.dashboard.conftest import fixture_data_dir, fixture_env, tidy  # noqa: F401  (re-exported fixtures)
