"""One parser for layer sizes typed by a person: "256, 128", "3-4-3", "8 8", "none".

Every page and the command line read layer lists through `parse_layer_sizes`, so they accept the
same spellings and refuse bad input with the same kind of message (a `DataError`, a ValueError).
"""

from __future__ import annotations

import re

from core.data.errors import DataError

EMPTY_SPELLINGS = ("", "none", "0", "()", "[]")  # no hidden layer at all (a linear model)
# "256,128", "8 8" and "3-4-3"; a dash only between digits, so "-1" stays a (refused) negative number
_SEPARATORS = re.compile(r"[\s,;]+|(?<=\d)-(?=\d)")


def parse_layer_sizes(
    text,
    *,
    min_layers: int = 0,
    max_layers: int | None = None,
    max_width: int | None = None,
    what: str = "layer",
    example: str = "256,128",
) -> tuple[int, ...]:
    """Read whole numbers joined by commas, spaces or dashes; refuse anything else.

    `what` names the numbers in the messages ("hidden layer"), `example` shows a valid input the
    way the caller's field spells it ("3-4-3" on the Learn page).

    >>> parse_layer_sizes("256, 128")
    (256, 128)
    >>> parse_layer_sizes("none")
    ()
    """
    cleaned = str(text if text is not None else "").strip().lower()
    parts = [] if cleaned in EMPTY_SPELLINGS else [p for p in _SEPARATORS.split(cleaned) if p]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise DataError(
            f"{what} sizes must be whole numbers joined by commas, spaces or dashes, e.g. {example}; "
            f"got {text!r}"
        ) from None
    if len(sizes) < min_layers:
        raise DataError(f"give at least {min_layers} {what} size(s); got {len(sizes)} in {text!r}")
    if max_layers is not None and len(sizes) > max_layers:
        raise DataError(f"at most {max_layers} {what}s; got {len(sizes)} in {text!r}")
    for size in sizes:
        if size < 1 or (max_width is not None and size > max_width):
            limit = f"1 to {max_width}" if max_width is not None else "at least 1"
            raise DataError(f"each {what} needs {limit} neurons; got {size} in {text!r}")
    return sizes
