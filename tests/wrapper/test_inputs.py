"""Convenient Python arguments become the right request models (or violations, never TypeErrors)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from firecrawl_feedback import AsyncFeedbackClient, FeedbackClient
from firecrawl_feedback._api import (
    FeedbackEndpoint,
    FeedbackRating,
    MissingContent,
    ValuableSource,
)
from firecrawl_feedback._errors import ValidationError
from firecrawl_feedback._validation import build_endpoint_request, build_search_request

JOB_ID = "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e"


def endpoint_wire(**fields: Any) -> dict[str, Any]:
    """The wire body build_endpoint_request produces for a scrape job."""
    arguments: dict[str, Any] = {"endpoint": "scrape", "job_id": JOB_ID, "rating": "bad"}
    arguments.update(fields)
    wire: dict[str, Any] = build_endpoint_request(**arguments).to_dict()
    return wire


def violation_fields(**fields: Any) -> list[str]:
    arguments: dict[str, Any] = {"endpoint": "scrape", "job_id": JOB_ID, "rating": "bad"}
    arguments.update(fields)
    with pytest.raises(ValidationError) as caught:
        build_endpoint_request(**arguments)
    return [v.field for v in caught.value.violations]


@pytest.mark.parametrize(
    "job_id",
    [JOB_ID, uuid.UUID(JOB_ID), JOB_ID.upper()],
)
def test_job_id_forms_are_sent_canonical(job_id: str | uuid.UUID) -> None:
    """A UUID object or upper case: jobId goes out hyphenated in lower case."""
    assert endpoint_wire(job_id=job_id, note="n")["jobId"] == JOB_ID


def test_padded_job_id_is_refused() -> None:
    """The server's z.uuid() does not trim jobId: a padded one is refused, saying why."""
    with pytest.raises(ValidationError) as caught:
        build_endpoint_request(endpoint="scrape", job_id=f"  {JOB_ID}\n", rating="bad", note="n")
    [violation] = caught.value.violations
    assert violation.field == "job_id"
    assert "without surrounding spaces" in violation.rule


def test_uuid_object_of_a_non_rfc_kind_is_refused() -> None:
    """uuid.UUID(int=5) has version 0, which the server refuses."""
    assert violation_fields(job_id=uuid.UUID(int=5), note="n") == ["job_id"]


@pytest.mark.parametrize("job_id", [123, None, b"x", ["a"]])
def test_job_id_of_wrong_type_is_a_violation(job_id: object) -> None:
    """A job ID that is neither str nor UUID is reported, not raised as TypeError."""
    assert violation_fields(job_id=job_id, note="n") == ["job_id"]


@pytest.mark.parametrize(
    ("rating", "endpoint"),
    [("good", "map"), (FeedbackRating.GOOD, FeedbackEndpoint.MAP), ("good", FeedbackEndpoint.MAP)],
)
def test_rating_and_endpoint_as_strings_or_enums(rating: Any, endpoint: Any) -> None:
    """Strings and the generated enums are both accepted."""
    wire = endpoint_wire(rating=rating, endpoint=endpoint, note="n")
    assert (wire["rating"], wire["endpoint"]) == ("good", "map")


@pytest.mark.parametrize("rating", [1, None, FeedbackEndpoint.MAP])
def test_rating_of_wrong_type_or_value_is_a_violation(rating: object) -> None:
    """A rating of the wrong type is reported under "rating"."""
    assert violation_fields(rating=rating, note="n") == ["rating"]


def test_valuable_source_forms() -> None:
    """A URL, a (url, reason) pair, a mapping and the model all become {url, reason?}."""
    wire = endpoint_wire(
        valuable_sources=[
            " https://a.b ",
            ("https://c.d", " why "),
            {"url": "https://e.f", "reason": "r"},
            ValuableSource(url="https://g.h"),
            ValuableSource(url="https://i.j", reason="x"),
            ["https://k.l", "list pair"],
        ]
    )
    assert wire["valuableSources"] == [
        {"url": "https://a.b"},
        {"url": "https://c.d", "reason": "why"},
        {"url": "https://e.f", "reason": "r"},
        {"url": "https://g.h"},
        {"url": "https://i.j", "reason": "x"},
        {"url": "https://k.l", "reason": "list pair"},
    ]


def test_missing_content_forms() -> None:
    """A topic, a (topic, description) pair, a mapping and the model all become {topic, ...}."""
    wire = endpoint_wire(
        missing_content=[
            "pricing",
            ("limits", "rate limits"),
            {"topic": "auth"},
            MissingContent(topic="sdk", description="python"),
        ]
    )
    assert wire["missingContent"] == [
        {"topic": "pricing"},
        {"topic": "limits", "description": "rate limits"},
        {"topic": "auth"},
        {"topic": "sdk", "description": "python"},
    ]


@pytest.mark.parametrize("item", [1, None, ("a",), ("a", "b", "c"), b"https://a.b"])
def test_valuable_source_item_of_wrong_shape(item: object) -> None:
    """An item of no known shape is reported at its index."""
    assert violation_fields(valuable_sources=["https://a.b", item]) == ["valuable_sources[1]"]


def test_unknown_key_in_a_mapping_item() -> None:
    """Mappings given as items are strict, like the server's objects."""
    assert violation_fields(missing_content=[{"topic": "t", "details": "d"}]) == [
        "missing_content[0].details"
    ]


def test_pair_with_non_string_reason() -> None:
    """A pair whose second member is not a string is reported at that member."""
    assert violation_fields(valuable_sources=[("https://a.b", 3)]) == ["valuable_sources[0].reason"]


