"""The partner activity register: organisations, activities, their themes and wards, history.

Revision ID: 0001
Revises:
Create Date: 2025-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("organisation_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False, unique=True),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "activity",
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisation.organisation_id"), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("activity_type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("reach_count", sa.Integer),
        sa.Column("reach_unit", sa.String(20)),
        sa.Column("reach_period", sa.String(20)),
        sa.Column("postcode", sa.String(10)),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("location_ward_code", sa.String(12)),
        sa.Column("contact_role", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_activity_organisation_id", "activity", ["organisation_id"])
    op.create_table(
        "activity_theme",
        sa.Column(
            "record_id", sa.String(36), sa.ForeignKey("activity.record_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("theme", sa.String(40), primary_key=True),
    )
    op.create_index("ix_activity_theme_theme", "activity_theme", ["theme"])
    op.create_table(
        "activity_ward",
        sa.Column(
            "record_id", sa.String(36), sa.ForeignKey("activity.record_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("ward_code", sa.String(12), primary_key=True),
    )
    op.create_index("ix_activity_ward_ward_code", "activity_ward", ["ward_code"])
    op.create_table(
        "activity_history",
        sa.Column("history_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("editor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_activity_history_record_id", "activity_history", ["record_id"])


def downgrade() -> None:
    op.drop_table("activity_history")
    op.drop_table("activity_ward")
    op.drop_table("activity_theme")
    op.drop_table("activity")
    op.drop_table("organisation")
