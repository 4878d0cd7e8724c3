"""One row per stored image: its content credentials and its brand score, beside the pixels; and the
job owner's display name, kept only when content credentials are to name the creator.

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
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("owner_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("owner_name")
    op.drop_table("job_image")
