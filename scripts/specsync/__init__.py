"""Spec sync: Firecrawl's published docs (any language) -> one canonical spec -> generated client.

One module per step, in the order ``regenerate.py`` runs them:

- ``extract``: find the OpenAPI fragments in docs pages and full documents.
- ``agree``: check that every source says the same thing structurally.
- ``select``: keep the feedback operations and what they reach.
- ``prose``: drop localized prose and put the project's English text back.
- ``overrides``: apply the commented JSON-pointer patches for the live server.
- ``generate``: run openapi-python-client and stamp every file.
- ``report``: describe what changed between two canonical specs.
"""
