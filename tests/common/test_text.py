"""The text policy: what reaches a database is the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from common.text import MultiLineText, SingleLineText, check_text


class Form(BaseModel):
    name: SingleLineText
    body: MultiLineText


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