@pytest.mark.parametrize("field", ["issues", "tags", "page_numbers", "valuable_sources"])
@pytest.mark.parametrize("value", ["a-single-string", 5, {"a": 1}])
def test_lists_given_as_something_else(field: str, value: object) -> None:
    """A lone string or a non-sequence where a list belongs is a violation."""
    assert violation_fields(**{field: value}) == [field]


def test_tuples_work_as_lists() -> None:
    """Any sequence works for list arguments."""
    wire = endpoint_wire(issues=("a", "b"), page_numbers=(1, 2.0))
    assert (wire["issues"], wire["pageNumbers"]) == (["a", "b"], [1, 2])


def test_none_means_not_given() -> None:
    """None leaves a field out; origin falls back to "api"; integration is omitted."""
    wire = endpoint_wire(note="n", tags=None, integration=None, origin=None)
    assert wire == {
        "endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "n", "origin": "api"
    }  # fmt: skip


def test_strings_are_sent_trimmed() -> None:
    """Every string field the server trims goes out the way it stores it: trimmed."""
    wire = endpoint_wire(
        note="\u3000 note \ufeff",
        issues=[" a "],
        query_suggestions="\tq\n",
        integration="dify",
        origin=" cli ",
        url=" https://a.b ",
    )
    assert [wire[k] for k in ("note", "issues", "querySuggestions", "integration")] == [
        "note", ["a"], "q", "dify"
    ]  # fmt: skip
    assert wire["url"] == "https://a.b"


def test_metadata_is_copied() -> None:
    """metadata is sent as given, as a copy."""
    metadata = {"a": [1, 2], "b": {"c": None}}
    request = build_endpoint_request(
        endpoint="parse", job_id=JOB_ID, rating="bad", note="n", metadata=metadata
    )
    metadata["a"] = "changed"
    assert request.to_dict()["metadata"] == {"a": [1, 2], "b": {"c": None}}


def test_search_request_forms() -> None:
    """build_search_request returns the path UUID and a model with converted items."""
    path_id, model = build_search_request(
        uuid.UUID(JOB_ID),
        rating=FeedbackRating.PARTIAL,
        valuable_sources=[("https://a.b", "r")],
        missing_content=["topic"],
    )
    assert path_id == uuid.UUID(JOB_ID)
    assert model.to_dict() == {
        "rating": "partial",
        "origin": "api",
        "valuableSources": [{"url": "https://a.b", "reason": "r"}],
        "missingContent": [{"topic": "topic"}],
    }


def test_search_request_reports_all_problems() -> None:
    """Path ID, rating rule and item problems are reported together."""
    with pytest.raises(ValidationError) as caught:
        build_search_request("x", rating="good", missing_content=["t"] * 21, integration="?")
    assert [v.field for v in caught.value.violations] == [
        "job_id",
        "integration",
        "missing_content",
    ]


def test_a_misspelt_or_wire_form_keyword_is_a_violation_with_a_suggestion() -> None:
    """Keyword fields come from the spec's table: an unknown name is named, not a TypeError."""

    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    client = FeedbackClient("fc-test", transport=httpx.MockTransport(never))
    with pytest.raises(ValidationError) as caught:
        client.scrape(JOB_ID, ratng="good", pageNumbers=[1], note="n")  # type: ignore[call-arg]
    assert [(v.field, v.rule) for v in caught.value.violations] == [
        ("ratng", "is not a known argument; did you mean rating?"),
        ("pageNumbers", "is not a known argument; did you mean page_numbers?"),
        ("rating", "is required"),
    ]
    with pytest.raises(ValidationError) as caught:
        client.search(JOB_ID, rating="bad", note="n", query_suggestions="q")  # type: ignore[call-arg]
    assert [v.field for v in caught.value.violations] == ["note"]  # POST /feedback only


def test_a_misspelt_setting_or_option_gets_a_did_you_mean() -> None:
    """Settings and body-method options: a TypeError (it had no hint); keyword methods: the
    unknown argument's violation (its hint named body fields only)."""
    with pytest.raises(TypeError, match=r"FeedbackClient\(\) .* 'timout'; did you mean 'timeout'"):
        FeedbackClient("fc-test", timout=5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'base_ur'; did you mean 'base_url'"):
        AsyncFeedbackClient("fc-test", base_ur="https://a.example")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'http_clint'; did you mean 'http_client'"):
        FeedbackClient("fc-test", http_clint=None)  # type: ignore[call-arg]
    client = FeedbackClient("fc-test", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    body = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "n"}
    with pytest.raises(TypeError, match="'max_retry'; did you mean 'max_retries'"):
        client.submit_body(body, max_retry=3)  # type: ignore[call-arg]
    with pytest.raises(
        ValidationError, match="timout: is not a known argument; did you mean timeout"
    ):
        client.scrape(JOB_ID, rating="bad", note="n", timout=5)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="did you mean extra_headers"):
        client.search(JOB_ID, rating="bad", query_suggestions="q", extra_header={})  # type: ignore[call-arg]


def test_an_unknown_client_setting_or_call_option_is_a_type_error() -> None:
    for client in (FeedbackClient, AsyncFeedbackClient):
        with pytest.raises(TypeError, match="unexpected keyword argument 'retries'"):
            client("fc-test", retries=3)  # type: ignore[call-arg]
    client = FeedbackClient("fc-test", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    body = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "n"}
    with pytest.raises(TypeError, match="unexpected keyword argument 'retries'"):
        client.submit_body(body, retries=3)  # type: ignore[call-arg]
