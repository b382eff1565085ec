"""Keep the selected operations and exactly the components they reach."""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from . import pointer
from .errors import SpecInputError
from .extract import Fragment

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The canonical spec's format label. The docs' label is not structure: it drifts between
# languages (3.0.0 in one, 3.1.0 in another) over schemas the sources must agree on, and
# those are written in 3.0's terms (nullable). Any 3.x label is read; the output has this.
CANONICAL_OPENAPI = "3.0.0"
# Plain YAML reads "openapi: 3.1" as a number: that is a 3.x label too.
_OPENAPI_3 = re.compile(r"3\.\d+(?:\.\d+(?:-\S+)?)?")


# The client's operations by their ids too: a language whose docs translate the tag
# ("Retour") still takes part (see Selection.filed_under).
FEEDBACK_OPERATION_IDS = ("submitEndpointFeedback", "submitSearchFeedback")


@dataclass(frozen=True)
class Selection:
    """Which operations make up the client: by tag, or by operationId."""

    tags: tuple[str, ...] = ("Feedback",)
    operation_ids: tuple[str, ...] = FEEDBACK_OPERATION_IDS

    def wants(self, operation: dict[str, Any]) -> bool:
        if operation.get("operationId") in self.operation_ids:
            return True
        return any(tag in self.tags for tag in operation.get("tags", ()))

    def filed_under(self, operation: dict[str, Any]) -> list[str]:
        """The operation's tags in the canonical spec: the generator files it (api/feedback)
        under the first. One selected tag, the first the operation has, else the first
        selected: a language that translates the tag ("Retour") files it like English."""
        tags = operation.get("tags", [])
        return [next((t for t in self.tags if t in tags), self.tags[0])] if self.tags else tags

    def as_dict(self) -> dict[str, list[str]]:
        return {"tags": sorted(self.tags), "operationIds": sorted(self.operation_ids)}

    def describe(self) -> str:
        wanted = [f"tag {', '.join(sorted(self.tags))}"] if self.tags else []
        if self.operation_ids:
            wanted.append(f"operationId {', '.join(sorted(self.operation_ids))}")
        return " or ".join(wanted)


def selected_paths(doc: dict[str, Any], selection: Selection | None) -> dict[str, Any]:
    """The path items holding selected operations (None: every one), cut down to those."""
    paths: dict[str, Any] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        kept = {
            m: op
            for m, op in item.items()
            if m in HTTP_METHODS
            and isinstance(op, dict)
            and (selection is None or selection.wants(op))
        }
        if kept:
            if "parameters" in item:
                kept["parameters"] = item["parameters"]
            paths[path] = kept
    return paths


def per_source(fragments: list[Fragment], selection: Selection) -> list[Fragment]:
    """Each fragment cut down to the selection; those with no selected operation drop out.

    Selecting before the sources are compared means that only what the client
    is built from must agree: other APIs' specs in the same docs (v1, webhooks)
    may use the same schema names for other things.
    """
    taking_part = []
    for fragment in fragments:
        # A spec's block (or file) holding only components joins the others; only
        # what the selected operations reach is kept.
        alone = "paths" not in fragment.document and "webhooks" not in fragment.document
        if not alone and not selected_paths(fragment.document, selection):
            continue
        label = fragment.document["openapi"]
        if not (isinstance(label, (str, float)) and _OPENAPI_3.fullmatch(str(label))):
            raise SpecInputError(f"{fragment.path}: openapi: {label!r} is not an OpenAPI 3 version")
        if alone:
            document = {"openapi": CANONICAL_OPENAPI, "components": fragment.document["components"]}
        else:
            try:
                document = select(fragment.document, selection, strict=False)
            except SpecInputError as exc:
                raise SpecInputError(f"{fragment.path}: {exc}") from None
        taking_part.append(dataclasses.replace(fragment, document=document))
    if not any(selected_paths(f.document, selection) for f in taking_part):
        raise SpecInputError(
            f"no operation matches the selection (with {selection.describe()}) in the "
            f"{len(fragments)} OpenAPI documents found; check --tag / --operation-id "
            "against the sources"
        )
    _refs_resolve(taking_part, fragments)
    return taking_part


