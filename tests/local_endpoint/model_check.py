"""Check a response body against botocore's output shape: types, required and unknown members, enums, lengths,
patterns. botocore itself checks none of that on responses, so this is what keeps the endpoint true to the model."""

from __future__ import annotations

import re
from typing import Any
from typing import List

from botocore.model import Shape

TYPES = {"string": str, "integer": int, "long": int, "boolean": bool, "double": float, "float": float}


def problems(value: Any, shape: Shape, where: str = "") -> List[str]:
    """Every way value breaks shape, each naming where."""
    if shape.type_name == "structure":
        return _structure(value, shape, where)
    if shape.type_name == "list":
        if not isinstance(value, list):
            return [f"{where}: a list was expected, got {value!r}"]
        return [
            found for index, item in enumerate(value) for found in problems(item, shape.member, f"{where}[{index}]")
        ]
    if shape.type_name == "string":
        return _string(value, shape, where)
    expected = TYPES.get(shape.type_name)
    if expected and not isinstance(value, expected):
        return [f"{where}: {shape.type_name} expected, got {value!r}"]
    return []


def _structure(value: Any, shape: Shape, where: str) -> List[str]:
    if not isinstance(value, dict):
        return [f"{where}: a structure was expected, got {value!r}"]
    found = [f"{where}.{name}: not in the model" for name in value if name not in shape.members]
    found += [f"{where}.{name}: required, missing" for name in shape.required_members if name not in value]
    for name, member in shape.members.items():
        if name in value:
            found += problems(value[name], member, f"{where}.{name}")
    return found


def _string(value: Any, shape: Shape, where: str) -> List[str]:
    if not isinstance(value, str):
        return [f"{where}: a string was expected, got {value!r}"]
    found = []
    if shape.enum and value not in shape.enum:
        found.append(f"{where}: {value!r} is not one of {shape.enum}")
    rules = shape.metadata
    if len(value) < rules.get("min", 0) or len(value) > rules.get("max", len(value)):
        found.append(f"{where}: {value!r} is not {rules.get('min', 0)} to {rules.get('max')} characters long")
    pattern = rules.get("pattern")
    if pattern and not re.fullmatch(pattern.lstrip("^").rstrip("$"), value):
        found.append(f"{where}: {value!r} does not match {pattern}")
    return found
