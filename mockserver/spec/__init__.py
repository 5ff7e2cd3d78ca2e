"""Vendor page -> JSON Schema generator: parse (markdown) -> typed model (model) -> emit (emit).

`build` wires the steps together; `phrases` holds the one registry of prose-to-keyword rules and
`overrides` the documented fixes for places where a page contradicts itself.
"""
