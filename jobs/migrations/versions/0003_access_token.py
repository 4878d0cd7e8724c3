"""Personal access tokens, for internal tools and the Figma plugin.

Only the SHA-256 of each secret is kept (unique, so a sign-in is one index lookup); the owner is
keyed by oid and tid like jobs. Revoked tokens stay as rows so the owner's list can be audited.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_token",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("owner_oid", sa.String(length=64), nullable=False),
        sa.Column("owner_tid", sa.String(length=64), nullable=False),
        sa.Column("owner_name", sa.String(length=256), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_access_token_hash", "access_token", ["token_hash"], unique=True)
    op.create_index("ix_access_token_owner", "access_token", ["owner_tid", "owner_oid"])


def downgrade() -> None:
    op.drop_index("ix_access_token_owner", table_name="access_token")
    op.drop_index("ix_access_token_hash", table_name="access_token")
    op.drop_table("access_token")
