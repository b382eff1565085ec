"""The token-exact rewrite of one file: every form of reference changes, nothing else does."""

from __future__ import annotations

import ast
import textwrap

import pytest
from vendoring.errors import VendorError
from vendoring.names import Renaming
from vendoring.rewrite import code_references, rewrite_python

RENAMING = Renaming("acme_sdk._vendor.ffb")


def _rewrite(source: str, package: str = "acme_sdk._vendor.ffb") -> str:
    result = rewrite_python(textwrap.dedent(source), package=package, renaming=RENAMING)
    ast.parse(result.text)  # still Python
    return result.text


def test_from_imports_become_relative_to_the_module() -> None:
    """`from firecrawl_feedback_api.x import` becomes `from ._generated.x import` at the top."""
    text = _rewrite(
        """
        from firecrawl_feedback_api import AuthenticatedClient
        from firecrawl_feedback_api.models import (
            FeedbackRating,
        )
        from firecrawl_feedback import FeedbackClient
        from firecrawl_feedback._errors import NotFoundError
        """
    )
    assert text == textwrap.dedent(
        """
        from ._generated import AuthenticatedClient
        from ._generated.models import (
            FeedbackRating,
        )
        from . import FeedbackClient
        from ._errors import NotFoundError
        """
    )


def test_from_imports_in_a_subpackage_climb_to_the_copy() -> None:
    """In the copy's testing/ subpackage, wrapper imports climb one level (`from .._client`)."""
    text = _rewrite(
        """
        from firecrawl_feedback._client import FeedbackClient
        from firecrawl_feedback.testing._fake import FakeFirecrawl
        from firecrawl_feedback_api.types import UNSET
        """,
        package="acme_sdk._vendor.ffb.testing",
    )
    assert text == textwrap.dedent(
        """
        from .._client import FeedbackClient
        from ._fake import FakeFirecrawl
        from .._generated.types import UNSET
        """
    )


def test_plain_imports_and_the_names_they_bind_become_absolute() -> None:
    """`import firecrawl_feedback` and later `firecrawl_feedback.X` both get the full new name."""
    text = _rewrite(
        """
        import firecrawl_feedback
        import firecrawl_feedback_api.models as models, json
        client = firecrawl_feedback.FeedbackClient
        """
    )
    assert text == textwrap.dedent(
        """
        import acme_sdk._vendor.ffb
        import acme_sdk._vendor.ffb._generated.models as models, json
        client = acme_sdk._vendor.ffb.FeedbackClient
        """
    )


def test_type_checking_and_function_level_imports_are_rewritten() -> None:
    """Imports under `if TYPE_CHECKING:` and inside functions are found like any other."""
    text = _rewrite(
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from firecrawl_feedback_api.models import FeedbackResponse
        def load() -> None:
            from firecrawl_feedback import _api  # noqa: PLC0415
        """
    )
    assert "from ._generated.models import FeedbackResponse" in text
    assert "    from . import _api  # noqa: PLC0415" in text


def test_strings_comments_and_docstrings_get_the_full_dotted_name() -> None:
    """Entry points, import_module arguments, f-strings, docstring examples and comments."""
    text = _rewrite(
        '''
        """Use it like this:

            from firecrawl_feedback import FeedbackClient
        """
        import importlib
        ENTRY = "firecrawl_feedback._cli:main"
        models = importlib.import_module("firecrawl_feedback_api.models")
        name = f"{1}firecrawl_feedback.testing"  # see firecrawl_feedback._api
        '''
    )
    assert "    from acme_sdk._vendor.ffb import FeedbackClient\n" in text
    assert 'ENTRY = "acme_sdk._vendor.ffb._cli:main"' in text
    assert 'import_module("acme_sdk._vendor.ffb._generated.models")' in text
    assert 'f"{1}acme_sdk._vendor.ffb.testing"  # see acme_sdk._vendor.ffb._api' in text


def test_lookalikes_are_left_alone() -> None:
    """Attributes, longer identifiers, other packages' submodules, hyphenated and env names stay."""
    source = textwrap.dedent(
        """
        obj.firecrawl_feedback = 1
        firecrawl_feedback_extra = "acme.firecrawl_feedback"
        PRODUCT = "firecrawl-feedback-python"
        KEY = "FIRECRAWL_API_KEY"
        """
    )
    result = rewrite_python(source, package="acme", renaming=RENAMING)
    assert result.text == source
    assert result.changed_lines == 0


def test_columns_after_non_ascii_text_on_the_same_line() -> None:
    """ast counts bytes and tokenize characters; an accent before the import must not shift it."""
    text = _rewrite('NOTE = "café"; from firecrawl_feedback_api import types\n')
    assert text == 'NOTE = "café"; from ._generated import types\n'


def test_changed_lines_counts_lines_not_edits() -> None:
    """Two references on one line count once; a long docstring counts only its changed line."""
    result = rewrite_python(
        textwrap.dedent(
            '''
            """Intro.

            Example: from firecrawl_feedback import FeedbackClient, not firecrawl_feedback_api.
            Nothing here.
            """
            from firecrawl_feedback_api import types
            '''
        ),
        package="acme",
        renaming=Renaming("acme"),
    )
    assert result.changed_lines == 2
    assert "Example: from acme import FeedbackClient, not acme._generated." in result.text


def test_constants_are_replaced_by_name() -> None:
    """A module-level string constant gets the given value, quoted; the rest of the line stays."""
    result = rewrite_python(
        'LOGGER_NAME: Final = "firecrawl_feedback"  # the logger\nOTHER = "x"\n',
        package="acme",
        renaming=Renaming("acme"),
        constants={"LOGGER_NAME": "acme.feedback"},
    )
    assert result.text == 'LOGGER_NAME: Final = "acme.feedback"  # the logger\nOTHER = "x"\n'
    assert result.changed_lines == 1


def test_a_missing_constant_is_an_error() -> None:
    """Asking to override a constant the file does not define fails instead of doing nothing."""
    with pytest.raises(VendorError, match="no module-level USER_AGENT_PRODUCT"):
        rewrite_python(
            "X = 1\n", package="acme", renaming=RENAMING, constants={"USER_AGENT_PRODUCT": "a"}
        )


def test_unparsable_source_is_an_error_naming_the_file() -> None:
    """A file that does not parse is reported with its path."""
    with pytest.raises(VendorError, match=r"^x\.py: cannot be parsed"):
        rewrite_python(
            "from firecrawl_feedback import (\n", package="a", renaming=RENAMING, where="x.py"
        )


def test_code_references_finds_what_the_rewrite_must_remove() -> None:
    """The post-rewrite verification sees imports and bare names, but not text."""
    source = 'import firecrawl_feedback\nx = 1\nfirecrawl_feedback_api.y\n"firecrawl_feedback"\n'
    assert code_references(source) == [1, 3]


def test_strings_ending_on_a_keep_line_are_left_alone() -> None:
    """``# vendoring: keep`` keeps names that only look like module paths; the rest still change."""
    text = _rewrite(
        '''
        TOOL = "firecrawl_feedback"  # vendoring: keep
        def f():
            """Calls the ``firecrawl_feedback`` tool."""  # vendoring: keep
        LOGGER = "firecrawl_feedback"
        import firecrawl_feedback  # vendoring: keep
        '''
    )
    assert 'TOOL = "firecrawl_feedback"  # vendoring: keep' in text
    assert '"""Calls the ``firecrawl_feedback`` tool."""' in text
    assert 'LOGGER = "acme_sdk._vendor.ffb"' in text
    assert "import acme_sdk._vendor.ffb  # vendoring: keep" in text  # code is always rewritten
