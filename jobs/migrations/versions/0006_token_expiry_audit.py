"""Access tokens always expire, show a prefix and re-check their owner; an audit log.

Why: a personal access token that never expires, and that outlives its owner's app role, is a
standing credential nobody reviews. Tokens now carry a mandatory `expires_at` and the first
characters of their secret (`prefix`) so owners can tell them apart; `owner_access` records when
each person's access (app role or group) was last confirmed, which a token needs to work; and
`audit_event` records token creation, revocation and administrator reads (who, when, from where).

Existing tokens: those without an expiry get one 90 days (the default lifetime) after this
migration runs, so nothing stops working on the day of the upgrade and owners have time to replace
them; their prefix, which was never stored, becomes the bare `bag_pat_`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_GRACE = timedelta(days=90)


def upgrade() -> None:
    with op.batch_alter_table("access_token") as batch:
        batch.add_column(sa.Column("prefix", sa.String(length=16), nullable=False, server_default="bag_pat_"))
    token = sa.table("access_token", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(token.update().where(token.c.expires_at.is_(None))
               .values(expires_at=datetime.now(UTC) + _GRACE))
    with op.batch_alter_table("access_token") as batch:
        # New rows always name their prefix; the default was only for the rows above.
        batch.alter_column("prefix", server_default=None)
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    op.create_table(
        "owner_access",
        sa.Column("owner_tid", sa.String(length=64), primary_key=True),
        sa.Column("owner_oid", sa.String(length=64), primary_key=True),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_oid", sa.String(length=64), nullable=False),
        sa.Column("actor_tid", sa.String(length=64), nullable=False),
        sa.Column("actor_name", sa.String(length=256), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=256), nullable=False),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("owner_access")
    with op.batch_alter_table("access_token") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=True)
        batch.drop_column("prefix")
