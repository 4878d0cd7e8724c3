"""Exact recipes and style versions: each job's full recipe, the style version it used, and every
adapter file seen for a style.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("recipe", sa.Text(), nullable=True))
        batch.add_column(sa.Column("style_version", sa.Integer(), nullable=True))
    op.create_table(
        "style_version",
        sa.Column("style", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("family", sa.String(length=16), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("style", "version"),
        sa.UniqueConstraint("style", "fingerprint", name="uq_style_version_fingerprint"),
    )


def downgrade() -> None:
    op.drop_table("style_version")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("style_version")
        batch.drop_column("recipe")
