"""Fixtures for the conformance suites: Prism once per session, the served reference server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.prism_server import ensure_installed, missing_node, running_prism


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock of openapi/feedback-api.json with request validation."""
    reason = missing_node()
    if reason is not None:
        pytest.skip(reason)
    ensure_installed()
    log: Path = tmp_path_factory.mktemp("prism") / "prism.log"
    with running_prism(log) as url:
        yield url
