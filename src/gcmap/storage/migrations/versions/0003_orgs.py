"""Orgs registered with the service, with their OAuth client secret sealed.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orgs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("environment", sa.String(200), nullable=False),
        sa.Column("api_base_url", sa.Text, nullable=True),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("client_secret", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("remap_interval_s", sa.Float, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("orgs")
