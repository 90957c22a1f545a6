"""JavaScript and TypeScript syntax trees (tree-sitter) and the few questions the rules ask of them.

Rules match syntax, not text: `secure: false` in a comment or a string is not a finding,
and `secure:false`, `"secure": false` and `secure /* x */ : false` all are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

Node = tree_sitter.Node

# Wrappers that do not change a value: `(x)`, `x as T`, `x satisfies T`, `x!`, `<T>x`.
_TRANSPARENT = {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"}
_FUNCTIONS = {"function_declaration", "function_expression", "arrow_function", "method_definition", "function"}


@cache
def _language(suffix: str) -> tree_sitter.Language:
    if suffix == ".tsx":
        return tree_sitter.Language(tree_sitter_typescript.language_tsx())
    if suffix in {".ts", ".mts", ".cts"}:
        return tree_sitter.Language(tree_sitter_typescript.language_typescript())
    return tree_sitter.Language(tree_sitter_javascript.language())


@dataclass
class SourceFile:
    rel: str
    text: bytes

    @cached_property
    def tree(self) -> tree_sitter.Tree:
        return tree_sitter.Parser(_language(Path(self.rel).suffix)).parse(self.text)

    @cached_property
    def _by_type(self) -> dict[str, list[Node]]:
        """Every named node by type, in source order: one walk of the tree, however many rules ask."""
        found: dict[str, list[Node]] = {}
        stack = [self.tree.root_node]
        while stack:
            node = stack.pop()
            found.setdefault(node.type, []).append(node)
            stack.extend(reversed(node.named_children))
        return found

    def nodes(self, *types: str) -> Iterator[Node]:
        """Every node of these types, in source order (an enclosing node before the nodes inside it)."""
        if len(types) == 1:
            return iter(self._by_type.get(types[0], []))
        merged = [node for kind in dict.fromkeys(types) for node in self._by_type.get(kind, [])]
        return iter(sorted(merged, key=lambda node: (node.start_byte, -node.end_byte)))

    def where(self, node: Node) -> str:
        return f"{self.rel}:{node.start_point[0] + 1}"

    @cached_property
    def imports(self) -> dict[str, str]:
        """Local name -> module for `import x from 'm'`, `import {a as x}`, `const x = require('m')`."""
        bound: dict[str, str] = {}
        for node in self.nodes("import_statement"):
            module = string_value(node.child_by_field_name("source"))
            if module is None:
                continue
            for name in _import_names(node):
                bound[name] = module
        for node in self.nodes("variable_declarator"):
            value = unwrap(node.child_by_field_name("value"))
            module = required_module(value)
            target = node.child_by_field_name("name")
            if module is None or target is None:
                continue
            if target.type == "identifier":
                bound[text(target)] = module
            else:  # const { MemoryStore } = require('express-session')
                for ident in _descendants(target, "identifier", "shorthand_property_identifier_pattern"):
                    bound[text(ident)] = module
        return bound

    @cached_property
    def modules(self) -> set[str]:
        """Every module this file imports or requires (side-effect imports and dynamic import() too)."""
        found = set(self.imports.values())
        for node in self.nodes("import_statement"):
            module = string_value(node.child_by_field_name("source"))
            if module:
                found.add(module)
        for node in self.nodes("call_expression"):
            module = required_module(node)
            if module:
                found.add(module)
        return found

    def bound_to(self, node: Node | None, *modules: str) -> bool:
        """Whether `node` is an identifier imported from one of `modules` (or `x.default` of one)."""
        node = unwrap(node)
        if node is None:
            return False
        if node.type == "member_expression" and text(node.child_by_field_name("property")) == "default":
            node = node.child_by_field_name("object")
        return node.type == "identifier" and self.imports.get(text(node)) in modules


def _import_names(statement: Node) -> Iterator[str]:
    for clause in statement.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":  # default import
                yield text(part)
            elif part.type == "namespace_import":
                yield from (text(i) for i in part.named_children if i.type == "identifier")
            elif part.type == "named_imports":
                for spec in part.named_children:
                    alias = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                    if alias is not None:
                        yield text(alias)


def _descendants(node: Node, *types: str) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in types:
            yield current
        stack.extend(current.named_children)


def descendants(node: Node, *types: str) -> Iterator[Node]:
    return _descendants(node, *types)


def text(node: Node | None) -> str:
    return "" if node is None else node.text.decode("utf-8", "replace")


def unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in _TRANSPARENT:
        node = node.named_children[0] if node.named_children else None
    return node


def string_value(node: Node | None) -> str | None:
    """The value of a string literal, or of a template literal without `${}`; else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return "".join(text(part) for part in node.named_children)
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return text(node)[1:-1]
    return None


