"""The one place the wrapper reaches the generated client.

Every other wrapper module imports generated names from here, so a vendored
copy (scripts/vendor.py) rewrites a single import line.
"""

from firecrawl_feedback_api import AuthenticatedClient
from firecrawl_feedback_api.api.feedback import submit_endpoint_feedback, submit_search_feedback
from firecrawl_feedback_api.client import encode_json
from firecrawl_feedback_api.models import (
    EndpointFeedbackRequest,
    EndpointFeedbackRequestMetadata,
    FeedbackEndpoint,
    FeedbackErrorResponse,
    FeedbackRating,
    FeedbackResponse,
    MissingContent,
    SearchFeedbackRequest,
    ValuableSource,
)
from firecrawl_feedback_api.spec_docs import PARAMETER_DOCS, WIRE_NAMES
from firecrawl_feedback_api.spec_schemas import COMPONENT_SCHEMAS, OPERATIONS, SCHEMA_DESCRIPTIONS
from firecrawl_feedback_api.spec_types import Endpoint, Integration, Rating
from firecrawl_feedback_api.types import UNSET, Response, Unset

__all__ = [
    "COMPONENT_SCHEMAS",
    "OPERATIONS",
    "PARAMETER_DOCS",
    "SCHEMA_DESCRIPTIONS",
    "UNSET",
    "WIRE_NAMES",
    "AuthenticatedClient",
    "Endpoint",
    "EndpointFeedbackRequest",
    "EndpointFeedbackRequestMetadata",
    "FeedbackEndpoint",
    "FeedbackErrorResponse",
    "FeedbackRating",
    "FeedbackResponse",
    "Integration",
    "MissingContent",
    "Rating",
    "Response",
    "SearchFeedbackRequest",
    "Unset",
    "ValuableSource",
    "encode_json",
    "submit_endpoint_feedback",
    "submit_search_feedback",
]
