"""Vendoring: a self-contained, renamed copy of the wrapper and the generated client.

One module per concern, in the order ``vendor.py`` uses them:

- ``names``: the original package names, the copy's layout and how names map.
- ``rewrite``: token-exact rewrite of one Python file's references to the originals.
- ``render``: the whole copy in memory (files kept, left out, rewritten, checked).
- ``stamp``: the ``_vendored.json`` stamp and the copy's content hash.
- ``install``: writing the copy to disk (parent packages, safe replacement).
- ``compare``: what differs between a copy on disk and a fresh render (``--check``).
"""
