"""Filtering and searching a caller's jobs: the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from auth.models import User
from jobs.db import make_engine, migrate
from jobs.models import Job, JobStatus
from jobs.search import WORD_CHARACTERS, JobFilter, filter_clauses, words
from jobs.store import JobStore

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ALICE = User(oid="alice", tid="t1")
BOB = User(oid="bob", tid="t1")

PROMPTS = {
    "sunny": "Sunny beach at dawn",
    "sunset": "sunset over the BEACH",
    "logo": "Logo for example.com, v1.5",
    "cafe": "Café ÉTÉ crème brûlée",
    "hello": "hello_world (draft)",
    "rock": "rock'n'roll poster",
    "chair": "\u201cQuoted\u201d mid-century chair",
    "hindi": "हिन्दी भाषा में पोस्टर",
    "thai": "ภาษาไทย สวัสดี",
    "marks": "Cre\u0300me bru\u0302le\u0301e",  # the accents as combining marks (NFD)
    "symbols": "🎨palette—brush «bold» 東京、大阪 snake_case x² ½",
}

# (what is typed, the prompts it finds): every word typed must begin a word of the prompt.
SEARCHES = [
    ("sun bea", {"sunny", "sunset"}),
    ("SUN", {"sunny", "sunset"}),
    ("beach sunny", {"sunny"}),  # any order
    ("unny", set()),  # inside a word is no match
    ("dawn beach sunny at", {"sunny"}),
    ("com", {"logo"}),  # punctuation separates words: example.com is two
    ("example.com", {"logo"}),
    ("v1 5", {"logo"}),
    ("1.5", set()),  # "1" begins no word ("v1" does not count)
    ("café", {"cafe"}),
    ("CAFÉ été", {"cafe"}),  # case folds beyond ASCII too
    ("cafe", set()),  # accents are kept
    ("brûl", {"cafe"}),
    ("world", {"hello"}),  # so does the underscore
    ("hello_wor", {"hello"}),
    ("draft)", {"hello"}),
    ("rock n roll", {"rock"}),
    ("n'roll", {"rock"}),
    ("quoted", {"chair"}),
    ("mid-cent", {"chair"}),
    ("century", {"chair"}),
    # Nothing typed is query syntax: operators and quotes are only separators.
    ("sun:* & !bea", {"sunny", "sunset"}),
    ("sun | zebra", set()),
    ("'; drop table job; --", set()),
    ("beach -dawn", {"sunny"}),
    ("!!!", set(PROMPTS)),  # no words at all: nothing to narrow by
    # Combining marks (vowel signs, viramas, accents typed as marks) belong to the word they are in.
    ("हिन्दी", {"hindi"}),
    ("हिन्दी भाषा", {"hindi"}),
    ("हिन", {"hindi"}),
    ("पोस्टर", {"hindi"}),
    ("में", {"hindi"}),
    ("दी", set()),  # what follows the virama is not a word of its own
    ("हो", set()),  # nor does a vowel sign end a word: "हो" begins none
    ("สวัสดี", {"thai"}),
    ("ภาษา", {"thai"}),
    ("ไทย", set()),  # Thai is written without spaces: "ภาษาไทย" is one word
    ("สวัด", set()),
    ("cre\u0300me bru\u0302l", {"marks"}),
    ("me", set()),
    # Symbols, emoji and punctuation of any script separate words; other numbers (², ½) are digits.
    ("palette brush", {"symbols"}),
    ("bold", {"symbols"}),
    ("大阪 東京", {"symbols"}),
    ("京", set()),
    ("snake_case", {"symbols"}),
    ("x²", {"symbols"}),
    ("²", set()),
    ("½", {"symbols"}),
    ("—«»、🎨", set(PROMPTS)),
]


@pytest.fixture
def store(db_url: str) -> JobStore:
    migrate(db_url)
    return JobStore(make_engine(db_url))


def add(store: JobStore, prompt: str = "p", owner: User = ALICE, at: datetime = T0, **kw) -> Job:  # noqa: ANN003
    fields = dict(model="demo-flux", width=256, height=256, num_images=1, steps=4, guidance=3.5, seed=1)
    return store.add(Job(owner_oid=owner.oid, owner_tid=owner.tid, prompt=prompt, created_at=at, **{**fields, **kw}))


def found(store: JobStore, owner: User = ALICE, limit: int = 100, offset: int = 0, **where) -> list[str]:  # noqa: ANN003
    rows, total = store.list_owned(owner, limit, offset, JobFilter(**where))
    assert total >= len(rows)
    return [job.prompt for job in rows]


def test_words_are_letters_digits_and_marks_lower_cased() -> None:
    assert words("Sunny-BEACH, at example.com_1.5!") == ["sunny", "beach", "at", "example", "com", "1", "5"]
    assert words("Café ÉTÉ") == ["café", "été"]
    assert words("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert words("Cre\u0300me—«bru\u0302le\u0301e»、x²½🎨") == ["cre\u0300me", "bru\u0302le\u0301e", "x²½"]
    assert words("  ...  ") == []


def test_word_characters_are_unicodes_letters_digits_and_marks() -> None:
    """The ranges written out in jobs/search.py (and migration 0009) are Unicode 14.0's categories
    L, N and M: every assigned character is a word character exactly when it is one of those."""
    word_character = re.compile(f"[{WORD_CHARACTERS}]")
    categories = {i: unicodedata.category(chr(i)) for i in range(0x110000)}
    differ = [f"U+{i:04X} {category}" for i, category in categories.items()
              if category != "Cn" and (category[0] in "LNM") != bool(word_character.fullmatch(chr(i)))]
    assert differ == []


def test_a_long_word_is_stored_and_found_by_its_first_500_characters(store: JobStore) -> None:
    # 700 characters of 3 bytes: past what one PostgreSQL lexeme holds (2047 bytes).
    add(store, "猫" * 700 + " on a mat", at=T0)
    add(store, "猫" * 499 + "犬", at=T0 + timedelta(seconds=1))
    assert found(store, q="猫") == ["猫" * 499 + "犬", "猫" * 700 + " on a mat"]
    assert found(store, q="猫" * 500) == ["猫" * 700 + " on a mat"]
    assert found(store, q="猫" * 700 + " mat") == ["猫" * 700 + " on a mat"]  # the 500 that count match
    assert found(store, q="猫" * 500 + "犬") == ["猫" * 700 + " on a mat"]  # of a word typed, too


def test_postgresql_reads_the_word_characters_as_python_does(pg_url: str) -> None:
    """Every code point is a word character, or not, alike in Python's `re` and PostgreSQL's regular
    expressions; and the database's job_prompt_words() splits at exactly these."""
    migrate(pg_url)
    engine = make_engine(pg_url)
    separator = f"[^{WORD_CHARACTERS}]"
    with engine.connect() as conn:
        in_postgresql = conn.execute(text(
            "SELECT array_agg(i ORDER BY i) FROM generate_series(1, 1114111) AS i"
            " WHERE i NOT BETWEEN 55296 AND 57343 AND chr(i) ~ :separator"), {"separator": separator}).scalar()
        definition = conn.execute(text("SELECT pg_get_functiondef('job_prompt_words(text)'::regprocedure)")).scalar()
    engine.dispose()
    in_python = [i for i in range(1, 0x110000) if not 0xD800 <= i <= 0xDFFF and re.match(separator, chr(i))]
    assert in_postgresql == in_python
    assert f"'{separator}+'" in definition


