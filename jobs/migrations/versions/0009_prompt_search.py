"""Prompt search: on PostgreSQL a GIN index on the words of each prompt (jobs/search.py), so a
search answers from the index. SQLite, one box, searches the caller's own rows without one.

The expression must stay word for word what jobs.models.PROMPT_WORDS_VECTOR says.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PROMPT_WORDS_VECTOR = "to_tsvector('simple'::regconfig, regexp_replace(prompt, '[^[:alnum:]]+', ' ', 'g'))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_job_prompt_words ON job USING gin ({PROMPT_WORDS_VECTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_job_prompt_words")
