"""``serve``: the reference server on loopback, with a test key and jobs to rate."""

from __future__ import annotations

import itertools
import threading
import time
from typing import TYPE_CHECKING, Final

from .._defaults import ENV_API_KEY, ENV_BASE_URL
from ._exitcodes import ExitCode
from ._output import Console

if TYPE_CHECKING:
    from ..testing import FakeFirecrawl, JobKind

#: People try commands by hand here, so jobs stay open far longer than Firecrawl's 120 s.
SERVE_FEEDBACK_WINDOW: Final = 24 * 3600.0
_CREDITS: Final[dict[str, int]] = {"scrape": 1, "parse": 12, "map": 1, "search": 2}


def create_jobs(fake: FakeFirecrawl, count: int) -> list[tuple[JobKind, str]]:
    """``count`` finished jobs, cycling through the four kinds."""
    kinds: itertools.cycle[JobKind] = itertools.cycle(("scrape", "parse", "map", "search"))
    return [
        (kind, fake.add_job(kind, credits=_CREDITS[kind]))
        for kind in itertools.islice(kinds, count)
    ]


def describe(url: str, api_key: str, jobs: list[tuple[JobKind, str]]) -> str:
    """What ``serve`` prints: where it runs, the throwaway key, the jobs, commands to try."""
    by_kind = {kind: job for kind, job in reversed(jobs)}
    lines = [
        f"Fake Firecrawl feedback server on {url}",
        "(the reference server for trying firecrawl-feedback; its key is a throwaway test key,",
        f" and feedback windows last {SERVE_FEEDBACK_WINDOW / 3600:.0f} h here,"
        " 120 s on Firecrawl)",
        "",
        f"  export {ENV_BASE_URL}={url}",
        f"  export {ENV_API_KEY}={api_key}",
        "",
        "jobs:",
        *(f"  {kind:<7} {job}" for kind, job in jobs),
        "",
        "try:",
    ]
    examples = {
        "scrape": "--rating bad --issue missing_content --note 'the table was cut off'",
        "parse": "--rating partial --page 3 --issue bad_ocr",
        "map": "--rating partial --url https://example.com/pricing",
        "search": "--rating good --source 'https://example.com/=exact answer'",
    }
    lines += [
        f"  firecrawl-feedback {kind} {by_kind[kind]} {example}"
        for kind, example in examples.items()
        if kind in by_kind
    ]
    lines.append("Ctrl-C stops the server.")
    return "\n".join(lines)


def run_serve(*, port: int, jobs: int, console: Console) -> ExitCode:
    """Serve until interrupted."""
    from ..testing import FakeFirecrawl  # noqa: PLC0415 (only serve and demo need the fake)

    fake = FakeFirecrawl(clock=time.time, feedback_window=SERVE_FEEDBACK_WINDOW)
    created = create_jobs(fake, jobs)
    try:
        with fake.serve(port=port) as url:
            console.print(describe(url, fake.api_key, created))
            threading.Event().wait()  # until Ctrl-C
    except KeyboardInterrupt:
        console.error("server stopped")
    except OSError as exc:
        console.error(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}")
        return ExitCode.USAGE
    return ExitCode.OK
