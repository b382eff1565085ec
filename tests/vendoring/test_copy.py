"""A vendored copy works on its own: imports, submissions, errors, types, and no original name."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

from vendoring.names import STAMP_FILE
from vendoring.render import Options, render
from vendoring.rewrite import KEEP_PRAGMA

from ._isolated import run_isolated
from .conftest import PACKAGE, ROOT, TESTING_PACKAGE

# An original package used as a module path: at the start of a dotted name,
# not inside a longer identifier. "firecrawl-feedback-python" (the User-Agent
# product) and FIRECRAWL_API_KEY (an environment variable) are not module paths.
ORIGINAL_MODULE_PATH = re.compile(rb"(?<![\w.])firecrawl_feedback(_api)?(?!\w)")


def _copy(root: Path, package: str) -> Path:
    return root.joinpath(*package.split("."))


def _without_kept_strings(path: str, data: bytes) -> bytes:
    """A file's bytes minus the strings marked ``# vendoring: keep`` (names, not module paths)."""
    if not path.endswith(".py") or KEEP_PRAGMA.encode() not in data:
        return data
    text = data.decode("utf-8")
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    kept = {t.start[0] for t in tokens if t.type == tokenize.COMMENT and KEEP_PRAGMA in t.string}
    lines = text.splitlines(keepends=True)
    for tok in reversed(tokens):
        if tok.type == tokenize.STRING and tok.end[0] in kept:
            (row, col), (end_row, end_col) = tok.start, tok.end
            head, tail = lines[row - 1][:col], lines[end_row - 1][end_col:]
            lines[row - 1 : end_row] = [head + '""' + tail]
    return "".join(lines).encode("utf-8")


