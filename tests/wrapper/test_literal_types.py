"""Rating, Endpoint and Integration name exactly what the spec (and validator) accept."""

from __future__ import annotations

from typing import Literal, get_args, get_origin

from firecrawl_feedback import Endpoint, FeedbackEndpoint, FeedbackRating, Integration, Rating

from tests import limits as L


def _literal_and_rest(alias: object) -> tuple[tuple[object, ...], tuple[object, ...]]:
    members = get_args(alias)
    literal = [m for m in members if get_origin(m) is Literal]
    assert len(literal) == 1, members
    return get_args(literal[0]), tuple(m for m in members if m is not literal[0])


def test_rating_is_the_spec_enum_as_literals_or_its_members() -> None:
    assert _literal_and_rest(Rating) == (L.RATINGS, (FeedbackRating,))


def test_endpoint_is_the_spec_enum_as_literals_or_its_members() -> None:
    assert _literal_and_rest(Endpoint) == (L.ENDPOINTS, (FeedbackEndpoint,))


def test_integration_offers_the_known_names_and_stays_open() -> None:
    names, rest = _literal_and_rest(Integration)
    assert frozenset(names) == L.INTEGRATIONS
    assert rest == (str,)  # "_" names are accepted too
