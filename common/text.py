"""What text the product accepts, the same on every database.

PostgreSQL cannot store NUL in text and SQLite can, so without one policy the same request would
be accepted on one and fail on the other. Text that reaches a model, a log or a database is:

- normalised to NFC, so the same words typed on two systems are the same string (and compare,
  count against length limits and deduplicate alike);
- refused when it holds a control character (Unicode category Cc: NUL, the other C0 controls,
  DEL and the C1 controls), except tab, newline and carriage return in multi-line text (a prompt);
- refused, when single-line (a name, a model id), if it holds tab, newline, carriage return or
  the line and paragraph separators U+2028 and U+2029: these split log lines and headers;
- refused when it holds a lone surrogate (category Cs; JSON `"\\ud800"` decodes to one): it is
  not a character, cannot be encoded as UTF-8 and so cannot be stored or echoed back;
- refused when it holds a noncharacter (U+FDD0-U+FDEF and the last two code points of every
  plane): Unicode reserves them for a program's internal use, never for text a person wrote.

Lengths are counted in NFC, the form that is stored: NFC can lengthen text (U+0958 becomes two
code points), so a limit checked only as sent would let text past a VARCHAR column. The types below
therefore take the maximum and count it twice: as sent (so no huge string is normalised, and the
schema documents the limit) and once normalised.

Everything else is accepted, including emoji, format characters such as the zero-width joiner
that emoji sequences need, private-use characters and code points newer than this Python's
Unicode tables. The error names what was wrong and where, never the raw character, so the
message itself is safe to log and to show.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

_MULTILINE_ALLOWED = frozenset("\t\n\r")
_LINE_SEPARATORS = frozenset("\u2028\u2029")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _problem(char: str, *, multiline: bool) -> str | None:
    """Why `char` is refused, or None when it is accepted."""
    category = unicodedata.category(char)
    if category == "Cs":
        return "an unpaired surrogate"
    if category == "Cc":
        if multiline and char in _MULTILINE_ALLOWED:
            return None
        if not multiline and char in _MULTILINE_ALLOWED:
            return "a tab or line break (it must be a single line)"
        return "a control character"
    if not multiline and char in _LINE_SEPARATORS:
        return "a line separator (it must be a single line)"
    if _is_noncharacter(ord(char)):
        return "a noncharacter"
    return None


def check_text(value: str, *, multiline: bool) -> str:
    """`value` in NFC; ValueError naming the first character the policy above refuses."""
    # Checked before normalising, so the position is the caller's own; NFC never produces any of
    # the refused kinds from accepted text.
    for position, char in enumerate(value):
        if (problem := _problem(char, multiline=multiline)) is not None:
            raise ValueError(f"must not contain {problem} (U+{ord(char):04X} at position {position})")
    return unicodedata.normalize("NFC", value)


@dataclass(frozen=True)
class _Text:
    max_length: int
    multiline: ClassVar[bool]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        as_sent = handler(Annotated[source, Field(max_length=self.max_length)])
        return core_schema.no_info_after_validator_function(self._validate, as_sent)

    def _validate(self, value: str) -> str:
        value = check_text(value, multiline=self.multiline)
        if len(value) > self.max_length:
            raise PydanticCustomError(
                "string_too_long", "String should have at most {max_length} characters (counted in NFC)",
                {"max_length": self.max_length},
            )
        return value


class SingleLine(_Text):
    """`Annotated[str, SingleLine(64)]`: one line of at most 64 characters in NFC."""

    multiline = False


class MultiLine(_Text):
    """`Annotated[str, MultiLine(2000)]`: text with line breaks, at most 2000 characters in NFC."""

    multiline = True
