"""Job IDs that try to change the request path are rejected before anything is sent."""

from __future__ import annotations

import json
import uuid

import pytest
from firecrawl_feedback import FeedbackClient, ValidationError

from tests.faults.recording import JOB, recording_client

HOSTILE_IDS = [
    "../../v1/admin",
    "..",
    "%2e%2e",
    "%2e%2e%2fadmin",
    "..%2f..%2fcrawl",
    f"{JOB}/../../admin",
    f"{JOB}?x=1",
    f"{JOB}#frag",
    f"{JOB}%2f..",
    f"{JOB}\nX-Injected: 1",
    f"{JOB}\r\n\r\nPOST /v2/crawl HTTP/1.1",
    f"{JOB} admin",
    f"{JOB}/",
    f"{JOB};a=b",
    "0190d7a2-3c4b-7d5e-8f60-12345678\uff19abc",  # a full-width digit nine
    "0190d7a2\u20133c4b\u20137d5e\u20138f60\u2013123456789abc",  # en dashes
    "\u202e" + JOB,  # right-to-left override
    JOB + "\u0000",
    "",
    " ",
    f"  {JOB}\n",  # padded: neither the server's z.uuid() nor uuid's validate() trims
]


def _search(client: FeedbackClient, job: str) -> object:
    return client.search(job, rating="bad", query_suggestions="x")


def _search_body(client: FeedbackClient, job: str) -> object:
    return client.search_body(job, {"rating": "bad", "querySuggestions": "x"})


def _scrape(client: FeedbackClient, job: str) -> object:
    return client.scrape(job, rating="bad", note="x")


def _submit_body(client: FeedbackClient, job: str) -> object:
    return client.submit_body({"endpoint": "map", "jobId": job, "rating": "bad", "note": "x"})


CALLS = {
    "search": _search,
    "search_body": _search_body,
    "scrape": _scrape,
    "submit_body": _submit_body,
}


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("job", HOSTILE_IDS)
def test_hostile_job_ids_are_rejected_unsent(call: str, job: str) -> None:
    """Traversal, encoded dots, query, fragment, CR/LF, spaces and look-alikes: ValidationError."""
    with recording_client() as (client, recorder):
        with pytest.raises(ValidationError) as caught:
            CALLS[call](client, job)
        assert recorder.requests == []
    assert {v.field for v in caught.value.violations} & {"job_id", "jobId"}


@pytest.mark.parametrize(
    "job",
    [JOB, JOB.upper(), uuid.UUID(JOB)],
    ids=["lower", "upper", "uuid-object"],
)
def test_accepted_job_ids_make_exactly_one_canonical_path_segment(job: str | uuid.UUID) -> None:
    """A job ID that passes is sent as the lower-case UUID, one segment, on the search route."""
    with recording_client() as (client, recorder):
        client.search(job, rating="bad", query_suggestions="x")
        client.search_body(job, {"rating": "bad", "querySuggestions": "x"})
        client.scrape(job, rating="bad", note="x")
    search_path = f"/v2/search/{JOB}/feedback"
    assert recorder.paths == [search_path, search_path, "/v2/feedback"]
    assert all(request.url.query == b"" for request in recorder.requests)
    assert all(request.url.fragment == "" for request in recorder.requests)
    assert json.loads(recorder.requests[2].content)["jobId"] == JOB
