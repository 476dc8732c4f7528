"""JSON-LD to RDF (N-Quads) with processed contexts kept, for fast canonicalization.

Turning a credential into RDF is where signing and verifying spend their time, and most of
that is context processing: an Open Badge names the same three contexts every time and its
type-scoped contexts apply again to every Achievement, Result and IdentityObject. pyld
re-processes them for each node; oxigraph's JSON-LD parser re-processes the inlined
contexts for each document. Here a processed context is an immutable `Context` and every
result of processing one context on top of another is kept on the parent, so after the
first credential the contexts cost a dictionary lookup.

This module implements the JSON-LD 1.1 expansion and RDF serialization algorithms for what
verifiable credentials use: terms and keyword aliases, compact IRIs, `@vocab`, `@base`,
`@protected`, property- and type-scoped contexts (type-scoped ones not propagating to nested
nodes), `@propagate`, type coercion (`@id`, `@vocab`, `@json`, datatypes), `@language`,
`@list`, `@set` and `@graph` containers, value objects, and native numbers and booleans as
JavaScript processors write them. Anything else (`@reverse`, `@nest`, `@included`, index,
language, id and type maps, `@import`) raises `Unsupported`, and the caller falls back to
pyld. Safe mode: properties and types that expand to no IRI are reported, not silently
dropped.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = f"<{RDF}type>"
RDF_FIRST = f"<{RDF}first>"
RDF_REST = f"<{RDF}rest>"
RDF_NIL = f"<{RDF}nil>"
RDF_JSON = f"{RDF}JSON"
XSD_STRING = f"{XSD}string"
XSD_BOOLEAN = f"{XSD}boolean"
XSD_INTEGER = f"{XSD}integer"
XSD_DOUBLE = f"{XSD}double"

KEYWORDS = frozenset(
    [
        "@base",
        "@container",
        "@context",
        "@direction",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@prefix",
        "@propagate",
        "@protected",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    ]
)
_ABSOLUTE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")


class _Absolute:
    """`match` of the absolute-IRI pattern, remembered for the IRIs that recur (vocabulary
    and context IRIs); bounded so that one-off ids do not grow it without end."""

    def __init__(self) -> None:
        self.seen: dict[str, bool] = {}

    def match(self, value: str) -> bool:
        found = self.seen.get(value)
        if found is None:
            found = _ABSOLUTE_RE.match(value) is not None
            if len(self.seen) < 65536:
                self.seen[value] = found
        return found


_ABSOLUTE = _Absolute()
_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")


class Unsupported(Exception):
    """A JSON-LD feature this fast path does not implement: use pyld."""


class InvalidJsonLd(ValueError):
    """The document breaks a JSON-LD rule; the message says which."""


class Undefined:
    """Where safe mode found a term that no context defines."""

    def __init__(self) -> None:
        self.problems: list[str] = []


# ----------------------------------------------------------------------------- contexts


class Term:
    __slots__ = (
        "container",
        "context",
        "has_language",
        "iri",
        "language",
        "prefix",
        "protected",
        "raw",
        "type",
    )

    def __init__(self) -> None:
        self.iri: str | None = None  # an IRI, a blank node, a keyword, or None (null mapping)
        self.type: str | None = None  # "@id", "@vocab", "@json", "@none" or a datatype IRI
        self.container: frozenset[str] = frozenset()
        self.context: Any = None  # a scoped context, unprocessed
        self.has_language = False
        self.language: str | None = None
        self.prefix = False
        self.protected = False
        self.raw: Any = None  # the definition as written, for the protection check


class Context:
    """An active context. Never changed once made; `derive` makes (and keeps) children."""

    __slots__ = ("_children", "_keys", "base", "language", "previous", "terms", "vocab")

    def __init__(self) -> None:
        self._keys: dict[str, str | None] = {}  # key → its vocab-relative expansion
        self.terms: dict[str, Term] = {}
        self.vocab: str | None = None
        self.base: str | None = None
        self.language: str | None = None
        self.previous: Context | None = None
        self._children: dict[tuple[Any, ...], Context] = {}

    def clone(self) -> Context:
        other = Context()
        other.terms = dict(self.terms)
        other.vocab, other.base, other.language = self.vocab, self.base, self.language
        other.previous = self.previous
        return other

    def key(self, name: str) -> str | None:
        """A property key expanded (vocab-relative), remembered: a context never changes."""
        try:
            return self._keys[name]
        except KeyError:
            expanded = self._keys[name] = _expand_iri(self, name, vocab_relative=True)
            return expanded


class ContextSource:
    """Where remote contexts come from (the bundled files), and which context objects are
    permanent, so they can be cache keys by identity."""

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self.permanent: set[int] = set()
        self._mark(documents)

    def _mark(self, value: Any) -> None:
        if isinstance(value, dict | list):
            self.permanent.add(id(value))
            for item in value.values() if isinstance(value, dict) else value:
                self._mark(item)

    def key(self, local: Any) -> Any:
        if isinstance(local, str) or local is None:
            return local
        if id(local) in self.permanent:
            return ("id", id(local))
        return ("json", json.dumps(local, sort_keys=True))

    def remote(self, url: str) -> Any:
        try:
            return self.documents[url]["@context"]
        except KeyError:
            from microcred.badges.jsonld import UnknownContext

            raise UnknownContext(url) from None


def derive(
    source: ContextSource,
    active: Context,
    local: Any,
    *,
    propagate: bool = True,
    override_protected: bool = False,
) -> Context:
    """Process `local` on top of `active` (JSON-LD 1.1 Context Processing), kept for reuse."""
    cache_key = (source.key(local), propagate, override_protected)
    found = active._children.get(cache_key)
    if found is None:
        found = _process(source, active, local, propagate, override_protected, ())
        if len(active._children) < 4096:
            active._children[cache_key] = found
    return found


def _process(
    source: ContextSource,
    active: Context,
    local: Any,
    propagate: bool,
    override_protected: bool,
    remote_seen: tuple[str, ...],
) -> Context:
    result = active.clone()
    items = local if isinstance(local, list) else [local]
    if isinstance(local, dict) and "@propagate" in local:
        propagate = bool(local["@propagate"])
    if not propagate and result.previous is None:
        result.previous = active
    for context in items:
        if context is None:
            if not override_protected and any(t.protected for t in result.terms.values()):
                raise InvalidJsonLd("invalid context nullification: protected terms")
            fresh = Context()
            if not propagate:
                fresh.previous = result.previous
            result = fresh
            continue
        if isinstance(context, str):
            if context in remote_seen:
                raise InvalidJsonLd(f"recursive context inclusion: {context}")
            result = _process(
                source,
                result,
                source.remote(context),
                True,
                override_protected,
                (*remote_seen, context),
            )
            # A remote context's own @propagate does not apply here; keep the caller's.
            if not propagate and result.previous is None:
                result.previous = active
            continue
        if not isinstance(context, dict):
            raise InvalidJsonLd("invalid local context")
        if "@import" in context:
            raise Unsupported("@import")
        if "@version" in context and context["@version"] != 1.1:
            raise InvalidJsonLd("invalid @version value")
        if "@base" in context and not remote_seen:
            base = context["@base"]
            if base is None:
                result.base = None
            elif _ABSOLUTE.match(base):
                result.base = base
            elif result.base:
                result.base = urljoin(result.base, base)
            else:
                raise InvalidJsonLd("invalid base IRI")
        if "@vocab" in context:
            vocab = context["@vocab"]
            if vocab is None:
                result.vocab = None
            elif isinstance(vocab, str):
                expanded = _expand_iri(result, vocab, vocab_relative=True, document_relative=True)
                if expanded is None:
                    raise InvalidJsonLd("invalid vocab mapping")
                result.vocab = expanded
            else:
                raise InvalidJsonLd("invalid vocab mapping")
        if "@language" in context:
            language = context["@language"]
            if language is not None and not isinstance(language, str):
                raise InvalidJsonLd("invalid default language")
            result.language = language.lower() if isinstance(language, str) else None
        if "@direction" in context and context["@direction"] is not None:
            raise Unsupported("@direction")
        protected = bool(context.get("@protected", False))
        defined: dict[str, bool] = {}
        for term in context:
            if term in (
                "@base",
                "@direction",
                "@import",
                "@language",
                "@propagate",
                "@protected",
                "@version",
                "@vocab",
            ):
                continue
            _define(
                source, result, context, term, defined, protected, override_protected, remote_seen
            )
    return result


def _define(
    source: ContextSource,
    active: Context,
    local: dict[str, Any],
    term: str,
    defined: dict[str, bool],
    protected_default: bool,
    override_protected: bool,
    remote_seen: tuple[str, ...],
) -> None:
    """Create Term Definition (JSON-LD 1.1 §4.2.2), for the features this module supports."""
    if term in defined:
        if defined[term]:
            return
        raise InvalidJsonLd(f"cyclic IRI mapping: {term}")
    defined[term] = False
    value = local[term]
    if term in KEYWORDS:
        raise InvalidJsonLd(f"keyword redefinition: {term}")
    if _KEYWORD_LIKE.match(term):
        defined[term] = True  # ignored, as the spec asks for terms that look like keywords
        return
    previous = active.terms.get(term)
    if isinstance(value, str) or value is None:
        simple = True
        value = {"@id": value}
    elif isinstance(value, dict):
        simple = False
    else:
        raise InvalidJsonLd(f"invalid term definition: {term}")
    for key in value:
        if key in ("@reverse", "@nest", "@index", "@direction"):
            raise Unsupported(key)
    definition = Term()
    definition.raw = value
    definition.protected = bool(value.get("@protected", protected_default))
    if "@type" in value:
        kind = value["@type"]
        if not isinstance(kind, str):
            raise InvalidJsonLd(f"invalid type mapping: {term}")
        if kind not in ("@id", "@vocab", "@json", "@none"):
            kind = _expand_iri(
                active,
                kind,
                vocab_relative=True,
                local=local,
                defined=defined,
                source=source,
                remote_seen=remote_seen,
            )
            if kind is None or not _ABSOLUTE.match(kind):
                raise InvalidJsonLd(f"invalid type mapping: {term}")
        definition.type = kind
    if "@id" in value and value["@id"] != term:
        iri = value["@id"]
        if iri is None:
            definition.iri = None
        elif not isinstance(iri, str):
            raise InvalidJsonLd(f"invalid IRI mapping: {term}")
        elif not iri.startswith("@") and _KEYWORD_LIKE.match(iri):
            definition.iri = None
        else:
            expanded = _expand_iri(
                active,
                iri,
                vocab_relative=True,
                local=local,
                defined=defined,
                source=source,
                remote_seen=remote_seen,
            )
            if expanded is None or (expanded not in KEYWORDS and ":" not in expanded):
                raise InvalidJsonLd(f"invalid IRI mapping: {term}")
            if expanded == "@context":
                raise InvalidJsonLd("invalid keyword alias: @context")
            definition.iri = expanded
            if (
                simple
                and ":" not in term
                and "/" not in term
                and (expanded[-1:] in _GEN_DELIMS or expanded.startswith("_:"))
            ):
                definition.prefix = True
    elif ":" in term[1:]:
        prefix, suffix = term.split(":", 1)
        if prefix in local:
            _define(
                source,
                active,
                local,
                prefix,
                defined,
                protected_default,
                override_protected,
                remote_seen,
            )
        if prefix in active.terms and active.terms[prefix].iri:
            definition.iri = active.terms[prefix].iri + suffix  # type: ignore[operator]
        else:
            definition.iri = term
    elif "/" in term:
        expanded = _expand_iri(active, term, vocab_relative=True)
        if expanded is None or ":" not in expanded:
            raise InvalidJsonLd(f"invalid IRI mapping: {term}")
        definition.iri = expanded
    elif active.vocab is not None:
        definition.iri = active.vocab + term
    else:
        raise InvalidJsonLd(f"invalid IRI mapping: {term}")
    if "@container" in value:
        container = value["@container"]
        items = frozenset(container if isinstance(container, list) else [container])
        if items - {"@set", "@list", "@graph"}:
            raise Unsupported(f"@container {sorted(items)}")
        if "@list" in items and len(items) > 1:
            raise InvalidJsonLd(f"invalid container mapping: {term}")
        definition.container = items
    if "@context" in value:
        definition.context = value["@context"]
        # A scoped context must itself be valid; processing it once here finds errors early
        # (the result is kept on `active`'s child cache only when used).
    if "@language" in value and "@type" not in value:
        language = value["@language"]
        if language is not None and not isinstance(language, str):
            raise InvalidJsonLd(f"invalid language mapping: {term}")
        definition.has_language = True
        definition.language = language.lower() if isinstance(language, str) else None
    if "@prefix" in value:
        if ":" in term or "/" in term:
            raise InvalidJsonLd(f"invalid term definition: {term}")
        definition.prefix = bool(value["@prefix"])
    if not override_protected and previous is not None and previous.protected:
        if not _same_definition(previous, definition):
            raise InvalidJsonLd(f"protected term redefinition: {term}")
        definition = previous
    active.terms[term] = definition
    defined[term] = True


def _same_definition(one: Term, other: Term) -> bool:
    return (
        one.iri == other.iri
        and one.type == other.type
        and one.container == other.container
        and one.has_language == other.has_language
        and one.language == other.language
        and one.prefix == other.prefix
        and json.dumps(one.context, sort_keys=True) == json.dumps(other.context, sort_keys=True)
    )


def _define_pending(
    source: ContextSource | None,
    active: Context,
    local: dict[str, Any] | None,
    defined: dict[str, bool] | None,
    name: str,
    remote_seen: tuple[str, ...],
) -> None:
    """While a context is being processed, a term it defines later may be needed now."""
    if source is None or local is None or defined is None:
        return
    if name in local and not defined.get(name):
        _define(source, active, local, name, defined, False, False, remote_seen)


def _expand_iri(
    active: Context,
    value: str,
    *,
    vocab_relative: bool = False,
    document_relative: bool = False,
    local: dict[str, Any] | None = None,
    defined: dict[str, bool] | None = None,
    source: ContextSource | None = None,
    remote_seen: tuple[str, ...] = (),
) -> str | None:
    """IRI Expansion (JSON-LD 1.1 §5.2)."""
    if value in KEYWORDS:
        return value
    if _KEYWORD_LIKE.match(value):
        return None
    _define_pending(source, active, local, defined, value, remote_seen)
    term = active.terms.get(value)
    if vocab_relative and term is not None:
        return term.iri
    if term is not None and term.iri in KEYWORDS:
        return term.iri
    if ":" in value[1:]:
        prefix, suffix = value.split(":", 1)
        if prefix == "_" or suffix.startswith("//"):
            return value
        _define_pending(source, active, local, defined, prefix, remote_seen)
        prefix_term = active.terms.get(prefix)
        if prefix_term is not None and prefix_term.iri and prefix_term.prefix:
            return prefix_term.iri + suffix
        if _ABSOLUTE.match(value):
            return value
    if vocab_relative and active.vocab is not None:
        return active.vocab + value
    if document_relative:
        if active.base:
            return urljoin(active.base, value)
        return value  # relative: dropped when turned into RDF
    return value


# ----------------------------------------------------------------------------- to RDF


def canonical_double(value: float) -> str:
    """The canonical xsd:double lexical form JSON-LD processors write (1.5 -> 1.5E0)."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escape(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", out)


