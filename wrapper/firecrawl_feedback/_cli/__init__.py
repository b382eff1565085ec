"""The ``firecrawl-feedback`` command-line tool (private; the console script calls :func:`main`).

The rest loads in :func:`main`, not here (about 0.1 s): a Ctrl-C meanwhile then ends like
any other, in one line and exit 130, not in a traceback.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        from ._main import main as run  # noqa: PLC0415 (see above)
    except KeyboardInterrupt:
        import signal  # noqa: PLC0415

        from ._handlers import handling  # noqa: PLC0415

        # Ending already: a second Ctrl-C must not cut the first one's report short.
        with handling(signal.SIGINT, signal.SIG_IGN):
            from ._main import interrupted  # noqa: PLC0415

            return interrupted(list(sys.argv[1:] if argv is None else argv))
    return run(argv)
