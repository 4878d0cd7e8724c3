"""Why a runner could not start: a runner whose models do not load crash-loops, and without this
the API could only say "starting" for ever. The runner writes the cause before it exits; /health
shows it. Null for a runner that started.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runner_instance") as batch:
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runner_instance") as batch:
        batch.drop_column("error")
