"""The pytest plugin works as documented, and importing the client never loads the fake."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

USER_CONFTEST = 'pytest_plugins = ["firecrawl_feedback.testing.pytest_plugin"]\n'
USER_TESTS = textwrap.dedent(
    """
    import httpx

    def test_fake(firecrawl_fake):
        job = firecrawl_fake.add_job("search")
        with httpx.Client(transport=firecrawl_fake.transport()) as client:
            response = client.post(
                f"http://x/v2/search/{job}/feedback",
                json={"rating": "bad", "querySuggestions": "q"},
                headers={"Authorization": f"Bearer {firecrawl_fake.api_key}"},
            )
        assert response.status_code == 200

    def test_served(firecrawl_fake, firecrawl_fake_url):
        assert firecrawl_fake_url.startswith("http://127.0.0.1:")
        assert httpx.post(firecrawl_fake_url + "/v2/feedback").status_code == 401
        assert firecrawl_fake.requests[0].status == 401
    """
)


def test_plugin_fixtures_in_a_user_suite(tmp_path: Path) -> None:
    """pytest_plugins = [...pytest_plugin] gives firecrawl_fake and firecrawl_fake_url."""
    (tmp_path / "conftest.py").write_text(USER_CONFTEST)
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_import_costs() -> None:
    """firecrawl_feedback does not import the fake; the fake does not import servers or pytest."""
    script = textwrap.dedent(
        """
        import sys
        import firecrawl_feedback
        assert "firecrawl_feedback.testing" not in sys.modules
        import firecrawl_feedback.testing
        heavy = {"http.server", "socketserver", "jsonschema", "pytest", "anyio"}
        print(sorted(heavy & set(sys.modules)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
