"""One submission from command-line options: build the wire body, send it, show the answer."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .._errors import FeedbackError
from ._exitcodes import ExitCode, exit_code_for
from ._output import Console, describe_error, format_error, format_result

if TYPE_CHECKING:
    from .._client import FeedbackClient
    from .._result import FeedbackResult

ENDPOINTS = ("scrape", "parse", "map", "search")


def parse_source(text: str) -> dict[str, str]:
    """``URL[=REASON]``: an ``=`` inside a query's ``key=value`` pair belongs to the URL.

    So ``https://a.example/?q=1=has the table`` is the URL ``...?q=1`` with a
    reason, while ``https://a.example/?q=1`` is only a URL.
    """
    split_at = _reason_separator(text)
    if split_at is None:
        return {"url": text}
    return {"url": text[:split_at], "reason": text[split_at + 1 :]}


def _reason_separator(text: str) -> int | None:
    query_start = text.find("?")
    if query_start == -1:
        index = text.find("=")
        return index if index != -1 else None
    index = text.find("=", 0, query_start)
    if index != -1:
        return index
    # In the query, each &-separated pair owns its first "=", a second one starts the reason.
    position = query_start + 1
    while position <= len(text):
        end = text.find("&", position)
        end = len(text) if end == -1 else end
        first = text.find("=", position, end)
        if first != -1:
            second = text.find("=", first + 1, end)
            if second != -1:
                return second
        position = end + 1
    return None


def parse_missing(text: str) -> dict[str, str]:
    """``TOPIC[=DESCRIPTION]``, split at the first ``=``."""
    topic, sep, description = text.partition("=")
    return {"topic": topic, "description": description} if sep else {"topic": topic}


def parse_metadata(text: str) -> dict[str, Any]:
    """``--metadata`` must be a JSON object."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object, like '{\"run\": 7}'")
    return value


def build_body(args: argparse.Namespace) -> dict[str, Any]:
    """The wire-form body (camelCase), with only the options that were given."""
    body: dict[str, Any] = {"rating": args.rating}
    if args.endpoint != "search":
        body = {"endpoint": args.endpoint, "jobId": args.job_id, **body}
        _put(body, "issues", args.issues)
        _put(body, "tags", args.tags)
        _put(body, "note", args.note)
        _put(body, "url", args.url)
        _put(body, "pageNumbers", args.pages)
        _put(body, "metadata", args.metadata)
    _put(body, "valuableSources", args.sources)
    _put(body, "missingContent", args.missing)
    _put(body, "querySuggestions", args.query_suggestions)
    _put(body, "integration", args.integration)
    _put(body, "origin", args.origin)
    return body


def _put(body: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        body[key] = value


def send(client: FeedbackClient, args: argparse.Namespace) -> FeedbackResult:
    """The search command uses the search route; the others ``POST /v2/feedback``."""
    body = build_body(args)
    if args.endpoint == "search":
        return client.search_body(args.job_id, body)
    return client.submit_body(body)


def run_submit(client: FeedbackClient, args: argparse.Namespace, console: Console) -> ExitCode:
    """Send one submission and report it; the exit code says how it went."""
    try:
        result = send(client, args)
    except FeedbackError as error:
        console.error(format_error(error))
        if args.json:
            console.json({"error": describe_error(error)})
        return exit_code_for(error)
    if args.json:
        console.json(result.to_dict())
    else:
        console.print(format_result(result))
    return ExitCode.OK
