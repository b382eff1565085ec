"""One submission from command-line options: build the wire body, send it, show the answer."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .._errors import FeedbackError
from ._exitcodes import ExitCode, exit_code_for
from ._fields import body_from
from ._output import Console, describe_error, format_error, format_result

if TYPE_CHECKING:
    from .._client import FeedbackClient
    from .._result import FeedbackResult


def send(client: FeedbackClient, args: argparse.Namespace) -> FeedbackResult:
    """The search command uses the search route; the others ``POST /v2/feedback``."""
    body = body_from(args)
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
