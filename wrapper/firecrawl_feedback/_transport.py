"""Send through a caller's own httpx client without changing it.

The generated client builds an httpx client with the API's base URL and the
bearer token. When the caller brings an ``httpx.Client`` (for proxies, event
hooks, a ``MockTransport`` in tests...), the generated client's requests are
forwarded to it fully built, so the caller's client is used as it is and
never mutated.
"""

from __future__ import annotations

import httpx


class ForwardToClient(httpx.BaseTransport):
    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._client.send(request, stream=True)


class ForwardToAsyncClient(httpx.AsyncBaseTransport):
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)
