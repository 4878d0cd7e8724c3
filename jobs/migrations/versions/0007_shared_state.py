"""State that several API replicas and several runners share: per-user submission buckets, and the
runners' runs, cancels and instances (see jobs/limits.py and runner/tables.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submit_bucket",
        sa.Column("owner_tid", sa.String(length=64), primary_key=True),
        sa.Column("owner_oid", sa.String(length=64), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_submit_bucket_updated_at", "submit_bucket", ["updated_at"])
    op.create_table(
        "runner_run",
        sa.Column("job_id", sa.String(length=36), primary_key=True),
        sa.Column("claim", sa.Integer(), primary_key=True),
        sa.Column("runner_id", sa.String(length=64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_runner_run_updated_at", "runner_run", ["updated_at"])
    op.create_table(
        "runner_cancel",
        sa.Column("job_id", sa.String(length=36), primary_key=True),
        sa.Column("claim", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_runner_cancel_created_at", "runner_cancel", ["created_at"])
    op.create_table(
        "runner_instance",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("device", sa.String(length=32), nullable=False),
        sa.Column("models", sa.Text(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_runner_instance_seen_at", "runner_instance", ["seen_at"])


def downgrade() -> None:
    for table, column in (("runner_instance", "seen_at"), ("runner_cancel", "created_at"),
                          ("runner_run", "updated_at"), ("submit_bucket", "updated_at")):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
