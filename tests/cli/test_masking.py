"""The API key is masked in every form it can take in output and the ledger, and nothing else."""

from __future__ import annotations

import io
import json
import urllib.parse
from pathlib import Path

import pytest
from firecrawl_feedback._cli import main
from firecrawl_feedback._cli._ledger import LedgerWriter, line_hash
from firecrawl_feedback._cli._output import Console, Redactor
from firecrawl_feedback.testing import FakeFirecrawl

KEYS = [
    "fc-0123456789abcdef\n",  # a trailing newline, as `$(cat keyfile)` sometimes keeps
    'fc-abc"def0123456789',
    "fc-abc\\def0123456789",
    "fc-clé-0123456789-été",
    "  fc-padded-0123456789  ",
]


def _forms(key: str) -> list[str]:
    forms = []
    for variant in (key, key.strip()):
        forms += [
            variant,
            json.dumps(variant)[1:-1],
            json.dumps(variant, ensure_ascii=False)[1:-1],
            repr(variant)[1:-1],
            urllib.parse.quote(variant, safe=""),
            urllib.parse.quote_plus(variant),
        ]
    return forms


@pytest.mark.parametrize("key", KEYS)
def test_every_form_of_the_key_is_masked(key: str) -> None:
    """As typed, as sent (stripped), JSON-, repr- and URL-escaped: all become ***."""
    redact = Redactor(key)
    for form in _forms(key):
        assert key.strip() not in redact(f"before {form} after"), form
        assert "***" in redact(f"before {form} after")


@pytest.mark.parametrize("key", KEYS)
def test_the_key_never_reaches_the_ledger_in_any_form(key: str, tmp_path: Path) -> None:
    """A record holding the key (raw or escaped) is written with *** only."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger, Redactor(key)) as writer:
        writer.append({"key": "sha:ab", "line": 1, "sha": line_hash(b"x"), "outcome": "failed",
                       "message": f"sent {key.strip()!r} and {key}"})  # fmt: skip
    text = ledger.read_text()
    for form in _forms(key):
        assert form not in text, form


def test_ordinary_long_values_are_not_masked() -> None:
    """UUIDs and long URL slugs are shown as they are: only the key is masked."""
    redact = Redactor("fc-real-key-0123456789")
    uuid = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
    slug = "how-to-configure-the-scraper-for-javascript-heavy-pages"
    assert redact(f"{uuid} {slug}") == f"{uuid} {slug}"


def test_a_uuid_in_a_validation_message_is_shown(
    fake: FakeFirecrawl, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A value quoted in an error (here a UUID given as --url) is not hidden as a secret."""
    job = fake.add_job("scrape")
    uuid = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
    assert main(["scrape", job, "--rating", "bad", "--url", uuid]) == 3
    err = capsys.readouterr().err
    assert uuid in err
    assert "looks like a secret" not in err


def test_a_key_with_a_trailing_newline_is_masked_as_sent_on_both_streams() -> None:
    """The client sends the key stripped; text quoting it so is masked on stdout and stderr."""
    key = "fc-0123456789abcdef\n"
    out, err = io.StringIO(), io.StringIO()
    console = Console(Redactor(key), out=out, err=err)
    console.error(f"error: rejected {key.strip()}")
    console.json({"error": {"message": f"rejected {key.strip()!r} {key!r}"}})
    assert key.strip() not in out.getvalue() + err.getvalue()
    assert "***" in err.getvalue()


def test_a_key_from_bytes_that_are_not_utf8_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Such bytes (the environment, argv) are lone surrogates in Python, which the URL
    forms of the mask could not encode: a UnicodeEncodeError traceback, not the refusal."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", "fc-\udcff-0123456789")
    job = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
    assert main(["--json", "scrape", job, "--rating", "bad", "--note", "x"]) == 2
    out, err = capsys.readouterr()
    assert "api_key holds a non-ASCII character" in err
    assert '"class": "ConfigurationError"' in out
    assert Redactor("fc-\udcff-0123456789")("quoted fc-%ED%B3%BF-0123456789") == "quoted ***"
