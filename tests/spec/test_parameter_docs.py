"""The generated parameter docs and Literal types follow the canonical spec.

A copy of the project gets another description and another limit (through its
descriptions.yaml and overrides.yaml, as a maintainer would), is regenerated
into a temporary tree, and the generated text must say the new things.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regenerate
from specsync.errors import SpecInputError
from specsync.select import Selection

from tests.spec.specsupport import PACKAGE, PACKAGE_IN_ROOT, SEED_PATHS

NOTE = "/components/schemas/EndpointFeedbackRequest/properties/note"

_CHANGES = f"""
- op: replace
  path: {NOTE}/maxLength
  value: 1234
  why: test
- op: replace
  path: /components/schemas/FeedbackRating/enum
  value: [good, meh, bad]
  why: test
- op: add
  path: /components/schemas/SearchFeedbackRequest/properties/integration/x-known-values/-
  value: acme
  why: test
- op: add
  path: /components/schemas/EndpointFeedbackRequest/properties/integration/x-known-values/-
  value: acme
  why: test
"""


def _regenerated(project: Path) -> Path:
    spec, lock, _ = regenerate.build(SEED_PATHS, Selection(("Feedback",), ()), project)
    out = project / "out"
    regenerate.write(spec, lock, out)  # this checkout's generator config and templates
    return out / PACKAGE_IN_ROOT


def test_docs_and_types_follow_a_changed_description_limit_and_enum(project_copy: Path) -> None:
    descriptions = project_copy / "openapi" / "descriptions.yaml"
    text = descriptions.read_text(encoding="utf-8")
    old = f"{NOTE}/description: A free-text note about the result."
    assert old in text
    descriptions.write_text(
        text.replace(old, f"{NOTE}/description: What the reviewer wrote down."), encoding="utf-8"
    )
    overrides = project_copy / "openapi" / "overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + _CHANGES, encoding="utf-8")

    package = _regenerated(project_copy)

    committed_docs = (PACKAGE / "spec_fields.py").read_text(encoding="utf-8")
    docs = (package / "spec_fields.py").read_text(encoding="utf-8")
    assert "A free-text note about the result. At most 4000 characters." in committed_docs
    assert "What the reviewer wrote down. At most 1234 characters." in docs
    assert "A free-text note about the result" not in docs
    assert "4000" not in docs

    committed_types = (PACKAGE / "spec_types.py").read_text(encoding="utf-8")
    types = (package / "spec_types.py").read_text(encoding="utf-8")
    assert 'Literal["good", "partial", "bad"] | FeedbackRating' in committed_types
    assert 'Literal["good", "meh", "bad"] | FeedbackRating' in types
    assert '"acme"' in types and '"acme"' not in committed_types


def test_known_values_that_differ_between_routes_are_bad_input(project_copy: Path) -> None:
    overrides = project_copy / "openapi" / "overrides.yaml"
    overrides.write_text(
        overrides.read_text(encoding="utf-8") + _CHANGES.rsplit("- op: add", 1)[0],
        encoding="utf-8",
    )
    with pytest.raises(SpecInputError, match="x-known-values of integration differs"):
        _regenerated(project_copy)


def test_a_field_the_server_rules_name_and_the_docs_drop_fails_naming_it(
    project_copy: Path,
) -> None:
    """A signal field (``_limits.SIGNAL_KEYS``) gone from the spec: an error naming it, no KeyError.

    The server's handwritten rules still name it; whether the server dropped the rule
    too is for a maintainer to decide in ``_limits.py``.
    """
    overrides = project_copy / "openapi" / "overrides.yaml"
    descriptions = project_copy / "openapi" / "descriptions.yaml"
    field = "/components/schemas/EndpointFeedbackRequest/properties/pageNumbers"
    overrides.write_text(
        overrides.read_text(encoding="utf-8") + f"\n- op: remove\n  path: {field}\n  why: test\n",
        encoding="utf-8",
    )
    descriptions.write_text(
        "".join(
            line
            for line in descriptions.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(f"{field}/")
            and not line.startswith("  Pages of a document")  # that entry's second line
        ),
        encoding="utf-8",
    )
    with pytest.raises(SpecInputError) as raised:
        _regenerated(project_copy)
    assert str(raised.value) == (
        "wrapper/firecrawl_feedback/_limits.py names fields the spec no longer has: "
        "pageNumbers (SIGNAL_KEYS, submitEndpointFeedback); update the server's rules there "
        "to match"
    )
