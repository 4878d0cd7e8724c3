"""Crash recovery: attempts spent only by a job that really ran.

`attempts` was both the count of runs and the fencing token. A run lost before its first step
(waiting for the GPU when the runner crashed) spent an attempt, so crashes failed jobs that never
rendered; and giving an attempt back reused a fencing token, so a late answer or a cancel meant
for an old run could land on the next one. Now `claims` counts every claim and is never given
back (the fencing token), `attempts` counts only runs that rendered a step, and `handoffs` counts
runs lost before their first step, bounded apart so a job that kills the runner early still ends.
`suspect` marks a job that was in flight when the runner broke off under it (it then runs alone);
a lapsed lease (the API died) does not set it, so a restart does not serialise the whole backlog.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("claims", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("handoffs", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("suspect", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Rows from before: every attempt was a claim, so the new token starts past all old ones.
    op.execute("UPDATE job SET claims = attempts")


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("suspect")
        batch.drop_column("handoffs")
        batch.drop_column("claims")
