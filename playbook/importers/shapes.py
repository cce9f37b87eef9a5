"""What an importer reads of an export, as a JSON Schema checked item by item before it is read.

An export tool writes the same shapes every time; a file that differs was edited by hand, pasted
together or made by another tool. Each message (and the header before it) is checked against
the shape of the fields its importer reads, nothing more (jsonschema-rs, ~0.5 µs a message), so
such a file ends with the JSON path of the first odd value and what was expected there, instead
of an internal error or a value of the wrong type written into the snapshot.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.io.documents import pointer_to_jsonpath

# The types that fields of exports take (`null` where real exports leave a field empty).
TEXT_OR_NULL = {"type": ["string", "null"]}
CHAT_ID = {"type": ["string", "integer", "null"]}
FLAG = {"type": ["boolean", "integer", "null"]}
LIST_OR_NULL = {"type": ["array", "null"]}
STAMP = {"type": ["string", "integer", "number", "null"]}  # epoch seconds; anything else is ignored


def list_of(item: Any) -> dict[str, Any]:
    return {"type": ["array", "null"], "items": item}


class Shape:
    """An object whose named fields, when present, have these shapes; other fields are free."""

    def __init__(self, properties: dict[str, Any]) -> None:
        self.schema = {"type": "object", "properties": properties}

    @functools.cached_property
    def _validator(self) -> Any:  # compiled on first use: importing an importer costs nothing
        return jsonschema_rs.validator_for(self.schema)

    def check(self, name: str, pointer: list[str | int], value: Any, expected: Text) -> None:
        """Raise a located error (`file::$.messages[3].author`) when `value` is not of this shape."""
        if self._validator.is_valid(value):
            return
        from playbook.io.validation import describe_error  # only on the way to an error message

        error = next(iter(self._validator.iter_errors(value)))
        full = [*pointer, *error.instance_path]
        raise PlaybookError.at(
            Location(name, path=pointer_to_jsonpath(full)),
            describe_error(error, full),
            expected
            + Text(
                " 里不会出现这样的值：这个文件是不是被手动改过，或者来自别的工具？",
                " never holds this: was the file edited by hand, or made by another tool?",
            ),
        )
