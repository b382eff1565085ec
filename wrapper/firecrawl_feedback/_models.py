"""The generated request models, built from a checked wire body.

``Model.from_dict`` would do, but it re-reads every field (three imports, a
``dict`` copy and a pop per field on each call); the body here is already
checked, so each model is built through its constructor, with one converter
per field read once from the model's own type hints (an enum, a UUID, a
nested model or a list of them): a field the spec adds needs none.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable
from importlib import import_module
from typing import Any

from . import _api

Convert = Callable[[Any], Any]


def build(model: type[Any], body: dict[str, Any]) -> Any:
    """``model`` holding ``body`` (wire names, values as the server would store them).

    A field left out gets the constructor's default (the spec's, e.g. origin "api"),
    where ``from_dict`` would leave it unset: the clients always send origin.
    """
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _plan(model)
    names, converters = plan
    return model(
        **{
            names[key]: value if (convert := converters.get(key)) is None else convert(value)
            for key, value in body.items()
        }
    )


_PLANS: dict[type[Any], tuple[dict[str, str], dict[str, Convert]]] = {}


def _plan(model: type[Any]) -> tuple[dict[str, str], dict[str, Convert]]:
    """Each wire name's attribute name, and the converters of those that need one."""
    models = import_module(_api.EndpointFeedbackRequest.__module__.rpartition(".")[0])
    hints = typing.get_type_hints(model, localns={n: getattr(models, n) for n in models.__all__})
    names = {wire: name for wire, name in _api.PYTHON_NAMES.items() if name in hints}
    converters = {wire: _converter(hints[name]) for wire, name in names.items()}
    return names, {wire: c for wire, c in converters.items() if c is not _same}


def _converter(hint: Any) -> Convert:
    """How a wire value becomes the attribute ``hint`` describes (``X | Unset`` is X)."""
    kinds = [k for k in typing.get_args(hint) or (hint,) if k is not _api.Unset]
    kind = kinds[0] if len(kinds) == 1 else None
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        each = _converter(item)
        if each is _same:
            return _same  # the checked list is a new one already
        return lambda values: [each(value) for value in values]
    import uuid  # noqa: PLC0415 (loaded with the generated models by now; not at import)

    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {member.value: member for member in kind}.__getitem__  # checked: always there
    if isinstance(kind, type) and issubclass(kind, uuid.UUID):
        return kind
    if isinstance(kind, type) and hasattr(kind, "from_dict"):
        return typing.cast("Convert", kind.from_dict)
    return _same


def _same(value: Any) -> Any:
    return value
