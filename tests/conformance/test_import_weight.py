"""``import firecrawl_feedback`` loads nothing heavy; the clients load on first use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Modules only some users need: loaded on first use, never by the package import.
LAZY = (
    "firecrawl_feedback._cli",
    "firecrawl_feedback.testing",
    "tqdm",
    "aiolimiter",
    "jsonschema",
    "mcp",
    "http.server",
    "ada_url",
)


def _modules_after(statement: str) -> set[str]:
    """Top-level and dotted module names loaded by ``statement`` in a fresh interpreter."""
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_the_package_import_leaves_heavy_modules_unloaded() -> None:
    """After ``import firecrawl_feedback`` none of the lazy modules are in sys.modules."""
    loaded = _modules_after("import firecrawl_feedback")
    assert "firecrawl_feedback" in loaded
    assert sorted(name for name in LAZY if name in loaded) == []


def test_the_clients_and_generated_models_load_on_first_use() -> None:
    """The generated package waits for the first use of a client or model name."""
    assert "firecrawl_feedback_api" not in _modules_after("import firecrawl_feedback")
    loaded = _modules_after(
        "import firecrawl_feedback as ff\n"
        "assert ff.FeedbackClient.__name__ == 'FeedbackClient'\n"
        "assert ff.FeedbackRating.GOOD == 'good'\n"
        "assert 'FeedbackClient' in dir(ff)"
    )
    assert {"firecrawl_feedback_api", "firecrawl_feedback._client"} <= loaded
    assert sorted(name for name in LAZY if name in loaded) == []


def test_the_url_parser_loads_on_the_first_url_it_is_needed_for() -> None:
    """ada_url waits for a URL the everyday-shape shortcut cannot decide."""
    build = (
        "from firecrawl_feedback._validation import build_endpoint_request\n"
        "build_endpoint_request(endpoint='scrape', job_id='0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b',"
        " rating='bad', url={url!r})"
    )
    assert "ada_url" not in _modules_after(build.format(url="https://example.com/page"))
    assert "ada_url" in _modules_after(build.format(url="https://m\u00fcnchen.de/page"))


def test_unknown_names_still_raise_attribute_error() -> None:
    """The lazy table does not swallow typos."""
    import firecrawl_feedback

    with pytest.raises(AttributeError, match="FeedbackClinet"):
        _ = firecrawl_feedback.FeedbackClinet  # type: ignore[attr-defined]


@pytest.mark.parametrize("statement", ["import tqdm", "import firecrawl_feedback._cli._main"])
def test_the_check_sees_a_module_that_is_loaded(statement: str) -> None:
    """Negative control: importing a lazy module on purpose is detected."""
    loaded = _modules_after(statement)
    assert any(name in loaded for name in LAZY)
