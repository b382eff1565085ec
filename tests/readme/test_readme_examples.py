"""README.md's Python examples run verbatim against the reference server.

Every ```python block is executed as written, in order, in one namespace, the
way a reader would paste them one after another. The harness brings only what
a reader brings, and each block says so in a comment: ``FIRECRAWL_API_URL`` and
``FIRECRAWL_API_KEY`` pointing at a served ``FakeFirecrawl``, the job ids a
block names (one job per kind, created on that server), an open client for the
error-handling fragment, and a vendored copy for the vendoring example.

A block may be left out only with ``<!-- not-run: reason -->`` on the line
before it (none is today). Warnings are errors, and no socket may be left
open: after the run, ``gc.collect()`` must raise no ResourceWarning (an
unclosed socket warns when it is collected, inside ``__del__``, so it is
caught through ``sys.unraisablehook``).
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from firecrawl_feedback import FeedbackClient
from firecrawl_feedback.testing import FakeFirecrawl

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NOT_RUN = re.compile(r"<!--\s*not-run:(.*?)-->")
VENDORED_PACKAGE = "acme_sdk._vendor.firecrawl_feedback"


@dataclass(frozen=True)
class Block:
    """One ```python block: where it is, the heading it sits under, its code."""

    line: int
    heading: str
    code: str
    not_run: str | None


def readme_blocks(text: str) -> list[Block]:
    """Every ```python block of ``text``, in order, with its ``not-run`` reason if marked."""
    blocks: list[Block] = []
    lines = text.splitlines()
    heading = ""
    previous = ""  # the last non-blank line before the current one
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
            if line[3:].strip() == "python":
                marker = NOT_RUN.fullmatch(previous.strip())
                code = "\n".join(lines[index + 1 : end]) + "\n"
                reason = marker.group(1).strip() if marker else None
                blocks.append(Block(index + 1, heading, code, reason))
            previous = lines[end]
            index = end + 1
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.strip():
            previous = line
        index += 1
    return blocks


# -- What each section's examples expect the reader to have ---------------------------------

Prepare = Callable[[dict[str, Any], "Harness"], None]


@dataclass
class Harness:
    fake: FakeFirecrawl
    stack: ExitStack
    tmp_path: Path


def _jobs_of_every_kind(namespace: dict[str, Any], harness: Harness) -> None:
    # "scrape_job_id, parse_job_id, map_job_id, search_job_id: the ids of jobs you ran"
    for kind in ("scrape", "parse", "map", "search"):
        namespace[f"{kind}_job_id"] = harness.fake.add_job(kind, credits=4)


def _open_client_and_a_scrape_job(namespace: dict[str, Any], harness: Harness) -> None:
    # "client: an open FeedbackClient, as above; job_id: the id of a scrape job"
    namespace["client"] = harness.stack.enter_context(FeedbackClient())
    namespace["job_id"] = harness.fake.add_job("scrape")


def _vendored_copy(namespace: dict[str, Any], harness: Harness) -> None:
    # The command the README shows just before the example, into a temporary folder.
    target = harness.tmp_path / "src"
    target.mkdir()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor.py"), "--into", str(target),
         "--package", VENDORED_PACKAGE],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    sys.path.insert(0, str(target))
    harness.stack.callback(_forget_vendored_copy, str(target))


def _forget_vendored_copy(path: str) -> None:
    sys.path.remove(path)
    top = VENDORED_PACKAGE.split(".", maxsplit=1)[0]
    for name in [name for name in sys.modules if name == top or name.startswith(top + ".")]:
        del sys.modules[name]


PREPARE: dict[str, Prepare] = {
    "Using the client": _jobs_of_every_kind,
    "Errors people meet": _open_client_and_a_scrape_job,
    "Vendoring the client into your SDK": _vendored_copy,
}


# -- Running code with warnings as errors and no socket left behind -------------------------


@contextmanager
def no_warnings_and_no_open_sockets() -> Iterator[list[str]]:
    """Warnings raise; what warns while being collected (unclosed sockets) is listed."""
    leftovers: list[str] = []

    def hook(unraisable: Any) -> None:
        leftovers.append(f"{type(unraisable.exc_value).__name__}: {unraisable.exc_value}")

    previous_hook = sys.unraisablehook
    sys.unraisablehook = hook
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield leftovers
            gc.collect()
    finally:
        sys.unraisablehook = previous_hook


def run_blocks(blocks: list[Block], harness: Harness) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for block in blocks:
        if block.not_run is not None:
            continue
        prepare = PREPARE.get(block.heading)
        if prepare is not None:
            prepare(namespace, harness)
        code = compile(block.code, f"README.md (block at line {block.line})", "exec")
        exec(code, namespace)  # noqa: S102 (the README's own examples)
    return namespace


# -- Tests ------------------------------------------------------------------------------


def test_readme_python_examples_run_against_the_reference_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every example runs verbatim, in order; each job kind gets its feedback; nothing leaks."""
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    fake = FakeFirecrawl()
    monkeypatch.delenv("FIRECRAWL_LOG", raising=False)
    with no_warnings_and_no_open_sockets() as leftovers, ExitStack() as stack:
        url = stack.enter_context(fake.serve())
        monkeypatch.setenv("FIRECRAWL_API_URL", url)
        monkeypatch.setenv("FIRECRAWL_API_KEY", fake.api_key)
        run_blocks(blocks, Harness(fake, stack, tmp_path))
    assert leftovers == []
    # The first example reached the server: one stored feedback per job kind.
    assert sorted(record.endpoint for record in fake.feedback) == [
        "map", "parse", "scrape", "search"
    ]  # fmt: skip
    printed = capsys.readouterr().out
    # What the examples' comments promise them to print.
    assert "True" in printed.splitlines()  # the repeated submit is a duplicate
    assert "issues[0] -> must match ^[a-z0-9][a-z0-9_-]*$" in printed
    assert "note -> must be at most 4000 characters" in printed
    assert "JOB_NOT_FOUND" in printed.splitlines()


def test_every_prepared_section_still_has_its_example() -> None:
    """The harness's section names match README headings (a renamed heading fails here)."""
    headings = {block.heading for block in readme_blocks(README.read_text(encoding="utf-8"))}
    assert set(PREPARE) <= headings


def test_every_skipped_example_says_why() -> None:
    """A block is left out only behind a not-run marker with a reason."""
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    assert all(block.not_run != "" for block in blocks)


def test_marker_and_extraction_rules() -> None:
    """Only ```python blocks are taken; a marker applies to the block right after it."""
    text = (
        "# A\n```python\nx = 1\n```\n```sh\nls\n```\n## B\n"
        "<!-- not-run: needs a live key -->\n\n```python\ny = 2\n```\n"
    )
    assert readme_blocks(text) == [
        Block(2, "A", "x = 1\n", None),
        Block(11, "B", "y = 2\n", "needs a live key"),
    ]


def test_the_socket_check_catches_an_unclosed_client() -> None:
    """A served client that is never closed is reported once collected."""
    fake = FakeFirecrawl()
    job = fake.add_job("scrape")
    with no_warnings_and_no_open_sockets() as leftovers, fake.serve() as url:
        FeedbackClient(fake.api_key, base_url=url).scrape(job, rating="bad", note="n")
    assert any("ResourceWarning" in leftover for leftover in leftovers), leftovers
