"""Ordered lists of sub-forms edited on one page: add, remove, move up or down.

A rubric with ten sections, each with its levels, is one HTML form. Every change
to the list's shape (add, remove, move) is a POST with `op=<action>|<list>|<index>`
that the server applies to the posted values and renders back without saving or
validating, so nothing typed is lost and the page works without JavaScript; with
htmx only the editor is swapped. The Save button validates everything and shows
each error next to its item.

Field names follow `<list>-<i>-<field>`, nested lists `<list>-<i>-<child>-<j>-<field>`,
with `<list>-count` giving each list's length.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict


@dataclass
class ListSpec:
    """One editable list: its item form, its nested lists, and how a new item starts."""

    name: str
    form_class: type[forms.Form]
    label: str  # singular, for messages: "section", "level"
    children: dict[str, ListSpec] = field(default_factory=dict)
    new_item: Callable[[], Node] | None = None
    max_items: int = 30
    min_items: int = 0
    # A field of this item's form that stores an index into one of its child lists
    # (e.g. a section's passing level); kept pointing at the same child when it moves.
    index_fields: dict[str, str] = field(default_factory=dict)  # child list name -> field name

    def blank(self) -> Node:
        if self.new_item is not None:
            return self.new_item()
        return Node(values={}, children={name: [] for name in self.children})


@dataclass
class Node:
    values: dict[str, Any]
    children: dict[str, list[Node]] = field(default_factory=dict)


@dataclass
class Item:
    """What a template renders for one list item."""

    index: int
    prefix: str
    form: forms.Form
    children: dict[str, ItemList]
    problems: list[str] = field(default_factory=list)
    is_first: bool = False
    is_last: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # what a page adds for its template

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class ItemList:
    spec: ListSpec
    prefix: str
    items: list[Item]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def can_add(self) -> bool:
        return len(self.items) < self.spec.max_items

    @property
    def can_remove(self) -> bool:
        return len(self.items) > self.spec.min_items


class OpError(ValueError):
    pass


def parse(
    spec: ListSpec, data: Mapping[str, Any], files: Mapping[str, Any] | None, prefix: str
) -> list[Node]:
    """Read one list (and its nested lists) from POST data, as raw widget values."""
    try:
        count = int(data.get(f"{prefix}-count", 0))
    except (TypeError, ValueError):
        count = 0
    count = max(0, min(count, spec.max_items))
    nodes = []
    for i in range(count):
        item_prefix = f"{prefix}-{i}"
        values = {
            name: f.widget.value_from_datadict(data, files or {}, f"{item_prefix}-{name}")
            for name, f in spec.form_class.base_fields.items()
        }
        children = {
            child_name: parse(child, data, files, f"{item_prefix}-{child_name}")
            for child_name, child in spec.children.items()
        }
        nodes.append(Node(values=values, children=children))
    return nodes


def serialize(
    spec: ListSpec, nodes: list[Node], prefix: str, into: MultiValueDict | None = None
) -> MultiValueDict:
    """Write nodes back as POST-shaped data with canonical indices, for binding forms."""
    data: MultiValueDict = into if into is not None else MultiValueDict()
    data[f"{prefix}-count"] = str(len(nodes))
    for i, node in enumerate(nodes):
        item_prefix = f"{prefix}-{i}"
        for name, value in node.values.items():
            key = f"{item_prefix}-{name}"
            if isinstance(value, list | tuple):
                data.setlist(key, [str(v) for v in value])
            elif value is True:
                data[key] = "on"
            elif value is None or value is False:
                continue
            else:
                data[key] = str(value)
        for child_name, child in spec.children.items():
            serialize(child, node.children.get(child_name, []), f"{item_prefix}-{child_name}", data)
    return data


def serialize_all(specs: dict[str, ListSpec], lists: dict[str, list[Node]]) -> MultiValueDict:
    data: MultiValueDict = MultiValueDict()
    for name, spec in specs.items():
        serialize(spec, lists[name], name, data)
    return data


def apply_op(specs: dict[str, ListSpec], lists: dict[str, list[Node]], op: str) -> str:
    """Apply `action|list-prefix|index` to the parsed lists; returns the prefix of the item
    that should get focus afterwards (or the list's prefix when it is now empty)."""
    try:
        action, target, *rest = op.split("|")
        index = int(rest[0]) if rest and rest[0] != "" else None
    except ValueError:
        raise OpError("That change to the list was not understood.") from None
    parts = target.split("-")
    if not parts or parts[0] not in specs:
        raise OpError("That change to the list was not understood.")
    spec, nodes, parent, parent_spec = specs[parts[0]], lists[parts[0]], None, None
    pos = 1
    while pos < len(parts):
        try:
            parent = nodes[int(parts[pos])]
            parent_spec = spec
            spec = spec.children[parts[pos + 1]]
            nodes = parent.children.setdefault(parts[pos + 1], [])
        except (ValueError, IndexError, KeyError):
            raise OpError("That item is no longer on the page; reload and try again.") from None
        pos += 2

    index_field = parent_spec.index_fields.get(spec.name) if parent_spec and parent else None

    def remap(fn: Callable[[int], int | None]) -> None:
        if parent is None or index_field is None:
            return
        try:
            current = int(parent.values.get(index_field))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return
        parent.values[index_field] = fn(current)

    if action == "add":
        if len(nodes) >= spec.max_items:
            raise OpError(f"A list can hold at most {spec.max_items} {spec.label}s.")
        nodes.append(spec.blank())
        return f"{target}-{len(nodes) - 1}"
    if index is None or not (0 <= index < len(nodes)):
        raise OpError("That item is no longer on the page; reload and try again.")
    if action == "remove":
        if len(nodes) <= spec.min_items:
            raise OpError(f"Keep at least {spec.min_items} {spec.label}(s).")
        del nodes[index]
        remap(lambda c: None if c == index else (c - 1 if c > index else c))
        return f"{target}-{min(index, len(nodes) - 1)}" if nodes else target
    if action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if not (0 <= other < len(nodes)):
            return f"{target}-{index}"
        nodes[index], nodes[other] = nodes[other], nodes[index]
        remap(lambda c: other if c == index else (index if c == other else c))
        return f"{target}-{other}"
    raise OpError("That change to the list was not understood.")


def build(
    spec: ListSpec,
    nodes: list[Node],
    prefix: str,
    *,
    bound_data: MultiValueDict | None = None,
    form_kwargs: Callable[[ListSpec, Node], dict[str, Any]] | None = None,
) -> ItemList:
    """Forms for rendering: bound (showing errors) when `bound_data` is given, else
    unbound with the raw values as initial data (an add/move/remove shows no errors)."""
    items = []
    for i, node in enumerate(nodes):
        item_prefix = f"{prefix}-{i}"
        extra = form_kwargs(spec, node) if form_kwargs else {}
        if bound_data is not None:
            form = spec.form_class(data=bound_data, prefix=item_prefix, **extra)
        else:
            form = spec.form_class(initial=dict(node.values), prefix=item_prefix, **extra)
        children = {
            name: build(
                child,
                node.children.get(name, []),
                f"{item_prefix}-{name}",
                bound_data=bound_data,
                form_kwargs=form_kwargs,
            )
            for name, child in spec.children.items()
        }
        items.append(
            Item(
                index=i,
                prefix=item_prefix,
                form=form,
                children=children,
                is_first=i == 0,
                is_last=i == len(nodes) - 1,
            )
        )
    return ItemList(spec=spec, prefix=prefix, items=items)


def raw_values(
    form_class: type[forms.Form], data: Mapping[str, Any], files: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A plain form's posted values, to re-render it as typed without showing errors yet."""
    return {
        name: f.widget.value_from_datadict(data, files or {}, name)
        for name, f in form_class.base_fields.items()
    }


def all_valid(item_list: ItemList) -> bool:
    valid = True
    for item in item_list.items:
        valid = item.form.is_valid() and valid
        for child in item.children.values():
            valid = all_valid(child) and valid
    return valid
