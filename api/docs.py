"""Turn the OpenAPI document into plain rows for the human docs page (api/docs.html)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str
    rules: str


@dataclass
class Field:
    name: str
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: list[Parameter]
    responses: list[tuple[str, str, list[str]]]
    fields: list[Field] = field(default_factory=list)
    result_name: str = ""

    @property
    def anchor(self) -> str:
        return (
            (self.method + self.path)
            .lower()
            .replace("/", "-")
            .replace("{", "")
            .replace("}", "")
            .replace(".", "-")
            .strip("-")
        )

    @property
    def example(self) -> str:
        """The operation's URL path from the site's root (the schema's paths carry /api/v1)."""
        return "/" + self.path.lstrip("/")

    @property
    def has_path_parameter(self) -> bool:
        return "{" in self.path


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        kinds = [_type(s, components) for s in schema["anyOf"]]
        nullable = "null" in kinds
        kinds = [k for k in kinds if k != "null"]
        return " or ".join(kinds) + (" (or null)" if nullable else "")
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), components)}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return f"{schema['const']!r}"
    return kind


def _rules(schema: dict) -> str:
    rules = []
    base = schema
    if "anyOf" in schema:
        base = next((s for s in schema["anyOf"] if s.get("type") != "null"), {})
    if base.get("type") == "array" and "items" in base:
        items = base["items"]
        if "enum" in items:
            rules.append("each one of: " + ", ".join(items["enum"]))
    if "minimum" in base:
        rules.append(f"at least {base['minimum']}")
    if "maximum" in base:
        rules.append(f"at most {base['maximum']}")
    if "default" in schema and schema["default"] is not None:
        rules.append(f"default {schema['default']}")
    if "pattern" in base:
        rules.append("letters, digits, - and _")
    return "; ".join(rules)


def _fields(schema_name: str, components: dict) -> list[Field]:
    schema = components.get(schema_name, {})
    return [
        Field(name, _type(prop, components), prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def operations(schema: dict) -> list[Operation]:
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            parameters = [
                Parameter(
                    name=p["name"],
                    where=p["in"],
                    required=p.get("required", False),
                    type=_type(p.get("schema", {}), components),
                    description=p.get("description") or p.get("schema", {}).get("description", ""),
                    rules=_rules(p.get("schema", {})),
                )
                for p in op.get("parameters", [])
            ]
            responses = []
            result_name = ""
            for status, response in op.get("responses", {}).items():
                content = list(response.get("content", {}))
                responses.append((status, response.get("description", ""), content))
                ref = (
                    response.get("content", {})
                    .get("application/json", {})
                    .get("schema", {})
                    .get("$ref")
                )
                if status == "200" and ref:
                    result_name = _ref_name(ref)
            fields: list[Field] = []
            if result_name:
                envelope = components.get(result_name, {}).get("properties", {})
                inner = envelope.get("results", envelope.get("result", {}))
                inner_ref = inner.get("items", inner).get("$ref")
                if inner_ref:
                    result_name = _ref_name(inner_ref)
                    fields = _fields(result_name, components)
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    tag=(op.get("tags") or [""])[0],
                    parameters=parameters,
                    responses=responses,
                    fields=fields,
                    result_name=result_name,
                )
            )
    return found
