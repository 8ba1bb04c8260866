"""Incremental runs: the audit records a run applies, and each org's last org document.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mappings") as batch:
        batch.add_column(sa.Column("changes", sa.Text, nullable=True))
    op.create_table(
        "org_states",
        sa.Column("org_key", sa.String(300), primary_key=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("org_states")
    with op.batch_alter_table("mappings") as batch:
        batch.drop_column("changes")
