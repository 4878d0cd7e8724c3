"""The text policy: what reaches a database is the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from common.text import MultiLine, SingleLine, check_text


class Form(BaseModel):
    name: Annotated[str, SingleLine(10)]
    body: Annotated[str, MultiLine(20)]
    note: Annotated[str, SingleLine(4)] | None = None


@pytest.mark.parametrize("multiline", [True, False])
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a\x00b", "control character"),
        ("a\x1bb", "control character"),
        ("a\x7fb", "control character"),
        ("a\x85b", "control character"),  # C1: NEL
        ("a\ud800b", "unpaired surrogate"),
        ("a\udfffb", "unpaired surrogate"),
        ("a\ufdd0b", "noncharacter"),
        ("a\uffffb", "noncharacter"),
        ("a\U0010fffeb", "noncharacter"),
    ],
)
def test_refused_everywhere(text: str, kind: str, multiline: bool) -> None:
    with pytest.raises(ValueError, match=kind) as info:
        check_text(text, multiline=multiline)
    assert "position 1" in str(info.value)
    assert text[1] not in str(info.value)  # the message names the code point, never the raw character


@pytest.mark.parametrize("text", ["a\tb", "a\nb", "a\r\nb", "a\u2028b", "a\u2029b"])
def test_line_breaks_are_multi_line_only(text: str) -> None:
    assert check_text(text, multiline=True) == text
    with pytest.raises(ValueError, match="single line"):
        check_text(text, multiline=False)


@pytest.mark.parametrize(
    "text",
    [
        "caf\u00e9",
        "\U0001f469\u200d\U0001f4bb",  # an emoji sequence needs the zero-width joiner (Cf)
        "\u05e9\u05dc\u05d5\u05dd",
        "\ue000",  # private use
        "\U000e0001",  # a format character outside the BMP
    ],
)
def test_ordinary_text_passes_unchanged(text: str) -> None:
    assert check_text(text, multiline=False) == text


def test_normalised_to_nfc() -> None:
    assert check_text("cafe\u0301", multiline=False) == "caf\u00e9"
    assert check_text("\u212b", multiline=True) == "\u00c5"  # ANGSTROM SIGN -> A WITH RING


def test_pydantic_types_apply_the_policy_to_json_input() -> None:
    # JSON may carry a lone surrogate as an escape; FastAPI decodes bodies with the json module,
    # which turns it into a real one.
    with pytest.raises(ValidationError) as info:
        Form.model_validate(json.loads('{"name": "x\\ud800", "body": "ok"}'))
    assert info.value.errors()[0]["loc"] == ("name",)
    with pytest.raises(ValidationError) as info:
        Form.model_validate({"name": "ok", "body": "a\x00"})
    assert info.value.errors()[0]["loc"] == ("body",)
    form = Form.model_validate({"name": "cafe\u0301", "body": "line one\nline two"})
    assert (form.name, form.body) == ("caf\u00e9", "line one\nline two")


@pytest.mark.parametrize(("field", "limit"), [("name", 10), ("body", 20), ("note", 4)])
def test_the_limit_counts_characters_after_normalising(field: str, limit: int) -> None:
    # U+0958 is one character as sent and two in NFC: the stored form is what must fit the column.
    at_limit = {"name": "ok", "body": "ok", field: "\u0958" * (limit // 2)}
    assert len(getattr(Form.model_validate(at_limit), field)) == limit
    with pytest.raises(ValidationError) as info:
        Form.model_validate({**at_limit, field: "\u0958" * (limit // 2 + 1)})
    (error,) = info.value.errors()
    assert (error["loc"], error["type"], error["ctx"]) == ((field,), "string_too_long", {"max_length": limit})
    with pytest.raises(ValidationError, match="at most"):  # counted as sent too, before normalising
        Form.model_validate({**at_limit, field: "x" * (limit + 1)})


def test_the_limit_is_in_the_schema() -> None:
    properties = Form.model_json_schema()["properties"]
    assert (properties["name"]["maxLength"], properties["body"]["maxLength"]) == (10, 20)
    assert properties["note"]["anyOf"][0]["maxLength"] == 4
