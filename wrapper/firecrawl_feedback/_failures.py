"""One classification of failed calls, used by the clients' retries and the batch ledger.

Three questions, each answered in one place:

- ``is_transient``: is it worth sending again later (the clients retry these)?
- ``reached_server``: may this failed attempt have reached the server and been stored?
- ``rules_out_storage``: does this answer prove that nothing was stored?

The server deduplicates per (team, endpoint, job), but it checks the feedback
window *before* duplicates (server rule "window before duplicate"): a 409
``FEEDBACK_WINDOW_EXPIRED`` after an attempt that may have landed says nothing
about whether the feedback is stored. ``APIError.maybe_stored`` carries that.
"""

from __future__ import annotations

import httpx

from . import _defaults
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    FeedbackError,
)

#: Answers that prove the body was never stored: the server rejects these
#: before it stores anything, and the same body gets the same answer again.
_PROVES_NOT_STORED = frozenset({400, 404, 413})


def is_transient(error: FeedbackError) -> bool:
    """Worth sending again later: no answer at all, or a status that says "later"."""
    if isinstance(error, APIConnectionError):
        return True
    return isinstance(error, APIStatusError) and error.status_code in _defaults.RETRY_STATUSES


def reached_server(error: FeedbackError) -> bool:
    """True when the failed attempt may have reached the server and stored the feedback."""
    if isinstance(error, APIResponseValidationError):
        return True  # a 2xx answer: the server took the request, whatever it wrote back
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 or error.status_code == 408
    if isinstance(error, APIConnectionError):
        # Nothing was sent when the connection could not even be opened, nor when a proxy
        # refused the tunnel (httpx sends the request only through an open one).
        return not isinstance(
            error.__cause__, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)
        )
    return False


def rules_out_storage(error: FeedbackError) -> bool:
    """True when this answer proves the feedback is not stored, whatever came before."""
    if not isinstance(error, APIStatusError):
        return False
    if error.status_code == 409:
        return error.code == "SEARCH_FAILED"  # checked before the window and the store
    return error.status_code in _PROVES_NOT_STORED