def number_value(node: Node | None) -> float | None:
    node = unwrap(node)
    if node is None or node.type != "number":
        return None
    try:
        return float(int(text(node).replace("_", ""), 0))
    except ValueError:
        try:
            return float(text(node).replace("_", ""))
        except ValueError:
            return None


def is_literal(node: Node | None, kind: str) -> bool:
    """`kind` is "true", "false" or "null"."""
    node = unwrap(node)
    return node is not None and node.type == kind


def required_module(node: Node | None) -> str | None:
    """'m' for `require('m')` and `import('m')`, also behind `await`."""
    node = unwrap(node)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[0])
    if node is None or node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    if callee is None or text(callee) not in {"require", "import"}:
        return None
    args = arguments(node)
    return string_value(args[0]) if args else None


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [] if args is None else [a for a in args.named_children if a.type != "comment"]


def callee(call: Node) -> str:
    """`app.set`, `session`, `fastify.register`: the callee as written, without whitespace."""
    return re.sub(r"\s+", "", text(call.child_by_field_name("function") or call.child_by_field_name("constructor")))


def method_name(call: Node) -> str:
    """The last segment of the callee: `set` for `app.set(...)`."""
    return callee(call).rsplit(".", 1)[-1]


def key_name(pair: Node) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type in {"property_identifier", "identifier", "number"}:
        return text(key)
    return string_value(key)


def pairs(obj: Node | None) -> dict[str, Node]:
    """An object literal's statically named properties: name -> value node (shorthand: the identifier)."""
    obj = unwrap(obj)
    found: dict[str, Node] = {}
    if obj is None or obj.type != "object":
        return found
    for child in obj.named_children:
        if child.type == "pair" and (name := key_name(child)) is not None:
            found[name] = child.child_by_field_name("value")
        elif child.type == "shorthand_property_identifier":
            found[text(child)] = child
    return found


def has_spread(obj: Node | None) -> bool:
    obj = unwrap(obj)
    return obj is not None and any(c.type == "spread_element" for c in obj.named_children)


def enclosing_pair_key(node: Node) -> str | None:
    """For an object that is a property's value, the property's name."""
    parent = node.parent
    while parent is not None and parent.type in _TRANSPARENT:
        parent = parent.parent
    return key_name(parent) if parent is not None and parent.type == "pair" else None


def parameter_names(function: Node) -> list[str]:
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":  # x => ...
        return [text(params)]
    names = []
    for param in params.named_children:
        if param.type in {"required_parameter", "optional_parameter"}:
            param = param.child_by_field_name("pattern") or param
        if param.type == "assignment_pattern":
            param = param.child_by_field_name("left") or param
        names.append(text(param) if param.type == "identifier" else "")
    return names


def functions(source: SourceFile) -> Iterator[Node]:
    return source.nodes(*_FUNCTIONS)


def function_body(function: Node) -> Node | None:
    return function.child_by_field_name("body")


def strings(source: SourceFile) -> Iterator[tuple[Node, str]]:
    """Every string and template literal with its text (substitutions kept as written)."""
    for node in source.nodes("string", "template_string"):
        value = string_value(node)
        yield node, value if value is not None else text(node)[1:-1]
