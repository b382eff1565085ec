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
from firecrawl_feedback_api.spec_fields import (
    FIELDS,
    SHORT_FORMS,
    EndpointFeedbackFields,
    Field,
    MissingContentInput,
    SearchFeedbackFields,
    ValuableSourceInput,
)
from firecrawl_feedback_api.spec_schemas import COMPONENT_SCHEMAS, TOOL_INPUTS
from firecrawl_feedback_api.spec_types import Endpoint, Integration, Rating
from firecrawl_feedback_api.types import UNSET, Response, Unset

__all__ = [
    "COMPONENT_SCHEMAS",
    "FIELDS",
    "REQUEST_MODELS",
    "SHORT_FORMS",
    "TOOL_INPUTS",
    "UNSET",
    "AuthenticatedClient",
    "Endpoint",
    "EndpointFeedbackFields",
    "EndpointFeedbackRequest",
    "EndpointFeedbackRequestMetadata",
    "FeedbackEndpoint",
    "FeedbackErrorResponse",
    "FeedbackRating",
    "FeedbackResponse",
    "Field",
    "Integration",
    "MissingContent",
    "MissingContentInput",
    "Rating",
    "Response",
    "SearchFeedbackFields",
    "SearchFeedbackRequest",
    "Unset",
    "ValuableSource",
    "ValuableSourceInput",
    "encode_json",
    "submit_endpoint_feedback",
    "submit_search_feedback",
]

#: Each operation's request model (the generated operations are wired in _client).
REQUEST_MODELS: dict[str, type[EndpointFeedbackRequest] | type[SearchFeedbackRequest]] = {
    "submitEndpointFeedback": EndpointFeedbackRequest,
    "submitSearchFeedback": SearchFeedbackRequest,
}