def test_original_names_are_hidden_in_the_isolated_interpreter(vendored_root: Path) -> None:
    """The isolated interpreter cannot import firecrawl_feedback nor firecrawl_feedback_api."""
    result = run_isolated(
        vendored_root,
        """
        for name in ("firecrawl_feedback", "firecrawl_feedback_api", "firecrawl_feedback._api"):
            try:
                __import__(name)
            except ModuleNotFoundError:
                print("hidden", name)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n").count("hidden firecrawl_feedback") == 1
    assert "hidden firecrawl_feedback_api" in result.stdout
    assert "hidden firecrawl_feedback._api" in result.stdout


def test_copy_submits_and_raises_its_own_errors_without_the_originals(vendored_root: Path) -> None:
    """MockTransport: 200 is a result, 404 the copy's NotFoundError, bad input ValidationError."""
    result = run_isolated(
        vendored_root,
        f"""
        import json
        import logging

        import httpx

        import {PACKAGE} as ffb
        from {PACKAGE} import FeedbackClient, NotFoundError, ValidationError

        JOB = "0190d7a2-3c4b-7d5e-8f60-123456789abc"
        MISSING = "0190d7a2-3c4b-7d5e-8f60-000000000404"
        sent = []

        def answer(request):
            sent.append(request)
            if json.loads(request.content)["jobId"] == MISSING:
                return httpx.Response(404, json={{
                    "success": False,
                    "error": "Job not found",
                    "feedbackErrorCode": "JOB_NOT_FOUND",
                }})
            return httpx.Response(200, json={{
                "success": True,
                "feedbackId": "0190d7a2-0000-7000-8000-000000000001",
                "creditsRefunded": 1,
                "creditsRefundedToday": 1,
                "dailyRefundCap": 50,
            }})

        ffb.set_retry_testing(True)
        with httpx.Client(transport=httpx.MockTransport(answer)) as http:
            with FeedbackClient("fc-vendored-test", http_client=http) as client:
                result = client.scrape(JOB, rating="good", issues=["missing_markdown"])
                assert result.feedback_id == "0190d7a2-0000-7000-8000-000000000001", result
                assert sent[0].url.path == "/v2/feedback"
                try:
                    client.scrape(MISSING, rating="bad", issues=["missing_markdown"])
                except NotFoundError as exc:
                    assert exc.status_code == 404, exc
                else:
                    raise AssertionError("no NotFoundError for a 404")
                try:
                    client.scrape("not-a-uuid", rating="excellent")
                except ValidationError as exc:
                    assert exc.violations, exc
                else:
                    raise AssertionError("no ValidationError for bad input")
        assert len(sent) == 2, sent  # invalid input is never sent
        print("user-agent", sent[0].headers["user-agent"])
        print("logger", logging.getLogger("{PACKAGE}").name in logging.root.manager.loggerDict)
        print("errors from", NotFoundError.__module__, ValidationError.__module__)
        print("client from", type(client._generated).__module__)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert "user-agent firecrawl-feedback-python/0.1.0" in result.stdout
    assert "logger True" in result.stdout
    assert f"errors from {PACKAGE}._errors {PACKAGE}._errors" in result.stdout
    assert f"client from {PACKAGE}._generated.client" in result.stdout


def test_copy_keeps_the_agent_tool_names(vendored_root: Path) -> None:
    """Tool names are Firecrawl's, not module paths: the copy's tools are named as the original's.

    A dotted name would also be refused by OpenAI and Anthropic (names allow no dots).
    """
    result = run_isolated(
        vendored_root,
        f"""
        import {PACKAGE} as ffb
        from {PACKAGE}._tools import FEEDBACK_TOOL

        print("names", FEEDBACK_TOOL, [t["name"] for t in ffb.tool_schemas("anthropic")])
        print("doc", "(``firecrawl_feedback``)" in ffb.tool_schemas.__doc__)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "names firecrawl_feedback ['firecrawl_feedback', 'firecrawl_search_feedback']"
        in result.stdout
    )
    assert "doc True" in result.stdout


def test_every_module_of_both_copies_imports_without_the_originals(vendored_root: Path) -> None:
    """Importing every module proves nothing loads the left-out CLI or reference server."""
    result = run_isolated(
        vendored_root,
        f"""
        import importlib
        import pkgutil

        for name in ("{PACKAGE}", "{TESTING_PACKAGE}"):
            root = importlib.import_module(name)
            modules = [name] + [
                info.name
                for info in pkgutil.walk_packages(root.__path__, name + ".", onerror=sys.exit)
            ]
            for module in modules:
                loaded = importlib.import_module(module)
                assert loaded.__file__.startswith(COPY_ROOT), loaded.__file__
            print(name, len(modules), sorted({{m.split(".")[3] for m in modules if m != name}}))
        """,
    )
    assert result.returncode == 0, result.stderr
    plain, with_testing = result.stdout.splitlines()
    assert "'_generated'" in plain
    assert "'testing'" not in plain
    assert "'_cli'" not in plain
    assert "'testing'" in with_testing
    assert "'_cli'" not in with_testing


def test_reference_server_of_the_testing_copy_serves_the_copys_client(vendored_root: Path) -> None:
    """With --with-testing the copy's FakeFirecrawl answers the copy's client: stored, then 404."""
    result = run_isolated(
        vendored_root,
        f"""
        import httpx

        from {TESTING_PACKAGE} import FeedbackClient, NotFoundError, set_retry_testing
        from {TESTING_PACKAGE}.testing import FakeFirecrawl

        set_retry_testing(True)
        fake = FakeFirecrawl()
        job = fake.add_job("scrape")
        with httpx.Client(transport=fake.transport()) as http:
            with FeedbackClient(fake.api_key, http_client=http) as client:
                stored = client.scrape(job, rating="good", note="complete")
                try:
                    client.scrape("0190d7a2-3c4b-7d5e-8f60-000000000404", rating="bad", note="x")
                except NotFoundError:
                    print("not found")
        print("stored", stored.stored, len(fake.feedback))
        """,
    )
    assert result.returncode == 0, result.stderr
    assert "not found" in result.stdout
    assert "stored True 1" in result.stdout


def test_no_file_of_the_copies_names_an_original_package(vendored_root: Path) -> None:
    """Every file, as bytes: no firecrawl_feedback_api at all, no firecrawl_feedback module path."""
    files = [p for p in vendored_root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert len(files) > 40
    hits = [
        f"{path.relative_to(vendored_root)}: {match.group(0)!r}"
        for path in files
        for match in ORIGINAL_MODULE_PATH.finditer(
            _without_kept_strings(path.name, path.read_bytes())
        )
    ]
    assert hits == []
    assert not [p for p in files if b"firecrawl_feedback_api" in p.read_bytes()]


def test_a_copy_named_like_the_original_keeps_no_top_level_reference() -> None:
    """Under acme_sdk._vendor.firecrawl_feedback the name only survives as the copy's own path."""
    rendered = render(ROOT, Options("acme_sdk._vendor.firecrawl_feedback", with_testing=True))
    hits = [
        f"{path}: {match.group(0)!r}"
        for path, data in rendered.files.items()
        for match in ORIGINAL_MODULE_PATH.finditer(_without_kept_strings(path, data))
    ]
    assert hits == []
    assert b"acme_sdk._vendor.firecrawl_feedback" in rendered.files["__init__.py"]


def test_the_search_pattern_finds_every_form_of_reference() -> None:
    """The pattern the search relies on catches each form an original name can take."""
    forms = [
        b"import firecrawl_feedback",
        b"from firecrawl_feedback_api.models import X",
        b'"firecrawl_feedback._cli:main"',
        b'importlib.import_module("firecrawl_feedback.testing")',
        b":mod:`firecrawl_feedback.testing`",
        b'LOGGER_NAME = "firecrawl_feedback"',
    ]
    assert all(ORIGINAL_MODULE_PATH.search(form) for form in forms)
    for text in (b"firecrawl-feedback-python", b"FIRECRAWL_API_KEY", b"acme.firecrawl_feedback"):
        assert ORIGINAL_MODULE_PATH.search(text) is None


def test_copy_keeps_py_typed_and_its_stamp_describes_it(vendored_root: Path) -> None:
    """py.typed is kept; the stamp has version, spec hash, generator, command and content hash."""
    copy = _copy(vendored_root, PACKAGE)
    assert (copy / "py.typed").is_file()
    stamp = json.loads((copy / STAMP_FILE).read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "openapi/spec.lock.json").read_text(encoding="utf-8"))
    assert stamp["project_version"] == "0.1.0"
    with (ROOT / "pyproject.toml").open("rb") as file:
        assert stamp["dependencies"] == tomllib.load(file)["project"]["dependencies"]
    assert stamp["spec_sha256"] == lock["canonical_sha256"]
    assert stamp["generator"] == lock["generator"]
    assert stamp["command"].startswith("python3 scripts/vendor.py --into ")
    assert stamp["command"].endswith(f"--package {PACKAGE}")
    assert re.fullmatch(r"[0-9a-f]{64}", stamp["content_sha256"])
    assert stamp["layout"] == {"generated_client": "_generated", "left_out": ["_cli", "testing"]}
    assert not (copy / "_cli").exists()
    assert not (copy / "testing").exists()
    assert (_copy(vendored_root, TESTING_PACKAGE) / "testing" / "__init__.py").is_file()


def test_rewrite_touches_only_the_import_module_and_text(vendored_root: Path) -> None:
    """Only _api.py's imports and text naming a module path change; generated code is identical."""
    copy = _copy(vendored_root, PACKAGE)
    generated = ROOT / "generated/firecrawl_feedback_api"
    for path in generated.rglob("*.py"):
        assert (copy / "_generated" / path.relative_to(generated)).read_bytes() == path.read_bytes()
    api = (copy / "_api.py").read_text(encoding="utf-8")
    assert "from ._generated.models import (" in api
    assert "from ._generated import AuthenticatedClient" in api
    stamp = json.loads((copy / STAMP_FILE).read_text(encoding="utf-8"))
    assert 0 < stamp["rewritten_lines"] < 20


def test_both_copies_pass_mypy_strict(vendored_root: Path, tmp_path: Path) -> None:
    """mypy --strict on the copies alone (run from the copy folder, with no project config)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version=3.11",
            f"--cache-dir={tmp_path / 'mypy-cache'}",
            "-p",
            PACKAGE,
            "-p",
            TESTING_PACKAGE,
        ],
        cwd=vendored_root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
