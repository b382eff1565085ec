"""Read YAML as OpenAPI documents and docs front matter are written: ruamel's safe loader, adjusted.

- YAML 1.2 allows a tab wherever white space separates tokens on a line
  (``openapi:\t'/fr/... POST /feedback'``, ``type: string\t``, a blank line
  holding a tab); only indentation must be spaces. ruamel, like PyYAML,
  refuses every tab outside quoted and flow text, so the scanner here accepts
  them where the YAML grammar does and still refuses them as indentation.
- OpenAPI requires JSON-compatible YAML: mapping keys are strings (``200:`` is
  the response "200", not the number 200) and there are no timestamps
  (``version: 2024-01-01`` is a string), and no ``.nan`` or ``.inf`` (JSON has
  neither), so values always dump back to JSON.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.nodes import MappingNode, ScalarNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import Scanner

_STR = "tag:yaml.org,2002:str"
# Tags the core schema resolves plain scalars to, besides str.
_RESOLVED = {f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null", "timestamp")}
_LINE_END = "\0\r\n"
# A block scalar's header after its "|" or ">": indicators, then white space to a comment.
_BLOCK_HEADER = re.compile(r"[-+1-9]{0,2}([ \t]*)(?:#.*)?$")


class _Scanner(Scanner):  # type: ignore[misc]  # ruamel ships no type information
    """ruamel's scanner with YAML 1.2's tabs: separation on a line, never indentation."""

    def reset_scanner(self) -> None:
        super().reset_scanner()
        # The line of the last token: a tab later on that line follows a token.
        self._token_line = -1

    def scan_to_next_token(self) -> None:
        super().scan_to_next_token()
        reader = self.reader
        while reader.peek() == "\t" and self._tab_separates():
            while reader.peek() in " \t":
                reader.forward()
            super().scan_to_next_token()
        self._token_line = reader.line

    def _tab_separates(self) -> bool:
        if self.reader.line == self._token_line:
            return True
        # At the start of a line only a blank or comment-only line may hold tabs.
        rest = self._rest_of_line().lstrip(" \t")
        return rest == "" or rest.startswith("#")

    def scan_plain_spaces(self, indent: Any, start_mark: Any) -> Any:
        # Tabs between two words of a plain scalar on one line are part of its text.
        length = 0
        while self.reader.peek(length) in " \t":
            length += 1
        whitespace = self.reader.prefix(length)
        if "\t" in whitespace and self.reader.peek(length) not in _LINE_END + "#":
            # Kept only if the scalar goes on: scan_plain drops it before a ": " or ",".
            self.reader.forward(length)
            return [whitespace]
        return super().scan_plain_spaces(indent, start_mark)

    def scan_block_scalar_indicators(self, start_mark: Any) -> Any:
        # The header (">-", "|2") may end in tabs before a comment or the line end.
        reader = self.reader
        header = _BLOCK_HEADER.match(self._rest_of_line())
        if header is not None and "\t" in header[1]:
            at = reader.pointer + header.start(1)
            spaces = " " * len(header[1])
            reader.buffer = reader.buffer[:at] + spaces + reader.buffer[at + len(spaces) :]
        return super().scan_block_scalar_indicators(start_mark)

    def _rest_of_line(self) -> str:
        length = 0
        while self.reader.peek(length) not in _LINE_END:
            length += 1
        return str(self.reader.prefix(length))


class _Constructor(SafeConstructor):  # type: ignore[misc]
    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag in _RESOLVED:
                    key_node.tag = _STR  # the key as written: "200", "true", "1.0"
        return super().construct_mapping(node, deep=deep)

    def construct_finite_float(self, node: Any) -> Any:
        value = self.construct_yaml_float(node)
        if math.isfinite(value):
            return value
        reason = f"{node.value} is not a JSON number (JSON has no NaN or infinity)"
        raise ConstructorError(None, None, reason, node.start_mark)

    def construct_not_json(self, node: Any) -> Any:
        raise ConstructorError(
            None, None, f"{node.tag} values have no JSON equivalent", node.start_mark
        )


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_finite_float)
for _name in ("binary", "set", "omap", "pairs"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_name}", _Constructor.construct_not_json)


def load(text: str) -> Any:
    """The one YAML document in ``text``; raises ruamel's YAMLError when it is not one."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = _Scanner
    yaml.Constructor = _Constructor
    return yaml.load(text)


def problem(exc: Exception, text: str) -> tuple[int, str]:
    """(0-based line, one-line reason) of an error ``load`` raised reading ``text``."""
    if isinstance(exc, ReaderError) and isinstance(exc.character, int):
        # A character YAML never allows (a control character): its line, not its offset.
        line = text.count("\n", 0, exc.position)
        return line, f"character U+{exc.character:04X} is not allowed in YAML"
    mark = getattr(exc, "problem_mark", None)
    line = mark.line if mark is not None else 0
    lines = text.split("\n")
    at = lines[line] if line < len(lines) else ""
    if "\t" in at[: len(at) - len(at.lstrip(" \t"))]:
        # An editor's "spaces to tabs": the scanner's words would not say it.
        return line, "a tab in the indentation; YAML indents with spaces only"
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    reason = ", ".join(str(part) for part in parts if part) or f"{type(exc).__name__}: {exc}"
    return line, " ".join(reason.split())
