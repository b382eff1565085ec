"""The package seen from above: its modules in layers, each importing only from below.

A module may import its own subpackage and any module of a lower layer, never
one of its own layer or above (imports read with ``ast``, lazy and
``TYPE_CHECKING`` ones included). The reference server is an independent
oracle: it imports nothing from the client.
"""

from __future__ import annotations

from tests.conformance.test_import_cycles import ROOT, import_graph

#: Bottom to top; README.md ("How the package is built") draws the same picture.
LAYERS: list[set[str]] = [
    # Facts and leaves: the gate to the generated code, defaults, the server's extra
    # rules, JavaScript's view of strings, field paths, the result type.
    {"_api", "_defaults", "_limits", "_sentinel", "_version", "_fieldpath"},
    {"_jsvalues", "_result", "_retry_after", "_problems"},
    {"_errors", "_urls", "_logging", "_models"},
    # What the clients are made of: settings, the rules walk, docs, answers, failures.
    {"_config", "_validation", "_docs", "_response", "_failures", "_tools"},
    {"_retry"},
    {"_types"},
    {"_client"},
    # Built on the clients: the background sender and the command line.
    {"_sender", "_cli"},
    # The package's face: lazy names over all of the above.
    {"__init__"},
]
#: Stands apart: imports nothing from the layers above.
ORACLE = "testing"


def _layer_of(module: str) -> tuple[str, int]:
    """(top-level name under the package, its layer) of a dotted module name."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return top, index
    return top, -1


def test_every_module_has_a_layer() -> None:
    graph = import_graph(ROOT, "firecrawl_feedback")
    unplaced = {_layer_of(m)[0] for m in graph if _layer_of(m)[1] == -1} - {ORACLE}
    assert unplaced == set(), "place these modules in LAYERS (and README.md)"


def test_each_module_imports_only_from_lower_layers() -> None:
    graph = import_graph(ROOT, "firecrawl_feedback")
    wrong = []
    for module, targets in graph.items():
        top, layer = _layer_of(module)
        for target in targets:
            target_top, target_layer = _layer_of(target)
            if target_top == top:
                continue  # within its own module or subpackage
            if top == ORACLE or (target_top != ORACLE and target_layer >= layer):
                wrong.append(f"{module} -> {target}")
    assert wrong == []
