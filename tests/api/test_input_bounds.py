"""No input reaches a 500: text, numbers and ids are refused the same way on both databases."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.deps import get_admin
from auth.models import User
from jobs.models import MAX_OFFSET
from tests.api.conftest import ALICE

JSON = {**ALICE, "Content-Type": "application/json"}


@pytest.fixture
def db_client(make_client: Callable[..., TestClient], db_url: str) -> TestClient:
    return make_client(database_url=db_url)


def field_errors(response) -> list[str]:  # noqa: ANN001
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_request"
    return [f["field"] for f in response.json()["error"]["fields"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"prompt": "a red\\u0000 bicycle"}', "prompt"),  # PostgreSQL cannot store NUL
        ('{"prompt": "a red\\u001b[31m bicycle"}', "prompt"),  # a terminal escape for whoever reads the log
        ('{"prompt": "a red \\u0085bicycle"}', "prompt"),  # C1 control
        ('{"prompt": "a red \\ud800 bicycle"}', "prompt"),  # lone surrogate
        ('{"prompt": "a red \\ufdd0 bicycle"}', "prompt"),  # noncharacter
        ('{"prompt": "ok", "model": "demo\\u0000"}', "model"),
        ('{"prompt": "ok", "model": "demo\\nflux"}', "model"),
        ('{"prompt": "ok", "style": "house\\u2028style"}', "style"),
    ],
)
def test_refused_text_is_400_naming_the_field_on_both_databases(db_client: TestClient, body: str, field: str) -> None:
    response = db_client.post("/generate", content=body, headers=JSON)
    assert field_errors(response) == [field]
    assert "\x00" not in response.text and "\\u0000" not in response.text  # the character is not echoed


def test_multi_line_prompts_are_accepted_and_stored_in_nfc(db_client: TestClient) -> None:
    prompt = "Cafe\u0301 logo\n\tflat colours\r\nno text \U0001f469\u200d\U0001f4bb"
    response = db_client.post("/generate", json={"prompt": prompt, "num_images": 1}, headers=ALICE)
    assert response.status_code == 202, response.text
    job = db_client.get(f"/jobs/{response.json()['job_id']}", headers=ALICE).json()
    assert job["prompt"] == "Caf\u00e9 logo\n\tflat colours\r\nno text \U0001f469\u200d\U0001f4bb"


# U+0958 is one character that NFC turns into two (U+0915 U+093C): within the limit as sent, over it
# once normalised, which PostgreSQL's VARCHAR refused with a 500.
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/tokens", {"name": "\u0958" * 100}, "name"),
        ("/generate", {"prompt": "\u0958" * 2000}, "prompt"),
        ("/generate", {"prompt": "ok", "model": "\u0958" * 64}, "model"),
        ("/generate", {"prompt": "ok", "style": "\u0958" * 64}, "style"),
    ],
)
def test_text_over_the_limit_once_normalised_is_400_on_both_databases(
        db_client: TestClient, path: str, body: dict, field: str) -> None:
    response = db_client.post(path, json=body, headers=ALICE)
    assert field_errors(response) == [field]
    assert "at most" in response.json()["error"]["fields"][0]["message"]


def test_text_at_the_limit_once_normalised_is_stored_on_both_databases(db_client: TestClient) -> None:
    created = db_client.post("/tokens", json={"name": "\u0958" * 50}, headers=ALICE)
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "\u0915\u093c" * 50


@pytest.mark.parametrize("offset", [2**63, 2**64, MAX_OFFSET + 1, -1])
def test_offsets_past_the_bound_are_400_on_both_databases(db_client: TestClient, offset: int) -> None:
    assert field_errors(db_client.get(f"/jobs?offset={offset}", headers=ALICE)) == ["offset"]
    db_client.app.dependency_overrides[get_admin] = lambda: User(oid="root", tid="t", name="root", email="r@x",
                                                                 is_admin=True)
    assert field_errors(db_client.get(f"/admin/jobs?offset={offset}", headers=ALICE)) == ["offset"]


def test_the_largest_offset_is_an_empty_page_on_both_databases(db_client: TestClient) -> None:
    response = db_client.get(f"/jobs?offset={MAX_OFFSET}&limit=100", headers=ALICE)
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


@pytest.mark.parametrize("job_id", ["a%00b", "not-a-job", "%C3%A9", "x" * 2000, "00000000-0000-0000-0000-00000000000g"])
def test_malformed_ids_are_404_on_both_databases(db_client: TestClient, job_id: str) -> None:
    for method, path in [("GET", f"/jobs/{job_id}"), ("POST", f"/jobs/{job_id}/cancel"),
                         ("GET", f"/jobs/{job_id}/archive"), ("DELETE", f"/jobs/{job_id}")]:
        response = db_client.request(method, path, headers=ALICE)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]["code"] == "job_not_found"
    response = db_client.delete(f"/tokens/{job_id}", headers=ALICE)
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "token_not_found"


def test_a_job_id_in_another_spelling_still_finds_the_job(client: TestClient) -> None:
    job_id = client.post("/generate", json={"prompt": "x", "num_images": 1}, headers=ALICE).json()["job_id"]
    assert client.get(f"/jobs/{job_id.upper()}", headers=ALICE).json()["job_id"] == job_id


def _integer_schemas(node: object, path: str = "") -> list[tuple[str, dict]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "integer":
            found.append((path, node))
        for key, value in node.items():
            found += _integer_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _integer_schemas(value, f"{path}/{i}")
    return found


def test_every_integer_parameter_and_generate_field_has_a_documented_range(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = [(p, s) for p, s in _integer_schemas(document["paths"]) if "/parameters/" in p]
    schemas += _integer_schemas(document["components"]["schemas"]["GenerateRequest"], "GenerateRequest")
    assert len(schemas) >= 8
    assert [p for p, s in schemas if "maximum" not in s or "minimum" not in s] == []
    offset = next(p for p in document["paths"]["/jobs"]["get"]["parameters"] if p["name"] == "offset")
    assert offset["schema"]["maximum"] == MAX_OFFSET


@pytest.mark.parametrize(
    "body",
    [
        b'{"prompt": "x", "seed": 1e400}',
        b'{"prompt": "x", "seed": 1180591620717411303424}',
        b'{"prompt": "x", "seed": ' + b"9" * 5000 + b"}",
        b'{"prompt": "x", "steps": NaN}',
        b'{"prompt": "x", "steps": Infinity}',
        b'{"prompt": "x", "width": -Infinity}',
        b"[" * 20_000 + b"]" * 20_000,  # deeper than the json module recurses, under the size limit
        b'{"prompt": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
        b'["prompt", "x"]',
        b"null",
        b'"a string"',
        b"not json at all",  # field "body", not the character offset
        b'{"prompt": "\xff\xfe"}',
        b"",
    ],
)
def test_hostile_bodies_are_400_never_500(client: TestClient, body: bytes) -> None:
    response = client.post("/generate", content=body, headers=JSON)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("authorization", [b"Bearer dev:\xc3\xa9", b"Bearer dev:a\x00", b"Bearer \xff\xfe",
                                           b"Bearer bag_pat_\xc3\xa9\x00", b"\xff"])
def test_non_ascii_authorization_is_401_on_both_databases(db_client: TestClient, authorization: bytes) -> None:
    response = db_client.get("/jobs", headers={"Authorization": authorization})
    assert response.status_code == 401, response.text
    assert json.loads(response.text)["error"]["code"] == "not_authenticated"


def test_a_body_that_is_not_json_names_the_body_not_an_offset(client: TestClient) -> None:
    assert field_errors(client.post("/generate", content=b'{"prompt": "x",}', headers=JSON)) == ["body"]


def test_the_longest_dev_name_fits_the_owner_columns_on_both_databases(db_client: TestClient) -> None:
    # The owner id is stored in 64-character columns; PostgreSQL refuses a longer one (a 500).
    longest = {"Authorization": "Bearer dev:" + "n" * 60}
    response = db_client.post("/generate", json={"prompt": "x", "num_images": 1}, headers=longest)
    assert response.status_code == 202, response.text
    assert db_client.get("/jobs", headers=longest).json()["total"] == 1
    assert db_client.get("/jobs", headers={"Authorization": "Bearer dev:" + "n" * 61}).status_code == 401
