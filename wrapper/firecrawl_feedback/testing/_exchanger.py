"""What the ways in (the in-process transport, the HTTP server) need of the fake.

A Protocol, so that they do not import the fake's module, which imports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ._answers import Answer
    from ._faults import Fault, Faults


class Exchanger(Protocol):
    """Turns one request into its answer (``None``: send nothing), faults included."""

    @property
    def faults(self) -> Faults:
        """The fault schedule; each way in draws the fault of a request from it."""
        ...

    def exchange(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, fault: Fault | None
    ) -> Answer | None:
        """Process (unless the fault forbids it) and log one request."""
        ...
