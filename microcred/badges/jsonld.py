"""JSON-LD for credentials: the bundled contexts, RDF Dataset Canonicalization, safe mode.

Every JSON-LD context a credential may name is a file in `contexts/` (listed with its
source in `contexts/index.json`); a context URL that is not bundled is an error, never a
network fetch. Canonicalization (RDFC-1.0, the same algorithm as URDNA2015) turns a
document into canonical N-Quads, which is what a Data Integrity proof signs.

`canonize` is the fast path: the bundled contexts are spliced into the document in place
of their URLs and oxigraph (Rust) parses the JSON-LD and canonicalizes the dataset.
`canonize_pyld` is the reference path through pyld, kept for tests and the benchmark;
both give byte-identical output on the W3C test vectors and on every credential we issue
(see docs/decisions/0014-credential-canonicalization.md).

JSON-LD processors silently drop terms that no context defines, so a signature can
verify while a claim is not covered by it. Independent verifiers run in "safe mode" and
refuse such documents; `undefined_terms` finds them so our verifier refuses them too.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from microcred.badges import rdf

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"


class JsonLdError(ValueError):
    """The document cannot be turned into RDF; the message says why, for a person."""


class UnknownContext(JsonLdError):
    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"The credential uses the JSON-LD context {url}, which this verifier does not "
            "carry. Contexts are never fetched from the network, so it cannot be checked."
        )


@cache
def bundled() -> dict[str, dict[str, Any]]:
    """Context URL → the context document, read once from the package."""
    index = json.loads((CONTEXT_DIR / "index.json").read_text())
    return {entry["url"]: json.loads((CONTEXT_DIR / entry["file"]).read_text()) for entry in index}


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves only bundled contexts."""
    try:
        document = bundled()[url]
    except KeyError:
        raise UnknownContext(url) from None
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


# ----------------------------------------------------------------------------- contexts


