"""Prompt search: on PostgreSQL, job_prompt_words(prompt), the words of a prompt by the rules of
jobs/search.py as a tsvector, and a GIN index on it, so a search answers from the index. SQLite,
one box, searches the caller's own rows without one.

The function splits with explicit character ranges rather than the text-search parser or a
character class such as [[:alnum:]], which disagree with those rules (they split "हिन्दी" at its
virama, "x²" at the "²"). WORD_CHARACTERS and MAX_WORD_LENGTH are jobs.search's; the index
expression is jobs.models.PROMPT_WORDS_VECTOR. Changing the words later means a new migration that
replaces the function and rebuilds the index.

The index is built CONCURRENTLY: a plain CREATE INDEX would hold up every write to `job` (new jobs,
claims, progress) for as long as the build takes on a large table.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from alembic import op
from sqlalchemy import text

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

WORD_CHARACTERS = (
    r"\u0030-\u0039\u0041-\u005a\u0061-\u007a\u00aa\u00b2-\u00b3\u00b5\u00b9-\u00ba\u00bc-\u00be"
    r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02c1\u02c6-\u02d1\u02e0-\u02e4\u02ec\u02ee\u0300-\u0374"
    r"\u0376-\u037d\u037f\u0386\u0388-\u03f5\u03f7-\u0481\u0483-\u0559\u0560-\u0588\u0591-\u05bd\u05bf"
    r"\u05c1-\u05c2\u05c4-\u05c5\u05c7-\u05f2\u0610-\u061a\u0620-\u0669\u066e-\u06d3\u06d5-\u06dc"
    r"\u06df-\u06e8\u06ea-\u06fc\u06ff\u0710-\u07f5\u07fa-\u07fd\u0800-\u082d\u0840-\u085b\u0860-\u0887"
    r"\u0889-\u088e\u0898-\u08e1\u08e3-\u0963\u0966-\u096f\u0971-\u09f1\u09f4-\u09f9\u09fc\u09fe-\u0a75"
    r"\u0a81-\u0aef\u0af9-\u0b6f\u0b71-\u0bf2\u0c00-\u0c6f\u0c78-\u0c7e\u0c80-\u0c83\u0c85-\u0d4e"
    r"\u0d54-\u0d78\u0d7a-\u0df3\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59\u0e81-\u0f00\u0f18-\u0f19"
    r"\u0f20-\u0f33\u0f35\u0f37\u0f39\u0f3e-\u0f84\u0f86-\u0fbc\u0fc6\u1000-\u1049\u1050-\u109d"
    r"\u10a0-\u10fa\u10fc-\u135f\u1369-\u138f\u13a0-\u13fd\u1401-\u166c\u166f-\u167f\u1681-\u169a"
    r"\u16a0-\u16ea\u16ee-\u1734\u1740-\u17d3\u17d7\u17dc-\u17f9\u180b-\u180d\u180f-\u193b\u1946-\u19da"
    r"\u1a00-\u1a1b\u1a20-\u1a99\u1aa7\u1ab0-\u1b59\u1b6b-\u1b73\u1b80-\u1bf3\u1c00-\u1c37\u1c40-\u1c7d"
    r"\u1c80-\u1cbf\u1cd0-\u1cd2\u1cd4-\u1fbc\u1fbe\u1fc2-\u1fcc\u1fd0-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ffc"
    r"\u2070-\u2079\u207f-\u2089\u2090-\u209c\u20d0-\u20f0\u2102\u2107\u210a-\u2113\u2115\u2119-\u211d"
    r"\u2124\u2126\u2128\u212a-\u212d\u212f-\u2139\u213c-\u213f\u2145-\u2149\u214e\u2150-\u2189"
    r"\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u2c00-\u2ce4\u2ceb-\u2cf3\u2cfd\u2d00-\u2d6f\u2d7f-\u2dff"
    r"\u2e2f\u3005-\u3007\u3021-\u302f\u3031-\u3035\u3038-\u303c\u3041-\u309a\u309d-\u309f\u30a1-\u30fa"
    r"\u30fc-\u318e\u3192-\u3195\u31a0-\u31bf\u31f0-\u31ff\u3220-\u3229\u3248-\u324f\u3251-\u325f"
    r"\u3280-\u3289\u32b1-\u32bf\u3400-\u4dbf\u4e00-\ua48c\ua4d0-\ua4fd\ua500-\ua60c\ua610-\ua672"
    r"\ua674-\ua67d\ua67f-\ua6f1\ua717-\ua71f\ua722-\ua788\ua78b-\ua827\ua82c-\ua835\ua840-\ua873"
    r"\ua880-\ua8c5\ua8d0-\ua8f7\ua8fb\ua8fd-\ua92d\ua930-\ua953\ua960-\ua9c0\ua9cf-\ua9d9\ua9e0-\uaa59"
    r"\uaa60-\uaa76\uaa7a-\uaadd\uaae0-\uaaef\uaaf2-\uab5a\uab5c-\uab69\uab70-\uabea\uabec-\ud7fb"
    r"\uf900-\ufb28\ufb2a-\ufbb1\ufbd3-\ufd3d\ufd50-\ufdc7\ufdf0-\ufdfb\ufe00-\ufe0f\ufe20-\ufe2f"
    r"\ufe70-\ufefc\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uffdc\U00010000-\U000100fa"
    r"\U00010107-\U00010133\U00010140-\U00010178\U0001018a-\U0001018b\U000101fd-\U0001039d"
    r"\U000103a0-\U000103cf\U000103d1-\U00010563\U00010570-\U00010855\U00010858-\U00010876"
    r"\U00010879-\U0001091b\U00010920-\U00010939\U00010980-\U00010a48\U00010a60-\U00010a7e"
    r"\U00010a80-\U00010ac7\U00010ac9-\U00010aef\U00010b00-\U00010b35\U00010b40-\U00010b91"
    r"\U00010ba9-\U00010eac\U00010eb0-\U00010f54\U00010f70-\U00010f85\U00010fb0-\U00011046"
    r"\U00011052-\U000110ba\U000110c2\U000110d0-\U0001113f\U00011144-\U00011173\U00011176-\U000111c4"
    r"\U000111c9-\U000111cc\U000111ce-\U000111da\U000111dc\U000111e1-\U00011237\U0001123e-\U000112a8"
    r"\U000112b0-\U0001144a\U00011450-\U00011459\U0001145e-\U000114c5\U000114c7-\U000115c0"
    r"\U000115d8-\U00011640\U00011644-\U00011659\U00011680-\U000116b8\U000116c0-\U0001173b"
    r"\U00011740-\U0001183a\U000118a0-\U00011943\U00011950-\U000119e1\U000119e3-\U00011a3e"
    r"\U00011a47-\U00011a99\U00011a9d\U00011ab0-\U00011c40\U00011c50-\U00011c6c\U00011c72-\U00011ef6"
    r"\U00011fb0-\U00011fd4\U00012000-\U0001246e\U00012480-\U00012ff0\U00013000-\U0001342e"
    r"\U00014400-\U00016a69\U00016a70-\U00016af4\U00016b00-\U00016b36\U00016b40-\U00016b43"
    r"\U00016b50-\U00016e96\U00016f00-\U00016fe1\U00016fe3-\U0001bc99\U0001bc9d-\U0001bc9e"
    r"\U0001cf00-\U0001cf46\U0001d165-\U0001d169\U0001d16d-\U0001d172\U0001d17b-\U0001d182"
    r"\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244\U0001d2e0-\U0001d2f3"
    r"\U0001d360-\U0001d6c0\U0001d6c2-\U0001d6da\U0001d6dc-\U0001d6fa\U0001d6fc-\U0001d714"
    r"\U0001d716-\U0001d734\U0001d736-\U0001d74e\U0001d750-\U0001d76e\U0001d770-\U0001d788"
    r"\U0001d78a-\U0001d7a8\U0001d7aa-\U0001d7c2\U0001d7c4-\U0001d7ff\U0001da00-\U0001da36"
    r"\U0001da3b-\U0001da6c\U0001da75\U0001da84\U0001da9b-\U0001e14e\U0001e290-\U0001e2f9"
    r"\U0001e7e0-\U0001e959\U0001ec71-\U0001ecab\U0001ecad-\U0001ecaf\U0001ecb1-\U0001ed2d"
    r"\U0001ed2f-\U0001eebb\U0001f100-\U0001f10c\U0001fbf0-\U0003134a\U000e0100-\U000e01ef"
)
MAX_WORD_LENGTH = 500

# Immutable, as an index expression must be; a SQL-standard body (PostgreSQL 14+) is bound when
# created, so it does not depend on the search_path of whoever calls it.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION job_prompt_words(prompt text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_to_tsvector(ARRAY(
        SELECT lower(left(word, {MAX_WORD_LENGTH}))
        FROM unnest(regexp_split_to_array(prompt, '[^{WORD_CHARACTERS}]+')) AS word
        WHERE word <> ''))
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CREATE_FUNCTION)
    # CONCURRENTLY cannot run in a transaction: Alembic commits what came before and runs these alone.
    with op.get_context().autocommit_block():
        # A concurrent build that failed (a timeout, a cancelled deploy) leaves an invalid index,
        # which IF NOT EXISTS would keep: drop it, and build again.
        invalid = op.get_bind().execute(text(
            "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('ix_job_prompt_words') AND NOT indisvalid"
        )).scalar()
        if invalid:
            op.execute("DROP INDEX CONCURRENTLY ix_job_prompt_words")
        op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_job_prompt_words ON job USING gin (job_prompt_words(prompt))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_job_prompt_words")
    op.execute("DROP FUNCTION IF EXISTS job_prompt_words(text)")
