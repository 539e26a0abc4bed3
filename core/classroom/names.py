"""What people type or send, checked: display names, free texts, challenge keys, configurations.

Display names and free texts (titles, goals) are trimmed, NFKC-normalised, bounded and printable.

Whatever a student or a teacher types is checked here before it reaches the store. The pages show
these texts as text, never as HTML, so the check is about shape, not markup: a name such as
`<img src=x onerror=alert(1)>` is a valid name and is stored as typed. What is refused is what no
page could show faithfully: control characters (a newline in a name, a bidi override that reverses
the board's columns), empty texts and texts past their limit.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

NAME_MAX = 32
TITLE_MAX = 80
TEXT_MAX = 500
KEY_MAX = 64
JSON_MAX_CHARS = 20_000  # a Playground configuration as JSON is about 1 kB

# Unicode categories refused in every text: controls (Cc, except the newline of a long text),
# format characters (Cf: bidi overrides, zero-width joiners that make two names look alike),
# unassigned code points, private use and surrogates.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs"})


@dataclass(frozen=True)
class TextRule:
    """What one kind of text may be: its name in messages, its length limit, newlines or not."""

    label: str
    max_length: int
    multiline: bool = False


DISPLAY_NAME = TextRule("display name", NAME_MAX)
TITLE = TextRule("title", TITLE_MAX)
TEXT = TextRule("text", TEXT_MAX, multiline=True)


class InvalidTextError(ValueError):
    """A text that cannot be stored; `message` says why in words a student understands."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_text(value: object, rule: TextRule = TEXT) -> str:
    """`value` trimmed and NFKC-normalised, or InvalidTextError saying what is wrong with it.

    NFKC first, so that a full-width "Ａｎｎａ" and "Anna" are one name and a ligature counts as
    the letters it stands for; the length is counted after it, in characters, not bytes.
    """
    if not isinstance(value, str):
        raise InvalidTextError(f"The {rule.label} must be text.")
    # Windows and old Mac line ends become "\n" before the control-character check sees them
    text = unicodedata.normalize("NFKC", value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidTextError(f"The {rule.label} is empty: type at least one character.")
    if len(text) > rule.max_length:
        raise InvalidTextError(
            f"The {rule.label} is {len(text)} characters long; at most {rule.max_length} are allowed."
        )
    for char in text:
        if rule.multiline and char == "\n":
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise InvalidTextError(
                f"The {rule.label} contains an invisible or control character "
                f"(U+{ord(char):04X}); use letters, digits, spaces and punctuation."
            )
    return text


def clean_display_name(value: object) -> str:
    """A student's display name (1-32 characters, one line), cleaned; see `clean_text`."""
    return clean_text(value, DISPLAY_NAME)


def clean_title(value: object) -> str:
    """A class or challenge title (1-80 characters, one line), cleaned; see `clean_text`."""
    return clean_text(value, TITLE)


def name_key(display_name: str) -> str:
    """The form two display names are compared in: "Anna" and "ANNA" are one name in a class.

    Case-folded in Python rather than with SQL's lower(), which SQLite applies to ASCII only.
    """
    return display_name.casefold()


def challenge_keys(keys: Sequence[str], max_count: int) -> tuple[str, ...]:
    """A class's list of challenge keys, trimmed: each one once, at most `max_count`."""
    if isinstance(keys, str) or not all(isinstance(key, str) for key in keys):
        raise InvalidTextError("The challenges must be a list of challenge keys.")
    cleaned = tuple(key.strip() for key in keys)
    if len(cleaned) > max_count:
        raise InvalidTextError(f"A class can have at most {max_count} challenges.")
    if any(not key or len(key) > KEY_MAX for key in cleaned) or len(set(cleaned)) != len(cleaned):
        raise InvalidTextError("Each challenge must be picked once, by its key.")
    return cleaned


def json_text(value: object, what: str) -> str:
    """`value` (a configuration, a challenge's spec) as JSON text of at most JSON_MAX_CHARS."""
    try:
        text = json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise InvalidTextError(f"The {what} cannot be saved: {err}.") from err
    if len(text) > JSON_MAX_CHARS:
        raise InvalidTextError(
            f"The {what} is too large to save ({len(text):,} characters, at most {JSON_MAX_CHARS:,})."
        )
    return text


def whole_count(value: object, what: str) -> int:
    """A count (parameters, epochs): an int of at least 0 (True is not 1 here)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidTextError(f"The {what} must be a whole number of at least 0, not {value!r}.")
    return value


def finite_score(value: object) -> float:
    """A score: a finite real number, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidTextError(f"The score must be a finite number, not {value!r}.")
    return float(value)
