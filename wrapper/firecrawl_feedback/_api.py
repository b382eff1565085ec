"""The one place the wrapper reaches the generated client.

Every other wrapper module imports generated names from here, so a vendored
copy (scripts/vendor.py) rewrites the names of this one module.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any, Final

from firecrawl_feedback_api.models import FeedbackEndpoint, FeedbackRating
from firecrawl_feedback_api.spec_docs import ARG_DOCS, BODY_ARG_DOCS, RULE_DOCS, WIRE_RULE_DOCS
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

if TYPE_CHECKING:
    from firecrawl_feedback_api import AuthenticatedClient
    from firecrawl_feedback_api.api.feedback import (
        submit_endpoint_feedback,
        submit_search_feedback,
    )
    from firecrawl_feedback_api.client import cut_at_deadline, deadline_client, encode_json
    from firecrawl_feedback_api.models import (
        EndpointFeedbackRequest,
        EndpointFeedbackRequestMetadata,
        FeedbackErrorResponse,
        FeedbackResponse,
        MissingContent,
        SearchFeedbackRequest,
        ValuableSource,
    )
    from firecrawl_feedback_api.types import UNSET, Response, Unset

# The client, the operations and the attrs models load on first use (a client's
# construction, a call's validation): attrs and the models cost about a fifth of
# an `import httpx`. The enums and the spec's tables above are plain and cheap.
# Modules that need a lazy name read it as `_api.Name` when they run, not at import.
_GENERATED = "firecrawl_feedback_api"
#: Each lazy name -> its module, relative to the generated package (the
#: operations are modules themselves).
_LAZY = {
    "AuthenticatedClient": ".client",
    "cut_at_deadline": ".client",
    "deadline_client": ".client",
    "encode_json": ".client",
    "submit_endpoint_feedback": ".api.feedback.submit_endpoint_feedback",
    "submit_search_feedback": ".api.feedback.submit_search_feedback",
    "UNSET": ".types",
    "Response": ".types",
    "Unset": ".types",
    **dict.fromkeys(
        (
            "EndpointFeedbackRequest",
            "EndpointFeedbackRequestMetadata",
            "FeedbackErrorResponse",
            "FeedbackResponse",
            "MissingContent",
            "SearchFeedbackRequest",
            "ValuableSource",
        ),
        ".models",
    ),
}


#: The spec's two operations, by operationId: the keys of FIELDS and TOOL_INPUTS.
FEEDBACK: Final = "submitEndpointFeedback"  # POST /v2/feedback
SEARCH: Final = "submitSearchFeedback"  # POST /v2/search/{jobId}/feedback

#: Each field's keyword name by its wire name, from the table (``jobId`` -> ``job_id``).
PYTHON_NAMES: dict[str, str] = {f.wire: f.name for rows in FIELDS.values() for f in rows}


if not TYPE_CHECKING:
    # Out of type checkers' sight, as in the package's __init__: a lazy name missing
    # from the imports above fails the checks instead of becoming Any.
    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        loaded = import_module(module, _GENERATED)
        value = loaded if module.endswith("." + name) else getattr(loaded, name)
        globals()[name] = value  # later lookups are plain attribute reads
        return value


__all__ = [
    "ARG_DOCS",
    "BODY_ARG_DOCS",
    "COMPONENT_SCHEMAS",
    "FEEDBACK",
    "FIELDS",
    "PYTHON_NAMES",
    "RULE_DOCS",
    "SEARCH",
    "SHORT_FORMS",
    "TOOL_INPUTS",
    "UNSET",
    "WIRE_RULE_DOCS",
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
    "cut_at_deadline",
    "deadline_client",
    "encode_json",
    "submit_endpoint_feedback",
    "submit_search_feedback",
]
