"""The batch's per-job state on disk: exact keys, whatever their number."""

from __future__ import annotations

import random

import pytest
from firecrawl_feedback._cli._tempdb import TemporaryTable


def test_every_key_is_new_once_and_only_once() -> None:
    rng = random.Random(7)  # noqa: S311 (seeded test data: the same keys on every run)
    keys = [f"scrape:{rng.getrandbits(128):032x}" for _ in range(20_000)]
    seen = TemporaryTable()
    assert all(seen.add(key) for key in keys)
    assert not any(seen.add(key) for key in reversed(keys))


def test_keys_are_compared_exactly() -> None:
    """No folding of case, space or Unicode form: only the same string is a repeat."""
    seen = TemporaryTable()
    variants = ["map:a", "map:A", "map:a ", "sha:e\u0301", "sha:\u00e9", "", "sha:\ud800"]
    assert [seen.add(key) for key in variants] == [True] * len(variants)
    assert [seen.add(key) for key in variants] == [False] * len(variants)


def test_values_are_stored_replaced_and_read_by_exact_key() -> None:
    table = TemporaryTable()
    assert table.get("scrape:a") is None
    table.put("scrape:a", '["success"]')
    table.put("scrape:A", "other")
    table.put("scrape:a", '["failed"]')
    assert (table.get("scrape:a"), table.get("scrape:A")) == ('["failed"]', "other")
    assert not table.add("scrape:a")  # a stored value counts as present


def test_a_database_that_fails_is_an_os_error() -> None:
    """What the batch reports in one line (a full disk, no temporary directory)."""
    seen = TemporaryTable()
    seen._db.close()  # any sqlite3.Error from then on
    with pytest.raises(OSError, match="cannot keep the lines read in a temporary file"):
        seen.add("map:a")
