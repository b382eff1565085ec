"""Shared fixtures for the spec-sync tests: seed pages, fresh regenerations, project copies.

Running openapi-python-client takes about a second, so the tree regenerated
from the seeds is built once per session and shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import regenerate

from tests.spec.specpages import FEEDBACK_SEEDS, SEARCH_SEED, Page, read_page
from tests.spec.specsupport import SEED_PATHS, Built, build, copy_project


@pytest.fixture(autouse=True)
def _no_retry_sleeps() -> Iterator[None]:
    """Replaces the suite-wide fixture: the spec tests never retry, nor import the wrapper."""
    yield


@pytest.fixture(scope="session")
def seed_pages() -> dict[str, Page]:
    """The four seed pages: fr, zh, ja (POST /feedback) and search (zh)."""
    pages = {language: read_page(path) for language, path in FEEDBACK_SEEDS.items()}
    pages["search"] = read_page(SEARCH_SEED)
    return pages


@pytest.fixture(scope="session")
def seed_build() -> Built:
    """(canonical spec, lock, warnings) from the four seed pages."""
    return build(SEED_PATHS)


@pytest.fixture(scope="session")
def fresh_root(tmp_path_factory: pytest.TempPathFactory, seed_build: Built) -> Path:
    """A project root regenerated from the seeds into a temporary folder."""
    root = tmp_path_factory.mktemp("fresh")
    spec, lock, _ = seed_build
    regenerate.write(spec, lock, root)
    return root


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A temporary copy of this checkout's openapi/ and generated/ (for --out)."""
    return copy_project(tmp_path / "project")
