"""The ``firecrawl-feedback`` command-line tool (private; the console script calls :func:`main`)."""

from ._main import main

__all__ = ["main"]
