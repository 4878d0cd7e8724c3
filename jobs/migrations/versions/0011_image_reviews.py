"""Reviews: an image's standing decision on its row, and every decision in image_review.

The standing decision's reviewer name and comment sit on the row beside it, so a job view and the
Approved library read one row per image, not the latest of its history. `purged_at` marks an image
whose files retention deleted while an approved image of the same job kept the job.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job_image") as batch:
        batch.add_column(sa.Column("review", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reviewer_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("review_comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_job_image_review", "job_image", ["review", "reviewed_at"])
    op.create_table(
        "image_review",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reviewer_oid", sa.String(length=64), nullable=False),
        sa.Column("reviewer_tid", sa.String(length=64), nullable=False),
        sa.Column("reviewer_name", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_image_review_image", "image_review", ["job_id", "idx", "decided_at"])


def downgrade() -> None:
    op.drop_index("ix_image_review_image", table_name="image_review")
    op.drop_table("image_review")
    op.drop_index("ix_job_image_review", table_name="job_image")
    with op.batch_alter_table("job_image") as batch:
        batch.drop_column("purged_at")
        batch.drop_column("review_comment")
        batch.drop_column("reviewer_name")
        batch.drop_column("reviewed_at")
        batch.drop_column("review")