def _refs_resolve(taking_part: list[Fragment], fragments: list[Fragment]) -> None:
    """Every $ref the selected operations reach names a component some taking part defines.

    A source may rely on another for a component, but not on another API's spec
    (v1 uses the same schema names for other things).
    """
    defined: dict[str, tuple[Fragment, Any]] = {}
    for fragment in taking_part:
        for kind, named in (fragment.document.get("components") or {}).items():
            for name, value in named.items() if isinstance(named, dict) else ():
                defined.setdefault(f"#/components/{kind}/{name}", (fragment, value))
    pending = [(f, f.document) for f in taking_part if "paths" in f.document]
    seen: set[str] = set()
    while pending:
        fragment, node = pending.pop()
        for _, value in pointer.walk(node):
            ref = value.get("$ref") if isinstance(value, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                continue
            seen.add(ref)
            if ref not in defined:
                elsewhere = [f.path for f in fragments if ref in _components(f.document)]
                where = f" (only in {elsewhere[0]}, another API's spec)" if elsewhere else ""
                raise SpecInputError(
                    f"{fragment.path}: $ref {ref} is defined in no source of the selected "
                    f"operations{where}"
                )
            pending.append(defined[ref])


def _components(document: dict[str, Any]) -> set[str]:
    return {
        f"#/components/{kind}/{name}"
        for kind, named in (document.get("components") or {}).items()
        if isinstance(named, dict)
        for name in named
    }


def select(
    doc: dict[str, Any], selection: Selection | None, *, strict: bool = True
) -> dict[str, Any]:
    """The selected operations (None: every one) and the components they reach.

    Not ``strict``: a $ref the document cannot resolve is left for the merged
    document to resolve (a page may rely on a component another source has).
    """
    paths = selected_paths(doc, selection)
    if not paths:
        raise SpecInputError(
            f"no operation matches the selection {selection and selection.as_dict()}; "
            "check --tag / --operation-id against the sources"
        )
    out: dict[str, Any] = {"openapi": CANONICAL_OPENAPI}
    if "servers" in doc:
        out["servers"] = copy.deepcopy(doc["servers"])
    # Of the docs site's metadata only the API version is structure; contact
    # names and the like are localized, and the first source's would win.
    if "version" in doc.get("info", {}):
        out["info"] = {"version": doc["info"]["version"]}
    out["paths"] = copy.deepcopy(paths)
    if selection is not None:
        for item in out["paths"].values():
            for method, operation in item.items():
                if method in HTTP_METHODS:
                    operation["tags"] = selection.filed_under(operation)
    security = doc.get("security")
    if security is not None:
        out["security"] = copy.deepcopy(security)
    components = _reachable_components(doc, out, strict)
    if components:
        out["components"] = components
    return out


def _reachable_components(
    doc: dict[str, Any], roots: dict[str, Any], strict: bool
) -> dict[str, Any]:
    available = doc.get("components", {})
    found: dict[str, dict[str, Any]] = {}
    pending = [roots]
    while pending:
        node = pending.pop()
        for _, value in pointer.walk(node):
            refs: list[tuple[str, str]] = []
            if isinstance(value, dict) and isinstance(value.get("$ref"), str):
                refs.append(_component_of(value["$ref"]))
            for kind, name in refs:
                if name in found.get(kind, {}):
                    continue
                try:
                    target = available[kind][name]
                except KeyError:
                    if not strict:
                        continue
                    raise SpecInputError(f"unresolved $ref #/components/{kind}/{name}") from None
                found.setdefault(kind, {})[name] = copy.deepcopy(target)
                pending.append(target)
    # Security requirements name schemes without a $ref.
    for requirement in _security_requirements(roots):
        for name in requirement:
            schemes = available.get("securitySchemes", {})
            if name in schemes:
                found.setdefault("securitySchemes", {})[name] = copy.deepcopy(schemes[name])
    return found


def _security_requirements(roots: dict[str, Any]) -> list[dict[str, Any]]:
    requirements = list(roots.get("security", []))
    for item in roots["paths"].values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                requirements.extend(operation.get("security", []))
    return requirements


def _component_of(ref: str) -> tuple[str, str]:
    tokens = pointer.split(ref[1:]) if ref.startswith("#") else []
    if len(tokens) != 3 or tokens[0] != "components":
        raise SpecInputError(f"unsupported $ref {ref!r} (only #/components/<kind>/<name>)")
    return tokens[1], tokens[2]


def owner(ptr: str) -> str | None:
    """The operation (or path) or component that ``ptr`` belongs to; None above them."""
    tokens = pointer.split(ptr)
    head = tokens[0] if tokens else ""
    if head == "paths":
        depth = 3 if len(tokens) >= 3 and tokens[2] in HTTP_METHODS else 2
    elif head == "components":
        depth = 3
    else:
        return None
    return pointer.join("", *tokens[:depth]) if len(tokens) >= depth else None


def outside(doc: dict[str, Any], ptr: str) -> bool:
    """True when ``ptr`` belongs to an operation or component the selection left out.

    Overrides and English descriptions cover every feedback operation; a run
    that selects fewer (one docs page, ``--operation-id``) skips the entries
    about the others instead of failing on them.
    """
    own = owner(ptr)
    if own is None:
        return False
    try:
        pointer.resolve(doc, own)
    except (KeyError, IndexError, TypeError):
        return True
    return False