def _inline_context(value: Any) -> Any:
    """A context value with every bundled URL replaced by the context it names."""
    if isinstance(value, str):
        return _inlined_url(value)
    if isinstance(value, list):
        return [_inline_context(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _inline_context(item) if key == "@context" else _inline_nested(item)
            for key, item in value.items()
        }
    return value


def _inline_nested(value: Any) -> Any:
    # A term definition may carry a scoped "@context" of its own.
    if isinstance(value, dict) and "@context" in value:
        return {k: _inline_context(v) if k == "@context" else v for k, v in value.items()}
    return value


@cache
def _inlined_url(url: str) -> Any:
    try:
        document = bundled()[url]
    except KeyError:
        raise UnknownContext(url) from None
    return _inline_context(document["@context"])


@lru_cache(maxsize=256)
def _inlined_context_json(urls: tuple[str, ...]) -> str:
    return json.dumps([_inlined_url(url) for url in urls], ensure_ascii=False)


def _inline_document(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _inline_context(item) if key == "@context" else _inline_document(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_inline_document(item) for item in value]
    return value


def context_urls(document: Any) -> list[str]:
    """Every context URL named anywhere in the document, in order of appearance."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    for entry in item if isinstance(item, list) else [item]:
                        if isinstance(entry, str):
                            found.append(entry)
                        else:
                            walk(entry)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


def _has_nested_context(value: Any, top: bool = True) -> bool:
    if isinstance(value, dict):
        return any(
            (key == "@context" and not top) or _has_nested_context(item, False)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_has_nested_context(item, False) for item in value)
    return False


def expanded_json(document: dict[str, Any]) -> str:
    """The document as JSON text with its contexts inlined, ready for the RDF parser.

    The common case (a list of context URLs at the top and nowhere else) reuses the
    serialized contexts instead of copying them into every document.
    """
    context = document.get("@context")
    urls = context if isinstance(context, list) else [context]
    if (
        context is not None
        and all(isinstance(url, str) for url in urls)
        and not _has_nested_context(document)
    ):
        rest = {key: value for key, value in document.items() if key != "@context"}
        body = json.dumps(rest, ensure_ascii=False)
        head = '{"@context": ' + _inlined_context_json(tuple(urls))
        return head + ("}" if body == "{}" else ", " + body[1:])
    return json.dumps(_inline_document(document), ensure_ascii=False)


# ----------------------------------------------------------------------------- canonicalization


def to_dataset(document: dict[str, Any]) -> ox.Dataset:
    try:
        return ox.Dataset(ox.parse(expanded_json(document), format=ox.RdfFormat.JSON_LD))
    except SyntaxError as error:
        raise JsonLdError(f"The credential is not valid JSON-LD: {error}") from None


@cache
def _rdf_source() -> tuple[rdf.ContextSource, rdf.Context]:
    return rdf.ContextSource(bundled()), rdf.Context()


def nquads(document: dict[str, Any], undefined: rdf.Undefined | None = None) -> str | None:
    """The document's RDF as N-Quads through the cached-context converter, or None when it
    uses a JSON-LD feature only pyld handles."""
    source, root = _rdf_source()
    try:
        return rdf.to_nquads(source, root, document, undefined)
    except rdf.Unsupported:
        return None
    except rdf.InvalidJsonLd as error:
        raise JsonLdError(f"The credential is not valid JSON-LD: {error}.") from None


def canonize(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads: JSON-LD to RDF here (contexts processed once and kept),
    canonicalization in oxigraph; pyld for what the fast path does not cover."""
    text = nquads(document)
    if text is None:
        return canonize_pyld(document)
    try:
        dataset = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        return canonize_pyld(document)  # e.g. an IRI oxigraph refuses; pyld writes it as is
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{quad} .\n" for quad in dataset))


def canonize_oxigraph_jsonld(document: dict[str, Any]) -> str:
    """RDFC-1.0 through oxigraph's own JSON-LD parser (contexts inlined): measured in the
    benchmark, not used (it re-processes every context for every document)."""
    dataset = to_dataset(document)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{quad} .\n" for quad in dataset))


def canonize_pyld(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads through pyld: the reference implementation."""
    from pyld import jsonld

    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",  # pyld's default is the older URGNA2012
                "format": "application/n-quads",
                "documentLoader": document_loader,
            },
        )
    except jsonld.JsonLdError as error:
        cause = error
        while cause is not None:
            if isinstance(cause, UnknownContext):
                raise cause from None
            cause = getattr(cause, "cause", None)
        raise JsonLdError(f"The credential is not valid JSON-LD: {error}") from None


# ----------------------------------------------------------------------------- safe mode


_KEYWORD_PREFIX = "@"


def _definitions(context: Any) -> tuple[dict[str, Any], bool]:
    """Term definitions of a context value, and whether it sets a default vocabulary."""
    terms: dict[str, Any] = {}
    vocab = False
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, str):
            entry = _inlined_url(entry)
            sub_terms, sub_vocab = _definitions(entry)
            terms.update(sub_terms)
            vocab = vocab or sub_vocab
            continue
        if entry is None:
            terms, vocab = {}, False
            continue
        if isinstance(entry, list):
            sub_terms, sub_vocab = _definitions(entry)
            terms.update(sub_terms)
            vocab = vocab or sub_vocab
            continue
        if not isinstance(entry, dict):
            continue
        for key, value in entry.items():
            if key == "@vocab":
                vocab = value is not None
            elif not key.startswith(_KEYWORD_PREFIX):
                terms[key] = value
    return terms, vocab


def _is_iri_like(name: str, terms: dict[str, Any]) -> bool:
    # An absolute IRI (scheme:...) or a compact IRI (prefix:suffix): JSON-LD keeps both.
    return ":" in name


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Properties, types and identifiers that JSON-LD would drop (no context defines the term,
    or an id is a relative IRI): exactly what the RDF conversion notes, or, for documents the
    fast conversion does not cover, what a walk over the contexts in scope finds."""
    undefined = rdf.Undefined()
    if nquads(document, undefined) is not None:
        return undefined.problems
    return _undefined_terms_walk(document)


def _undefined_terms_walk(document: dict[str, Any]) -> list[str]:
    """Properties and types that no context in scope defines (JSON-LD would drop them).

    Scoping follows the document: top-level contexts, embedded contexts, property-scoped
    and type-scoped contexts are added as the walk descends. A default vocabulary
    (`@vocab`, which VC 2.0 sets) defines every term below it.
    """
    problems: list[str] = []

    def walk(node: Any, terms: dict[str, Any], vocab: bool, path: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, terms, vocab, f"{path}[{index}]")
            return
        if not isinstance(node, dict):
            return
        if "@context" in node:
            extra, extra_vocab = _definitions(node["@context"])
            terms = {**terms, **extra}
            vocab = vocab or extra_vocab
        types = node.get("type", node.get("@type", []))
        for type_name in types if isinstance(types, list) else [types]:
            if not isinstance(type_name, str):
                continue
            definition = terms.get(type_name)
            if definition is None and not vocab and not _is_iri_like(type_name, terms):
                problems.append(f"{path}.type {type_name}" if path else f"type {type_name}")
            if isinstance(definition, dict) and "@context" in definition:
                extra, extra_vocab = _definitions(definition["@context"])
                terms = {**terms, **extra}
                vocab = vocab or extra_vocab
        for key, value in node.items():
            if key.startswith(_KEYWORD_PREFIX) or key in ("id", "type"):
                continue
            where = f"{path}.{key}" if path else key
            definition = terms.get(key)
            if definition is None and not vocab and not _is_iri_like(key, terms):
                problems.append(where)
                continue
            if isinstance(definition, dict):
                if definition.get("@type") == "@json":
                    continue
                if "@context" in definition:
                    extra, extra_vocab = _definitions(definition["@context"])
                    walk(value, {**terms, **extra}, vocab or extra_vocab, where)
                    continue
            walk(value, terms, vocab, where)

    top_terms, top_vocab = _definitions(document.get("@context", []))
    walk({k: v for k, v in document.items() if k != "@context"}, top_terms, top_vocab, "")
    return problems
