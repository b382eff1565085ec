"""Request models built through their constructors equal what ``from_dict`` builds.

The wrapper always sends ``origin`` (its default is the client's), so every body here has it.
"""

from __future__ import annotations

from typing import Any

import pytest
from firecrawl_feedback import _api
from firecrawl_feedback._models import build

JOB = "0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b"
FULL: dict[str, Any] = {
    "endpoint": "search",
    "jobId": JOB,
    "rating": "partial",
    "issues": ["missing_markdown"],
    "tags": ["t"],
    "note": "n",
    "url": "https://a.example/",
    "pageNumbers": [1, 2],
    "metadata": {"run": 7, "nested": {"a": [1, None]}},
    "valuableSources": [{"url": "https://b.example/", "reason": "r"}, {"url": "https://c.d/"}],
    "missingContent": [{"topic": "t", "description": "d"}, {"topic": "u"}],
    "querySuggestions": "q",
    "integration": "_mine",
    "origin": "api",
}
SEARCH_KEYS = ("rating", "valuableSources", "missingContent", "querySuggestions", "integration")


@pytest.mark.parametrize(
    ("model", "body"),
    [
        ("EndpointFeedbackRequest", FULL),
        (
            "EndpointFeedbackRequest",
            {k: FULL[k] for k in ("endpoint", "jobId", "rating", "origin")},
        ),
        ("SearchFeedbackRequest", {k: FULL[k] for k in (*SEARCH_KEYS, "origin")}),
        ("SearchFeedbackRequest", {"rating": "bad", "origin": "o"}),
    ],
)
def test_a_built_model_is_the_one_from_dict_builds(model: str, body: dict[str, Any]) -> None:
    cls = getattr(_api, model)
    built, expected = build(cls, dict(body)), cls.from_dict(dict(body))
    assert built == expected
    assert built.to_dict() == expected.to_dict() == body
