"""Identifiers the fake hands out: job ids, feedback ids (UUIDv7) and test keys."""

from __future__ import annotations

import secrets
import uuid
from typing import Final

#: What the server answers instead of an id when nothing was stored (zero data retention).
NIL_UUID: Final = "00000000-0000-0000-0000-000000000000"


def uuid7(epoch_seconds: float) -> str:
    """A version-7 UUID: 48-bit Unix milliseconds, then random bits (RFC 9562)."""
    millis = int(epoch_seconds * 1000) & ((1 << 48) - 1)
    value = (millis << 80) | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC variant (10xx)
    return str(uuid.UUID(int=value))


def job_id() -> str:
    """A job id as Firecrawl gives them: a random UUID."""
    return str(uuid.uuid4())


def test_api_key() -> str:
    """A fresh key that looks like Firecrawl's (``fc-`` prefix) and is clearly a test key."""
    return "fc-test-" + secrets.token_hex(16)
