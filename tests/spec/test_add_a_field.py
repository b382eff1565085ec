"""A field the spec adds reaches the whole wrapper by regenerating, with no handwritten edit.

A copy of the project gets an optional string field in its overrides (as a
maintainer would record one the docs added), is regenerated into a temporary
tree, and the unchanged wrapper, run against that tree in a fresh interpreter,
must accept the field in ``submit``, the per-kind helpers, wire-form bodies
and the CLI, check its limit, and document it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.spec.specsupport import PACKAGE_IN_ROOT, ROOT
from tests.spec.test_parameter_docs import _regenerated

_NEW_FIELD = """
- op: add
  path: /components/schemas/EndpointFeedbackRequest/properties/reviewer
  value: {type: string, maxLength: 64, description: Who reviewed the job's result.}
  why: test
"""

# Runs in a fresh interpreter whose firecrawl_feedback_api is the regenerated one.
_PROBE = textwrap.dedent(
    """
    import json, sys
    import httpx
    import firecrawl_feedback_api
    from firecrawl_feedback import FeedbackClient, SubmitFields, ValidationError
    from firecrawl_feedback._cli._fields import body_from
    from firecrawl_feedback._cli._main import build_parser

    JOB = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
    sent = []

    def answer(request):
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"success": True, "feedbackId": "f", "creditsRefunded": 0})

    client = FeedbackClient("fc-test", transport=httpx.MockTransport(answer), max_retries=0)
    client.scrape(JOB, rating="good", note="n", reviewer="  ada  ")
    client.submit("map", JOB, rating="good", note="n", reviewer="bob")
    client.submit_body({"endpoint": "parse", "jobId": JOB, "rating": "bad", "note": "n",
                        "reviewer": "cy"})
    problems = []
    for call in (
        lambda: client.scrape(JOB, rating="good", note="n", reviewer="r" * 65),
        lambda: client.submit_body({"endpoint": "parse", "jobId": JOB, "rating": "bad",
                                    "note": "n", "reviewer": 7}),
    ):
        try:
            call()
        except ValidationError as error:
            problems += [str(v) for v in error.violations]
    args = build_parser().parse_args(["scrape", JOB, "--rating", "good", "--reviewer", "dee"])
    print(json.dumps({
        "package": firecrawl_feedback_api.__file__,
        "sent": sent,
        "problems": problems,
        "typed": "reviewer" in SubmitFields.__annotations__,
        "help": FeedbackClient.scrape.__doc__,
        "cli": body_from(args),
        "cli_help": build_parser()._subparsers._group_actions[0].choices["scrape"].format_help(),
    }))
    """
)


def _probe(generated: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated), str(ROOT / "wrapper")])}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_an_optional_string_field_added_to_the_spec_reaches_every_entry_point(
    project_copy: Path,
) -> None:
    wrapper_before = {p: p.read_bytes() for p in (ROOT / "wrapper").rglob("*.py")}
    overrides = project_copy / "openapi" / "overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + _NEW_FIELD, encoding="utf-8")

    package = _regenerated(project_copy)
    result = _probe(package.parent)

    assert result["package"] == str(package / "__init__.py")
    # Accepted by the helper, submit and a wire-form body; trimmed like the other free text.
    assert [body["reviewer"] for body in result["sent"]] == ["ada", "bob", "cy"]  # type: ignore[index, union-attr]
    # Its limit (from the spec) is checked before sending, under its own name.
    assert result["problems"] == [
        "reviewer: must be at most 64 characters (UTF-16 code units) after trimming; got 65",
        "reviewer: must be a string; got number",
    ]
    assert result["typed"] is True
    assert "reviewer: Who reviewed the job's result. At most 64 characters." in " ".join(
        str(result["help"]).split()
    )
    assert result["cli"]["reviewer"] == "dee"  # type: ignore[index]
    assert "--reviewer" in str(result["cli_help"])
    # Nothing handwritten changed: the table, signatures, rules and flags follow the spec.
    assert {p: p.read_bytes() for p in (ROOT / "wrapper").rglob("*.py")} == wrapper_before


def test_the_committed_client_refuses_that_field() -> None:
    """The same calls fail against this checkout: it is the regeneration that adds it."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={**os.environ, "PYTHONPATH": str(ROOT / PACKAGE_IN_ROOT.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "reviewer: is not a known argument" in result.stderr


_NEW_RATING = """
- op: replace
  path: /components/schemas/FeedbackRating/enum
  value: [good, partial, bad, meh]
  why: test
"""

# A search rated with the new value, on both routes; then a known rating breaking its rule.
_RATING_PROBE = textwrap.dedent(
    """
    import json
    import httpx
    from firecrawl_feedback import FeedbackClient, ValidationError

    JOB = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
    sent = []

    def answer(request):
        sent.append(json.loads(request.content)["rating"])
        return httpx.Response(200, json={"success": True, "feedbackId": "f", "creditsRefunded": 0})

    client = FeedbackClient("fc-test", transport=httpx.MockTransport(answer), max_retries=0)
    client.search(JOB, rating="meh")
    client.submit("search", JOB, rating="meh", note="n")
    try:
        client.search(JOB, rating="good")
    except ValidationError as error:
        sent.append(str(error.violations[0]))
    print(json.dumps(sent))
    """
)


def test_a_rating_the_spec_adds_is_sent_without_a_rule_of_our_own(project_copy: Path) -> None:
    """The server's search-rating rules (``_limits.RATING_NEEDS``) do not know the new
    rating: it reached the client by regenerating, and its search calls raised KeyError.
    What the server asks of it is its to judge, until a maintainer adds its rule."""
    overrides = project_copy / "openapi" / "overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + _NEW_RATING, encoding="utf-8")
    generated = _regenerated(project_copy).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated), str(ROOT / "wrapper")])}
    done = subprocess.run(
        [sys.executable, "-c", _RATING_PROBE],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        "meh",
        "meh",
        "rating: 'good' on a search job needs valuable_sources",
    ]
