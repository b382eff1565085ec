"""Spec sync: Firecrawl's published docs (any language) -> one canonical spec -> generated client.

One module per step, in the order ``regenerate.py`` runs them:

- ``sources``: gather the sources: files, folders, docs checkouts (with ``docsrepo``
  for the docs root, languages and commit, ``frontmatter`` for pages naming a spec).
- ``extract``: find the OpenAPI fragments in docs pages (``fences`` finds their fenced
  blocks) and full documents (``yamlload`` reads YAML as OpenAPI and YAML 1.2 define it).
- ``select``: keep the feedback operations and what they reach, in each source.
- ``agree``: check that the sources holding them say the same thing structurally.
- ``prose``: drop localized prose and put the project's English text back.
- ``overrides``: apply the commented JSON-pointer patches for the live server.
- ``generate``: run openapi-python-client and stamp every file.
- ``report``: describe what changed between two canonical specs; ``changelog``
  writes that as Markdown or JSON.
"""