def _iri(value: str) -> str:
    if value.startswith("_:"):
        return value
    return f"<{value}>"


class _Writer:
    """Turns expanded values into N-Quads lines, naming blank nodes as it goes."""

    __slots__ = ("_counter", "bnodes", "lines", "source", "undefined")

    def __init__(self, source: ContextSource, undefined: Undefined | None) -> None:
        self.source = source
        self.lines: list[str] = []
        self.bnodes: dict[str, str] = {}
        self.undefined = undefined
        self._counter = 0

    def fresh(self) -> str:
        self._counter += 1
        return f"_:b{self._counter}"

    def bnode(self, label: str) -> str:
        found = self.bnodes.get(label)
        if found is None:
            found = self.bnodes[label] = self.fresh()
        return found

    def note(self, problem: str) -> None:
        if self.undefined is not None:
            self.undefined.problems.append(problem)

    def emit(self, subject: str, predicate: str, obj: str, graph: str | None) -> None:
        if graph is None:
            self.lines.append(f"{subject} {predicate} {obj} .\n")
        else:
            self.lines.append(f"{subject} {predicate} {obj} {graph} .\n")

    # --- identifiers

    def node_id(self, active: Context, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            raise InvalidJsonLd(f"invalid @id value at {path}")
        expanded = _expand_iri(active, value, document_relative=True)
        if expanded is None:
            return None
        if expanded.startswith("_:"):
            return self.bnode(expanded)
        if not _ABSOLUTE.match(expanded):
            self.note(f"{path}: relative @id {value!r}")
            return None
        return _iri(expanded)

    # --- nodes

    def node(
        self,
        active: Context,
        element: dict[str, Any],
        graph: str | None,
        path: str,
        property_context: Any = None,
    ) -> str | None:
        """Expand a node object and write its triples; returns its subject (or None when it
        has a relative IRI and so produces nothing)."""
        source = self.source
        if active.previous is not None and not _only_id(active, element):
            active = active.previous
        if property_context is not None:
            active = derive(source, active, property_context, override_protected=True)
        if "@context" in element:
            active = derive(source, active, element["@context"])
        type_scoped = active
        type_keys = [k for k in element if k != "@context" and active.key(k) == "@type"]
        types: list[str] = []
        for key in sorted(type_keys):
            raw = element[key]
            values = raw if isinstance(raw, list) else [raw]
            for value in values:
                if not isinstance(value, str):
                    raise InvalidJsonLd(f"invalid type value at {path}")
                types.append(value)
            for value in sorted(v for v in values if isinstance(v, str)):
                definition = type_scoped.terms.get(value)
                if definition is not None and definition.context is not None:
                    active = derive(source, active, definition.context, propagate=False)
        subject: str | None
        keys = {k: active.key(k) for k in element if k != "@context"}
        if "@value" in keys.values() or "@list" in keys.values() or "@set" in keys.values():
            raise InvalidJsonLd(f"invalid node object at {path}")
        id_keys = [k for k, v in keys.items() if v == "@id"]
        if id_keys:
            subject = self.node_id(active, element[id_keys[0]], path)
            if subject is None:
                return None
        else:
            subject = self.fresh()
        for value in types:
            expanded = _expand_iri(type_scoped, value, vocab_relative=True, document_relative=True)
            if expanded is None:
                continue
            if expanded.startswith("_:"):
                self.emit(subject, RDF_TYPE, self.bnode(expanded), graph)
            elif _ABSOLUTE.match(expanded):
                self.emit(subject, RDF_TYPE, _iri(expanded), graph)
            else:
                self.note(f"{path}.type {value}" if path else f"type {value}")
        for key, iri in keys.items():
            if iri in ("@id", "@type"):
                continue
            where = f"{path}.{key}" if path else key
            if iri is None:
                self.note(where)
                continue
            if iri in KEYWORDS:
                if iri == "@graph":
                    self.graph_container(active, element[key], subject, where)
                    continue
                if iri == "@index":
                    continue
                raise Unsupported(iri)
            if not (iri.startswith("_:") or _ABSOLUTE.match(iri)):
                self.note(where)
                continue
            if iri.startswith("_:"):
                continue  # a blank-node predicate: not RDF
            definition = active.terms.get(key)
            self.property(active, definition, _iri(iri), element[key], subject, graph, where)
        return subject

    def graph_container(self, active: Context, value: Any, name: str, path: str) -> None:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                self.node(active, item, name, path)

    def property(
        self,
        active: Context,
        definition: Term | None,
        predicate: str,
        value: Any,
        subject: str,
        graph: str | None,
        path: str,
    ) -> None:
        container = definition.container if definition else frozenset()
        scoped = definition.context if definition else None
        if "@list" in container:
            items = value if isinstance(value, list) else [value]
            if (
                isinstance(value, dict)
                and _expand_iri(active, next(iter(value), ""), vocab_relative=True) == "@list"
            ):
                items = value[next(iter(value))]
                items = items if isinstance(items, list) else [items]
            self.emit(
                subject,
                predicate,
                self.list_(active, definition, items, graph, path, scoped),
                graph,
            )
            return
        for item in _flatten(value):
            if "@graph" in container and isinstance(item, dict):
                name = self.fresh()
                self.node(active, item, name, path, scoped)
                self.emit(subject, predicate, name, graph)
                continue
            obj = self.value(active, definition, item, graph, path, scoped)
            if obj is not None:
                self.emit(subject, predicate, obj, graph)

    def list_(
        self,
        active: Context,
        definition: Term | None,
        items: list[Any],
        graph: str | None,
        path: str,
        scoped: Any = None,
    ) -> str:
        objects = []
        for index, item in enumerate(items):
            if isinstance(item, list):
                raise Unsupported("list of lists")
            obj = self.value(
                active, definition, item, graph, f"{path}[{index}]", scoped, in_list=True
            )
            if obj is not None:
                objects.append(obj)
        if not objects:
            return RDF_NIL
        head = self.fresh()
        current = head
        for index, obj in enumerate(objects):
            self.emit(current, RDF_FIRST, obj, graph)
            following = RDF_NIL if index == len(objects) - 1 else self.fresh()
            self.emit(current, RDF_REST, following, graph)
            current = following
        return head

    def value(
        self,
        active: Context,
        definition: Term | None,
        item: Any,
        graph: str | None,
        path: str,
        scoped: Any,
        *,
        in_list: bool = False,
    ) -> str | None:
        if item is None:
            return None
        kind = definition.type if definition else None
        if isinstance(item, dict):
            keys = {k: active.key(k) for k in item}
            if "@value" in keys.values():
                return self.value_object(active, item, keys, path)
            if "@list" in keys.values():
                if in_list:
                    raise Unsupported("list of lists")
                inner = item[next(k for k, v in keys.items() if v == "@list")]
                inner = inner if isinstance(inner, list) else [inner]
                return self.list_(active, definition, inner, graph, path, scoped)
            if "@set" in keys.values():
                raise Unsupported("@set object")
            if kind == "@json":
                return self.json_literal(item)
            return self.node(active, item, graph, path, scoped)
        if isinstance(item, list):
            if kind == "@json":
                return self.json_literal(item)
            raise Unsupported("nested array")
        if kind == "@json":
            return self.json_literal(item)
        if isinstance(item, str):
            if kind == "@id":
                return self.node_id(_value_context(active, scoped, self.source), item, path)
            if kind == "@vocab":
                context = _value_context(active, scoped, self.source)
                expanded = _expand_iri(context, item, vocab_relative=True, document_relative=True)
                if expanded is None:
                    return None
                if expanded.startswith("_:"):
                    return self.bnode(expanded)
                if not _ABSOLUTE.match(expanded):
                    self.note(f"{path}: relative IRI {item!r}")
                    return None
                return _iri(expanded)
            if kind and kind != "@none":
                return f'"{_escape(item)}"^^<{kind}>'
            language = active.language
            if definition is not None and definition.has_language:
                language = definition.language
            if language:
                return f'"{_escape(item)}"@{language}'
            return f'"{_escape(item)}"'
        datatype = kind if kind not in (None, "@id", "@vocab", "@none") else None
        return _native(item, datatype)

    def value_object(
        self, active: Context, item: dict[str, Any], keys: dict[str, Any], path: str
    ) -> str | None:
        fields = {keys[k]: v for k, v in item.items()}
        for key in fields:
            if key not in ("@value", "@type", "@language", "@direction", "@index"):
                raise InvalidJsonLd(f"invalid value object at {path}")
        value = fields["@value"]
        if value is None:
            return None
        kind = fields.get("@type")
        if kind is not None:
            if kind == "@json":
                return self.json_literal(value)
            expanded = _expand_iri(active, kind, vocab_relative=True, document_relative=True)
            if expanded is None or not _ABSOLUTE.match(expanded):
                raise InvalidJsonLd(f"invalid typed value at {path}")
            kind = expanded
        if isinstance(value, str):
            if kind:
                return f'"{_escape(value)}"^^<{kind}>'
            language = fields.get("@language")
            if language:
                return f'"{_escape(value)}"@{str(language).lower()}'
            return f'"{_escape(value)}"'
        if isinstance(value, dict | list):
            raise InvalidJsonLd(f"invalid value object value at {path}")
        return _native(value, kind)

    def json_literal(self, value: Any) -> str:
        from c14n import canonicalize  # JCS (RFC 8785), as pyld uses it

        text = canonicalize(value).decode("utf-8")
        return f'"{_escape(text)}"^^<{RDF_JSON}>'


def _value_context(active: Context, scoped: Any, source: ContextSource) -> Context:
    return active if scoped is None else derive(source, active, scoped, override_protected=True)


def _only_id(active: Context, element: dict[str, Any]) -> bool:
    """A node reference ({"id": ...} alone) keeps the type-scoped context, as the spec says."""
    if len(element) != 1:
        return False
    key = next(iter(element))
    return _expand_iri(active, key, vocab_relative=True) == "@id"


def _flatten(value: Any) -> list[Any]:
    if not isinstance(value, list):
        return [value]
    out: list[Any] = []
    for item in value:
        out.extend(_flatten(item))
    return out


def _native(value: Any, datatype: str | None) -> str:
    """A JSON number or boolean as an RDF literal, the way JavaScript processors write it:
    integral numbers (10 and 10.0 alike) below 10^21 are integers unless typed xsd:double."""
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{datatype or XSD_BOOLEAN}>'
    if isinstance(value, int | float):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise InvalidJsonLd("a number that is not finite")
        integral = float(value).is_integer() and abs(value) < 1e21
        if integral and datatype != XSD_DOUBLE:
            return f'"{int(value)}"^^<{datatype or XSD_INTEGER}>'
        return f'"{canonical_double(float(value))}"^^<{datatype or XSD_DOUBLE}>'
    raise InvalidJsonLd(f"invalid value {value!r}")


def to_nquads(
    source: ContextSource, root: Context, document: Any, undefined: Undefined | None = None
) -> str:
    """The document's RDF dataset as N-Quads (blank nodes named _:b1, _:b2, … in order)."""
    writer = _Writer(source, undefined)
    items = document if isinstance(document, list) else [document]
    for item in items:
        if not isinstance(item, dict):
            raise InvalidJsonLd("the document is not a JSON object")
        active = root
        if "@context" in item:
            active = derive(source, root, item["@context"])
        keys = {k: active.key(k) for k in item if k != "@context"}
        if set(keys.values()) <= {"@graph", "@context"} and "@graph" in keys.values():
            for node in _flatten(item[next(k for k, v in keys.items() if v == "@graph")]):
                if isinstance(node, dict):
                    writer.node(active, node, None, "")
            continue
        writer.node(root, item, None, "")
    return "".join(writer.lines)