@pytest.mark.parametrize(("typed", "expected"), SEARCHES, ids=[typed for typed, _ in SEARCHES])
def test_search_finds_prompts_whose_words_begin_with_every_word_typed(
    store: JobStore, typed: str, expected: set[str]
) -> None:
    by_prompt = {prompt: name for name, prompt in PROMPTS.items()}
    for i, prompt in enumerate(PROMPTS.values()):
        add(store, prompt, at=T0 + timedelta(seconds=i))
    add(store, "Sunny beach at dawn", owner=BOB)  # another's prompts are never searched
    rows, total = store.list_owned(ALICE, 100, 0, JobFilter(q=typed))
    assert {by_prompt[job.prompt] for job in rows} == expected
    assert total == len(expected)


def test_each_filter_narrows_and_they_combine(store: JobStore) -> None:
    add(store, "red bike", at=T0, style="acme")
    add(store, "red car", at=T0 + timedelta(hours=1), style="acme", model="demo-sd3")
    blue = add(store, "blue bike", at=T0 + timedelta(hours=2), style="nordic")
    add(store, "red bike", owner=BOB, at=T0 + timedelta(hours=1), style="acme")
    store.claim(blue.id, T0)
    assert found(store, style="acme") == ["red car", "red bike"]
    assert found(store, model="demo-sd3") == ["red car"]
    assert found(store, model="demo") == []  # names match exactly
    assert found(store, statuses=[JobStatus.running]) == ["blue bike"]
    assert found(store, statuses=[JobStatus.running, JobStatus.queued]) == ["blue bike", "red car", "red bike"]
    assert found(store, statuses=[JobStatus.complete]) == []
    assert found(store, q="bike", style="acme") == ["red bike"]
    assert found(store, q="red", style="acme", model="demo-sd3", statuses=[JobStatus.queued],
                 created_after=T0 + timedelta(minutes=30), created_before=T0 + timedelta(hours=2)) == ["red car"]


def test_created_after_is_inclusive_and_before_exclusive_in_any_time_zone(store: JobStore) -> None:
    for hour in range(4):
        add(store, f"at {hour}", at=T0 + timedelta(hours=hour))
    assert found(store, created_after=T0 + timedelta(hours=1), created_before=T0 + timedelta(hours=3)) == [
        "at 2", "at 1"]
    # The same instants as a web app two hours east of UTC sends them (its local day boundaries).
    east = timezone(timedelta(hours=2))
    assert found(store, created_after=(T0 + timedelta(hours=1)).astimezone(east),
                 created_before=(T0 + timedelta(hours=3)).astimezone(east)) == ["at 2", "at 1"]
    assert found(store, created_after=T0 + timedelta(hours=3)) == ["at 3"]
    assert found(store, created_before=T0) == []


def test_the_total_counts_the_filtered_jobs_and_pages_stay_newest_first(store: JobStore) -> None:
    for i in range(5):
        add(store, f"sun {i}", at=T0 + timedelta(minutes=i))
        add(store, f"moon {i}", at=T0 + timedelta(minutes=i, seconds=30))
    rows, total = store.list_owned(ALICE, 2, 2, JobFilter(q="sun"))
    assert total == 5
    assert [job.prompt for job in rows] == ["sun 2", "sun 1"]


def test_postgresql_answers_a_search_from_the_prompt_index(pg_url: str) -> None:
    migrate(pg_url)
    engine = make_engine(pg_url)
    statement = select(func.count()).select_from(Job).where(*filter_clauses(JobFilter(q="sun bea"), "postgresql"))
    compiled = statement.compile(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        # The search term stays a bound parameter, as in the store's own query.
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
    assert "ix_job_prompt_words" in plan, plan
    engine.dispose()
