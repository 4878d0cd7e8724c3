"""Filters for a caller's job list, and the word rules of prompt search.

A word is a run of letters and digits; everything else (spaces, punctuation, symbols, `_`)
separates words. A search matches a prompt when every word searched begins some word of the
prompt, ignoring case: "sun bea" finds "Sunny beach", "com" finds "example.com".

Both databases apply that rule to the stored prompt. PostgreSQL turns every run of other
characters into a space before `to_tsvector('simple', ...)` (its parser would otherwise keep
"example.com" or "1.5" whole) and answers from a GIN index on exactly that expression, with a
prefix term (`'word':*`) per word. SQLite, which serves one box and has no such index, asks
`LIKE '% word%'` of the same words made by `prompt_words` below; the caller's own rows (the owner
index) bound the scan there.

On PostgreSQL, which characters are letters and how they fold case come from the database's
LC_CTYPE: a UTF-8 locale (C.UTF-8, en_US.UTF-8, the managed services' default) agrees with Python
on accented and other non-ASCII letters; a database created with LC_CTYPE "C" treats them as
separators. ASCII behaves the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func, literal_column
from sqlmodel import col

from jobs.models import PROMPT_WORDS_VECTOR, Job, JobStatus

# A search box's worth; long enough for a pasted sentence, short enough to keep the query small.
MAX_QUERY_LENGTH = 200

SQLITE_WORDS_FUNCTION = "bag_prompt_words"
_SIMPLE = literal_column("'simple'::regconfig")


@dataclass(frozen=True)
class JobFilter:
    """What the caller narrows the list to; every field given must hold (AND)."""

    q: str | None = None
    style: str | None = None
    model: str | None = None
    statuses: Sequence[JobStatus] = ()
    created_after: datetime | None = None  # inclusive; aware
    created_before: datetime | None = None  # exclusive; aware


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, in order."""
    return "".join(c if c.isalnum() else " " for c in text).lower().split()


def prompt_words(prompt: str | None) -> str:
    """SQLite's view of a prompt: its words, each after a space, so `LIKE '% word%'` finds a word
    that begins with `word` and nothing that starts mid-word."""
    return "".join(f" {w}" for w in words(prompt or ""))


def filter_clauses(where: JobFilter, dialect: str) -> list:
    """SQL conditions for `where` (the caller's ownership is the store's)."""
    clauses: list = []
    if where.style is not None:
        clauses.append(col(Job.style) == where.style)
    if where.model is not None:
        clauses.append(col(Job.model) == where.model)
    if where.statuses:
        clauses.append(col(Job.status).in_([JobStatus(s).value for s in where.statuses]))
    # In UTC: SQLite keeps the stored times as UTC text and compares text, so a bound given in
    # another zone must be moved to UTC first (PostgreSQL compares instants either way).
    if where.created_after is not None:
        clauses.append(col(Job.created_at) >= where.created_after.astimezone(UTC))
    if where.created_before is not None:
        clauses.append(col(Job.created_at) < where.created_before.astimezone(UTC))
    if where.q is not None and (searched := words(where.q)):
        clauses.append(_prompt_matches(searched, dialect))
    return clauses


def _prompt_matches(searched: list[str], dialect: str):  # noqa: ANN202
    if dialect == "postgresql":
        # Built from words (letters and digits only), each quoted as a lexeme: nothing the caller
        # typed is read as tsquery syntax. Bound as a parameter, like any value.
        query = " & ".join("'" + w.replace("'", "''") + "':*" for w in searched)
        # The indexed expression as SQL text, not parameters: only then can the planner match it.
        return literal_column(PROMPT_WORDS_VECTOR).op("@@")(func.to_tsquery(_SIMPLE, query))
    prompt = getattr(func, SQLITE_WORDS_FUNCTION)(col(Job.prompt))
    # Words hold no `%` or `_` (not letters or digits), so nothing needs escaping in the pattern.
    return and_(*(prompt.like(f"% {w}%") for w in searched))
