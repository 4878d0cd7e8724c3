"""Create the job table: the ledger of accepted work.

Every accepted request is a row before /generate answers, so no restart can lose it. `attempts`
doubles as a fencing token and `heartbeat_at` as a lease, which is how a job left running by a dead
process is found and run again. The indexes serve the hot reads: a user's history (owner, newest
first) and the dispatcher's scan for queued work.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_oid", sa.String(64), nullable=False),
        sa.Column("owner_tid", sa.String(64), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("style", sa.String(64), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("num_images", sa.Integer(), nullable=False),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("guidance", sa.Float(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress_step", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("progress_total", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pipeline_ms", sa.Float(), nullable=True),
        sa.Column("images_stored", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_job_owner_created", "job", ["owner_tid", "owner_oid", "created_at"])
    op.create_index("ix_job_status_created", "job", ["status", "created_at"])
    op.create_index("ix_job_created_at", "job", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_job_created_at", table_name="job")
    op.drop_index("ix_job_status_created", table_name="job")
    op.drop_index("ix_job_owner_created", table_name="job")
    op.drop_table("job")
