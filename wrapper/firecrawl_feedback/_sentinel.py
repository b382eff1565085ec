"""A marker for "argument not given", distinct from ``None`` (httpx's pattern)."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias


class _NotGiven(enum.Enum):
    """The type of ``NOT_GIVEN`` (an enum, so that a type checker narrows it away)."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NotGiven: TypeAlias = Literal[_NotGiven.NOT_GIVEN]
NOT_GIVEN: Final = _NotGiven.NOT_GIVEN
