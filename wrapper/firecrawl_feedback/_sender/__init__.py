"""The background senders: rate jobs from a pipeline without waiting.

A layer above the clients: it sends through them and they never import it.
Each rating is validated on the caller's thread, then delivered by one engine
(``_engine``) with the client's failure classification and retry policy,
before the item's deadline or not at all.
"""

from ._async import AsyncFeedbackSender
from ._outcomes import SenderCounts, SendOutcome
from ._sync import FeedbackSender

__all__ = ["AsyncFeedbackSender", "FeedbackSender", "SendOutcome", "SenderCounts"]
