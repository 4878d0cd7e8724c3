"""One row per stored image: its content credentials and its brand score, beside the pixels.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_image",
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("credentials", sa.Text(), nullable=True),
        sa.Column("brand_score", sa.Float(), nullable=True),
        sa.Column("brand_colors", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("job_id", "idx"),
    )


def downgrade() -> None:
    op.drop_table("job_image")
