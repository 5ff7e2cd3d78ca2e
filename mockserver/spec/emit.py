"""Pure functions: resolved properties and the page model -> JSON Schema (and endpoint) dicts.

Dotted names become nested schemas; a parent only implied by deeper rows is created (object, or array for
`name[]`), and is required when one of its children is. Each node's `x-source` names the line every
keyword came from; `required` there is the node's own required-ness, `name` the override that renamed it, `read`
the override that read words of its description the generator refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockserver.spec.model import KEYWORDS, Keyword, Page, Property, Source
from mockserver.spec.resolve import name_tokens

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_ORDER = KEYWORDS


@dataclass
class _Node:
    implied_by: Source  # the first row below this node, for an implied node's provenance
    prop: Property | None = None
    children: dict[str, _Node] = field(default_factory=dict)
    items: _Node | None = None


def tree(props: list[Property], root_source: Source, flat: bool = False) -> _Node:
    """`flat`: every name is one property as written (parameters), not a path into nested objects."""
    root = _Node(root_source)
    for prop in props:
        source = _first_source(prop, root_source)
        node = root
        for token in [prop.name] if flat else name_tokens(prop.name):
            if token == "[]":
                node.items = node.items or _Node(source)
                node = node.items
            else:
                node = node.children.setdefault(token, _Node(source))
        node.prop = prop
    return root


def _first_source(prop: Property, default: Source) -> Source:
    sources = [k.source for k in prop.keywords.values()] + ([prop.required.source] if prop.required else [])
    return min(sources, key=lambda s: (s.file, s.line)) if sources else default


def schema(props: list[Property], *, title: str, schema_id: str, sources: dict[str, Source],
           flat: bool = False) -> dict[str, Any]:
    """The root schema of one part: an object whose properties are `props` (`flat`: see `tree`)."""
    root = tree(props, sources["type"], flat)
    body = node_schema(root)
    x_source = {key: str(source) for key, source in sources.items()} | body.pop("x-source", {})
    return {"$schema": DRAFT, "$id": schema_id, "title": title, **body, "x-source": x_source}


def node_schema(node: _Node) -> dict[str, Any]:
    keywords = dict(node.prop.keywords) if node.prop else {}
    implied = "object" if node.children else "array" if node.items else None
    if "type" not in keywords and implied:
        keywords["type"] = Keyword(implied, node.implied_by)
    out: dict[str, Any] = {key: keywords[key].value for key in _ordered(keywords)}
    x_source = {key: str(keywords[key].source) for key in _ordered(keywords)}
    if node.prop and node.prop.read_by:
        x_source["read"] = str(node.prop.read_by)
    if node.children:
        out["properties"] = {name: _child_schema(child) for name, child in node.children.items()}
        out["required"] = [name for name, child in node.children.items() if _required(child)]
    if node.items:
        out["items"] = node_schema(node.items)
    if x_source:
        out["x-source"] = x_source
    return out


def _child_schema(node: _Node) -> dict[str, Any]:
    out = node_schema(node)
    required = _required(node)
    extra = {"required": str(required.source)} if required else {}
    if node.prop and node.prop.renamed_by:
        extra["name"] = str(node.prop.renamed_by)
    if extra:
        out["x-source"] = out.get("x-source", {}) | extra
    return out


def _required(node: _Node) -> Keyword | None:
    if node.prop and node.prop.required is not None:
        return node.prop.required if node.prop.required.value else None
    if node.prop is None:  # implied: required when a child is
        return next((r for r in (_required(c) for c in node.children.values()) if r), None)
    return None


def _ordered(keywords: dict[str, Keyword]) -> list[str]:
    known = [key for key in _ORDER if key in keywords]
    return known + sorted(key for key in keywords if key not in _ORDER)


def endpoint(page: Page) -> dict[str, Any]:
    ep = page.endpoint
    out: dict[str, Any] = {
        "title": page.title,
        "method": ep.method,
        "pathTemplate": ep.path_template,
        "hostPlaceholder": ep.host_placeholder,
        "query": ep.query,
        "contentType": ep.content_type,
        "authHeader": ep.auth_header,
        "sampleHeaders": page.sample_headers.value if page.sample_headers else {},
    }
    sources = {"title": page.title_source, **ep.sources}
    if page.sample_headers:
        sources["sampleHeaders"] = page.sample_headers.source
    out["x-source"] = {key: str(sources[key]) for key in out if key in sources}
    return out
