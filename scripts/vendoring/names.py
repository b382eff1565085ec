"""The original package names, the copy's layout, and the mapping between them."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from .errors import VendorError

WRAPPER = "firecrawl_feedback"
GENERATED = "firecrawl_feedback_api"
ORIGINALS = frozenset({WRAPPER, GENERATED})

#: The generated client lives inside the copy, under this private subpackage.
GENERATED_SUBPACKAGE = "_generated"
#: Wrapper subpackages never copied (the CLI is this project's own tool).
ALWAYS_OMITTED = ("_cli",)
#: The reference server, copied only with --with-testing.
TESTING = "testing"
STAMP_FILE = "_vendored.json"

#: An original top-level name used as a module path in text: not part of a
#: longer identifier nor a submodule of something else (``acme.firecrawl_feedback``).
ORIGINAL_IN_TEXT = re.compile(r"(?<![\w.])(firecrawl_feedback_api|firecrawl_feedback)(?!\w)")


@dataclass(frozen=True)
class Renaming:
    """Where the originals go: wrapper -> ``package``, client -> ``package._generated``."""

    package: str

    @property
    def generated(self) -> str:
        return f"{self.package}.{GENERATED_SUBPACKAGE}"

    def top_level(self, original: str) -> str:
        """The new dotted name standing for an original top-level package name."""
        return self.generated if original == GENERATED else self.package

    def module(self, dotted: str) -> str:
        """An original dotted module path (``firecrawl_feedback_api.models``) in the copy."""
        top, _, rest = dotted.partition(".")
        new_top = self.top_level(top)
        return f"{new_top}.{rest}" if rest else new_top

    def in_text(self, text: str) -> str:
        """Text with every original module path replaced (docstrings, comments, strings)."""
        return ORIGINAL_IN_TEXT.sub(lambda m: self.top_level(m.group(1)), text)


def validate_package(package: str) -> str:
    """The dotted name the copy is imported as; VendorError when unusable."""
    parts = package.split(".")
    for part in parts:
        if not part.isidentifier() or keyword.iskeyword(part):
            raise VendorError(f"--package {package!r}: {part!r} is not a Python identifier")
        if part.startswith("__") and part.endswith("__"):
            # __init__, __main__: Python's own module names, not a package to import.
            raise VendorError(f"--package {package!r}: {part!r} is a name Python reserves")
    if parts[0] in ORIGINALS:
        # The point of vendoring is to not clash with an installed original.
        raise VendorError(
            f"--package {package!r}: the top-level name must not be {parts[0]!r}; "
            "vendor under your own package (for example acme_sdk._vendor.firecrawl_feedback)"
        )
    return package
