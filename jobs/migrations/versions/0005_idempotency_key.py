"""Idempotency keys for POST /generate.

A client whose connection broke after its job was stored saw no 202; retrying made a second job.
With an `Idempotency-Key` the retry is answered from this table instead. The key is scoped to its
caller (the primary key leads with owner tid and oid, which also serves the lookup), the row keeps
the first 202 body so a replay answers the same even after the job is deleted, and `created_at` is
indexed for the retention sweeper, which drops keys after 24 hours. There is no foreign key to
`job` on purpose: the key must outlive a deleted job for its 24 hours.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("owner_tid", sa.String(length=64), primary_key=True),
        sa.Column("owner_oid", sa.String(length=64), primary_key=True),
        sa.Column("key", sa.String(length=255), primary_key=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_idempotency_key_created_at", "idempotency_key", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_key_created_at", table_name="idempotency_key")
    op.drop_table("idempotency_key")
