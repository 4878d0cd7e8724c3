"""Development sign-in names as people write them: any script, spaces inside, the punctuation of names."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from auth import dev
from auth.models import NotAuthenticated
from settings import Settings
from tests.fake_runner import FakeRunner
from tests.polling import wait_for


def user(name_as_sent: str):  # noqa: ANN201
    return dev.user_from_authorization(f"Bearer dev:{name_as_sent}")


@pytest.mark.parametrize("name", ["alice", "bob.smith", "a_b-c@corp", "X" * 60, "0", "...", "@"])
def test_names_allowed_before_keep_their_owner_id(name: str) -> None:
    # The owner id is the user's identity: jobs and tokens made under it must stay theirs.
    assert user(name).oid == f"dev-{name}"
    assert user(quote(name, safe="")).oid == f"dev-{name}"


@pytest.mark.parametrize("name", ["Alice Smith", "Mary-Jane O'Neil", "J. R. R. Tolkien", "Zoë", "Chloé Dubois",
                                  "李小龍", "Дмитрий Иванов", "محمد", "नमस्ते", "Łukasz Żółw", "user 42"])
def test_names_people_write_sign_in_as_themselves(name: str) -> None:
    signed_in = user(quote(name, safe=""))
    assert (signed_in.name, signed_in.oid, signed_in.tid) == (name, f"dev-{name}", dev.DEV_TENANT)


def test_ascii_names_with_spaces_may_come_unencoded() -> None:
    assert user("Alice Smith").oid == user("Alice%20Smith").oid == "dev-Alice Smith"


def test_composed_and_decomposed_letters_are_one_user() -> None:
    composed, decomposed = "Zo\u00eb", "Zoe\u0308"
    assert user(quote(decomposed)).oid == user(quote(composed)).oid == f"dev-{composed}"


def test_the_owner_id_fits_the_64_character_columns_in_any_script() -> None:
    assert len(user(quote("李" * 60)).oid) == 64
    with pytest.raises(NotAuthenticated):
        user(quote("李" * 61))


@pytest.mark.parametrize("sent", [
    " alice", "alice ", "Alice  Smith",  # spaces are refused where they would be trimmed or collapsed
    "alice%0A", "a%00", "a\tb", "a%C2%A0b",  # control characters and other spaces
    "a/b", "a%2Fb", "a:b", "a+b", "a%b", "a%zz", "%E2%80%8Balice",  # separators, stray '%', zero-width
    "\u0308a",  # a combining mark with no letter under it
    "Zo\u00eb",  # raw non-ASCII: Latin-1 from a browser or UTF-8 from curl? Refused, not guessed
    "%C3",  # percent-encoded bytes that are not UTF-8
    "%2541",  # double-encoded: '%' after one decoding
])
def test_names_that_are_not_names_are_refused(sent: str) -> None:
    with pytest.raises(NotAuthenticated) as refused:
        user(sent)
    assert "percent-encoded" in str(refused.value)


def test_the_e_mail_shown_has_no_spaces() -> None:
    assert user("Alice Smith").email == "Alice.Smith@dev.invalid"


@pytest.fixture
def client(settings: Settings, db_url: str) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"database_url": db_url}), FakeRunner(), listening=["127.0.0.1"])
    with TestClient(app) as c:
        wait_for(lambda: c.get("/health").json()["runner_ready"])
        yield c


def test_a_non_ascii_name_signs_in_and_owns_its_jobs_through_http(client: TestClient) -> None:
    name = "Zoë Łukasiewicz-李" + "x" * 43  # 60 characters, the longest a name may be
    headers = {"Authorization": f"Bearer dev:{quote(name, safe='')}"}
    me = client.get("/me", headers=headers)
    assert me.status_code == 200
    assert (me.json()["name"], me.json()["oid"]) == (name, f"dev-{name}")
    job = client.post("/generate", json={"prompt": "a red bicycle"}, headers=headers)
    assert job.status_code == 202, job.text
    assert client.get(f"/jobs/{job.json()['job_id']}", headers=headers).status_code == 200
    assert client.get(f"/jobs/{job.json()['job_id']}", headers={"Authorization": "Bearer dev:bob"}).status_code == 404


def test_a_refused_name_is_401_with_the_rules(client: TestClient) -> None:
    response = client.get("/me", headers={"Authorization": "Bearer dev:Alice  Smith"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
