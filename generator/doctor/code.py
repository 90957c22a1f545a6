"""Configuration in code (baseline 1-8, 11, 12, 15, 17-19, 21): rules over the syntax tree.

Each rule names the construct it matches; what it cannot see (values computed at run
time, options spread in from elsewhere) it leaves to the live checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.doctor.findings import Finding
from generator.doctor.known_secrets import known_format
from generator.doctor.project import NodeProject, is_minified
from generator.doctor.syntax import (
    Node,
    SourceFile,
    arguments,
    callee,
    descendants,
    enclosing_pair_key,
    function_body,
    functions,
    has_spread,
    is_literal,
    method_name,
    number_value,
    pairs,
    parameter_names,
    required_module,
    string_value,
    strings,
    text,
    unwrap,
)

HELMET = ("helmet", "@fastify/helmet")
RATE_LIMITERS = ("express-rate-limit", "@fastify/rate-limit", "rate-limiter-flexible", "express-slow-down")
COOKIE_SESSIONS = ("express-session", "@fastify/session", "@fastify/secure-session", "cookie-session")
CSRF = ("csrf-sync", "csrf-csrf", "@fastify/csrf-protection", "lusca", "csurf")
CORS = ("cors", "@fastify/cors")
COOKIE_KEYS = {"httpOnly", "sameSite", "maxAge", "path", "domain", "expires", "signed", "partitioned"}
SCRIPT_DIRECTIVES = {"scriptSrc", "script-src", "scriptSrcElem", "script-src-elem", "defaultSrc", "default-src"}
RESPONSE_METHODS = {"json", "send", "end", "write", "render", "jsonp", "html"}
PLACEHOLDER = re.compile(r"change[-_ ]?me|example|placeholder|your[-_]|xxx|dummy|<[^>]*>|\$\{", re.I)
HSTS_MIN = 31_536_000


def load_sources(project: NodeProject) -> list[SourceFile]:
    loaded = []
    for rel in project.source_files:
        try:
            data = (project.root / rel).read_bytes()
        except OSError:
            continue
        if not is_minified(data):  # a bundle checked in outside the usual folders: not the service's own code
            loaded.append(SourceFile(rel, data))
    return loaded


def check(project: NodeProject, sources: list[SourceFile]) -> list[Finding]:
    modules = set().union(*(s.modules for s in sources)) if sources else set()
    findings: list[Finding] = []
    for source in sources:
        for rule in PER_FILE_RULES:
            findings.extend(rule(source))
    findings.extend(_missing_layers(project, sources, modules))
    return findings


# --- per-file rules ------------------------------------------------------------------------


def _calls(source: SourceFile) -> Iterator[Node]:
    return source.nodes("call_expression")


def x_powered_by_enabled(source: SourceFile) -> Iterator[Finding]:
    for call in _calls(source):
        args = arguments(call)
        if not args or (string_value(args[0]) or "").lower() != "x-powered-by":
            continue
        name = method_name(call)
        if name == "enable" or (name == "set" and len(args) > 1 and is_literal(args[1], "true")):
            yield Finding(
                "B1",
                "express.x-powered-by-enabled",
                "medium",
                source.where(call),
                "X-Powered-By is switched on: it tells attackers the framework and helps them pick exploits",
                "use app.disable('x-powered-by')",
            )


def trust_proxy_true(source: SourceFile) -> Iterator[Finding]:
    fix = "trust a hop count from config (e.g. TRUST_PROXY_HOPS=1), never `true`"
    for call in _calls(source):
        args = arguments(call)
        if (
            method_name(call) == "set"
            and len(args) > 1
            and (string_value(args[0]) or "").lower() == "trust proxy"
            and is_literal(args[1], "true")
        ):
            yield Finding(
                "B8",
                "express.trust-proxy-true",
                "high",
                source.where(call),
                "`trust proxy` is true: any client can spoof its IP with X-Forwarded-For and escape the rate limiter",
                fix,
            )
    for obj in source.nodes("object"):
        value = pairs(obj).get("trustProxy")
        if value is not None and is_literal(value, "true"):
            yield Finding(
                "B8",
                "fastify.trust-proxy-true",
                "high",
                source.where(value),
                "`trustProxy: true`: any client can spoof its IP with X-Forwarded-For and escape the rate limiter",
                fix,
            )


def _csp_sources(value: Node | None) -> list[str]:
    value = unwrap(value)
    if value is None:
        return []
    if value.type == "array":
        return [s for item in value.named_children if (s := string_value(item)) is not None]
    single = string_value(value)
    return single.split() if single else []


def csp_unsafe_scripts(source: SourceFile) -> Iterator[Finding]:
    """'unsafe-inline' / 'unsafe-eval' for scripts: in a helmet directives object or a policy string."""
    for obj in source.nodes("object"):
        for name, value in pairs(obj).items():
            if name in SCRIPT_DIRECTIVES:
                yield from _unsafe(source, value, name, _csp_sources(value))
    for node, value in strings(source):
        for directive in value.split(";"):
            words = directive.split()
            if words and words[0] in SCRIPT_DIRECTIVES:
                yield from _unsafe(source, node, words[0], words[1:])


def _unsafe(source: SourceFile, node: Node, directive: str, values: list[str]) -> Iterator[Finding]:
    if "'unsafe-inline'" in values and not any(v.startswith(("'nonce-", "'sha256-", "'sha384-")) for v in values):
        yield Finding(
            "B4",
            "csp.unsafe-inline-script",
            "high",
            source.where(node),
            f"the CSP allows 'unsafe-inline' scripts ({directive}): injected <script> runs, XSS is not contained",
            "drop 'unsafe-inline'; give inline scripts a per-response nonce ('nonce-…') or move them to files",
        )
    if "'unsafe-eval'" in values:
        yield Finding(
            "B4",
            "csp.unsafe-eval-script",
            "medium",
            source.where(node),
            f"the CSP allows 'unsafe-eval' ({directive}): strings become code",
            "drop 'unsafe-eval'",
        )


def helmet_weakened(source: SourceFile) -> Iterator[Finding]:
    """helmet options that switch a header off or shorten HSTS."""
    for obj in source.nodes("object"):
        found = pairs(obj)
        csp = found.get("contentSecurityPolicy")
        if csp is not None and is_literal(csp, "false"):
            yield Finding(
                "B4",
                "csp.disabled",
                "medium",
                source.where(csp),
                "the Content-Security-Policy is switched off",
                "keep helmet's CSP; for an API: default-src 'none'; frame-ancestors 'none'",
            )
        for key in ("strictTransportSecurity", "hsts"):
            hsts = found.get(key)
            if hsts is None:
                continue
            max_age = number_value(pairs(hsts).get("maxAge"))
            if is_literal(hsts, "false") or (max_age is not None and max_age < HSTS_MIN):
                yield Finding(
                    "B2",
                    "hsts.weak",
                    "medium",
                    source.where(hsts),
                    "Strict-Transport-Security is off or shorter than one year",
                    "strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true }",
                )
        for key in ("xPoweredBy", "hidePoweredBy"):
            value = found.get(key)
            if value is not None and is_literal(value, "false"):
                yield Finding(
                    "B1",
                    "helmet.x-powered-by-kept",
                    "medium",
                    source.where(value),
                    f"helmet's {key} is off, so X-Powered-By is sent",
                    f"remove `{key}: false`",
                )


def cookie_flags(source: SourceFile) -> Iterator[Finding]:
    for obj in source.nodes("object"):
        found = pairs(obj)
        if not (COOKIE_KEYS & found.keys() or enclosing_pair_key(obj) in {"cookie", "cookieOptions"}):
            continue
        secure, http_only, same_site = found.get("secure"), found.get("httpOnly"), found.get("sameSite")
        if secure is not None and is_literal(secure, "false"):
            yield Finding(
                "B15",
                "session.cookie-insecure",
                "high",
                source.where(secure),
                "a cookie is set with `secure: false`: it travels over plain HTTP and can be stolen on the wire",
                "secure: true (behind a TLS proxy, set the trusted hop count so the app sees HTTPS)",
            )
        if http_only is not None and is_literal(http_only, "false"):
            yield Finding(
                "B15",
                "session.cookie-not-httponly",
                "high",
                source.where(http_only),
                "a cookie is readable by page scripts (`httpOnly: false`): one XSS steals the session",
                "httpOnly: true",
            )
        if same_site is not None and (is_literal(same_site, "false") or string_value(same_site) == "none"):
            yield Finding(
                "B15",
                "session.cookie-samesite-none",
                "medium",
                source.where(same_site),
                "a cookie is sent on cross-site requests (SameSite none/off)",
                "sameSite: 'strict' (or 'lax')",
            )


def session_store(source: SourceFile) -> Iterator[Finding]:
    fix = "keep sessions in a shared store, e.g. `store: new RedisStore({ client })` (connect-redis)"
    for node in source.nodes("new_expression"):
        if callee(node).rsplit(".", 1)[-1] == "MemoryStore":
            yield Finding(
                "B17",
                "session.memory-store",
                "high",
                source.where(node),
                "sessions live in MemoryStore: lost on restart, not shared by instances, leaks memory",
                fix,
            )
    for call in source.nodes("call_expression"):
        args = arguments(call)
        options = None
        if source.bound_to(call.child_by_field_name("function"), "express-session"):
            options = args[0] if args else None
        elif method_name(call) == "register" and args and source.bound_to(args[0], "@fastify/session"):
            options = args[1] if len(args) > 1 else None
        else:
            continue
        options = unwrap(options)
        if options is not None and (options.type != "object" or has_spread(options)):
            continue  # built elsewhere: cannot tell statically
        if "store" not in pairs(options):
            yield Finding(
                "B17",
                "session.memory-store",
                "high",
                source.where(call),
                "the session middleware has no `store`: it falls back to process memory (MemoryStore)",
                fix,
            )
        if source.bound_to(call.child_by_field_name("function"), "express-session"):
            yield from _session_cookie_secure_default(source, call, options)


def _session_cookie_secure_default(source: SourceFile, call: Node, options: Node | None) -> Iterator[Finding]:
    """express-session's cookie is not Secure unless `cookie.secure` says so (its default is false)."""
    cookie = unwrap(pairs(options).get("cookie"))
    if cookie is not None and (cookie.type != "object" or has_spread(cookie)):
        return  # built elsewhere: cannot tell statically
    if cookie is None or "secure" not in pairs(cookie):
        yield Finding(
            "B15",
            "session.cookie-insecure",
            "high",
            source.where(cookie if cookie is not None else call),
            "the session cookie leaves out `secure` (express-session's default is false): it travels over plain HTTP",
            "cookie: { secure: true } (behind a TLS proxy, set the trusted hop count so the app sees HTTPS)",
        )


# Keys only CORS options have: an object with one of them is CORS options wherever it is built
# (a shared module, a factory), not only where it is passed to cors() / @fastify/cors.
CORS_ONLY_KEYS = {"allowedHeaders", "exposedHeaders", "preflightContinue", "optionsSuccessStatus", "strictPreflight"}


def cors_wildcard(source: SourceFile) -> Iterator[Finding]:
    fix = "allow a list of origins from config; unknown origins get no Access-Control-Allow-Origin"
    options_nodes: list[Node] = [obj for obj in source.nodes("object") if CORS_ONLY_KEYS & pairs(obj).keys()]
    for call in source.nodes("call_expression"):
        args = arguments(call)
        if source.bound_to(call.child_by_field_name("function"), "cors"):
            options: Node | None = args[0] if args else None
        elif method_name(call) == "register" and args and source.bound_to(args[0], "@fastify/cors"):
            options = args[1] if len(args) > 1 else None
        elif method_name(call) in {"setHeader", "header", "set"} and len(args) > 1:
            if (string_value(args[0]) or "").lower() == "access-control-allow-origin" and string_value(args[1]) == "*":
                yield Finding("B6", "cors.any-origin", "medium", source.where(call), "CORS allows every origin", fix)
            continue
        else:
            continue
        options = unwrap(options)
        if options is None:
            yield Finding("B6", "cors.any-origin", "medium", source.where(call), "CORS allows every origin", fix)
        elif options.type == "object" and all(options.id != seen.id for seen in options_nodes):
            options_nodes.append(options)
    options_nodes.extend(_autoload_options(source, "@fastify/cors"))
    for obj in source.nodes("object"):  # `cors: true` (routing-controllers, NestJS): cors() with its defaults
        value = pairs(obj).get("cors")
        if value is not None and is_literal(value, "true"):
            yield Finding(
                "B6",
                "cors.any-origin",
                "medium",
                source.where(value),
                "CORS is on with its defaults: every origin",
                fix,
            )
    for options in sorted(options_nodes, key=lambda node: node.start_byte):
        found = pairs(options)
        origin = found.get("origin")
        # Both cors and @fastify/cors default `origin` to '*' when the options leave it out.
        unset = origin is None and not has_spread(options)
        if unset or (origin is not None and (string_value(origin) == "*" or is_literal(origin, "true"))):
            yield Finding(
                "B6",
                "cors.any-origin",
                "medium",
                source.where(options),
                "CORS allows every origin (no `origin` allowlist, '*' or reflected)",
                fix,
            )


def _autoload_options(source: SourceFile, *modules: str) -> Iterator[Node]:
    """`export const autoConfig = {...}` of a file whose default export is one of `modules`:
    @fastify/autoload registers that plugin with those options."""
    exported = any(
        source.bound_to(node.child_by_field_name("value") or node.named_children[-1], *modules)
        for node in source.nodes("export_statement")
        if node.named_children and any(c.type == "default" for c in node.children)
    )
    if not exported:
        return
    for node in source.nodes("variable_declarator"):
        value = unwrap(node.child_by_field_name("value"))
        if text(node.child_by_field_name("name")) == "autoConfig" and value is not None and value.type == "object":
            yield value


def _sends_response(call: Node) -> bool:
    return method_name(call) in RESPONSE_METHODS


_ERROR_PARAM = re.compile(r"^_?(e|err|error|ex|exc|exception)$", re.I)


def _passed_to_use(function: Node) -> bool:
    """Whether `function` is written as an argument of `x.use(...)` (Express middleware registration)."""
    parent = function.parent
    while parent is not None and parent.type in {"parenthesized_expression", "as_expression"}:
        parent = parent.parent
    return (
        parent is not None
        and parent.type == "arguments"
        and parent.parent is not None
        and method_name(parent.parent) == "use"
    )


def _error_handlers(source: SourceFile) -> Iterator[tuple[Node, str]]:
    """Express error handlers and functions given to Fastify's setErrorHandler.

    An Express error handler has four parameters, and either is registered in place (`app.use((err,
    req, res, next) => ...)`) or names its first parameter as an error: a passport callback
    `(req, email, password, done)` has four parameters too and is no error handler.
    """
    for function in functions(source):
        names = parameter_names(function)
        if len(names) == 4 and names[0] and (_ERROR_PARAM.match(names[0]) or _passed_to_use(function)):
            yield function, names[0]
    for call in source.nodes("call_expression"):
        if method_name(call) == "setErrorHandler" and arguments(call):
            handler = unwrap(arguments(call)[0])
            if handler is not None and handler.type in {"function_expression", "arrow_function", "function"}:
                names = parameter_names(handler)
                if names and names[0]:
                    yield handler, names[0]


def _development_only(node: Node) -> bool:
    """Inside `if (... 'development' ...) { here }` or `... 'development' ? here : other`: code a
    production process never runs (express-generator's `error: env === 'development' ? err : {}`)."""
    parent = node.parent
    while parent is not None:
        if parent.type in {"if_statement", "ternary_expression"}:
            condition = text(parent.child_by_field_name("condition"))
            consequence = parent.child_by_field_name("consequence")
            inside = consequence is not None and consequence.start_byte <= node.start_byte < consequence.end_byte
            if inside and "development" in condition and "!" not in condition:
                return True
        parent = parent.parent
    return False


def error_details_leak(source: SourceFile) -> Iterator[Finding]:
    fix = "log the error; answer a fixed message and a code (e.g. 500 internal_error), never its stack or message"
    seen: set[int] = set()
    for call in source.nodes("call_expression"):  # a stack trace in any response
        if not _sends_response(call):
            continue
        for member in descendants(call.child_by_field_name("arguments") or call, "member_expression"):
            if text(member.child_by_field_name("property")) == "stack":
                seen.add(call.start_byte)
                yield Finding(
                    "B12",
                    "errors.stack-in-response",
                    "high",
                    source.where(member),
                    "a response contains an error's stack trace (paths, library versions, code layout)",
                    fix,
                )
                break
    for handler, err in _error_handlers(source):
        body = function_body(handler)
        if body is None:
            continue
        for call in descendants(body, "call_expression"):
            if call.start_byte in seen or not _sends_response(call):
                continue
            leaked = _error_in_arguments(call, err, body)
            if leaked is not None:
                yield Finding(
                    "B12",
                    "errors.message-in-response",
                    "medium",
                    source.where(leaked),
                    "the error handler answers with the raw error (its message or the whole object: SQL, paths,"
                    " internals reach clients)",
                    fix,
                )
    for call in source.nodes("call_expression"):  # the errorhandler package: a stack trace page for every error
        if source.bound_to(call.child_by_field_name("function"), "errorhandler") and not _development_only(call):
            yield Finding(
                "B12",
                "errors.stack-in-response",
                "high",
                source.where(call),
                "errorhandler() answers every error with its stack trace; it is meant for development only",
                "register it only when NODE_ENV is development; in production " + fix,
            )


def _error_in_arguments(call: Node, err: str, body: Node) -> Node | None:
    """`err.message`, or `err` itself (`res.json(err)`, `res.render(view, { error: err })`), in a response
    call's arguments, or in a local the handler builds them in (`const response = { message: err.message }`)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    found = _error_in(args, err)
    if found is not None:
        return found
    used = {text(i) for i in descendants(args, "identifier", "shorthand_property_identifier")}
    for declarator in descendants(body, "variable_declarator"):
        name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
        if value is not None and text(name) in used and (found := _error_in(value, err)) is not None:
            return found
    return None


def _error_in(args: Node, err: str) -> Node | None:
    for member in descendants(args, "member_expression"):
        field = text(member.child_by_field_name("property"))
        if text(member.child_by_field_name("object")) == err and field == "message":
            return member
    for ident in descendants(args, "identifier", "shorthand_property_identifier"):
        if text(ident) != err:
            continue
        parent = ident.parent
        if parent is not None and parent.type in {"member_expression", "subscript_expression"}:
            continue  # err.status, err.code: chosen fields, not the error
        if parent is not None and parent.type in {"binary_expression", "unary_expression"}:
            continue  # a test on the error, not the error
        condition = parent.child_by_field_name("condition") if parent is not None else None
        if condition is not None and condition.id == ident.id:
            continue  # `err ? a : b`
        if _development_only(ident):
            continue
        return ident
    return None


# Names whose value *is* a key: any literal there is a hardcoded secret, however weak or
# placeholder-like it looks ('keyboard cat' signs real sessions).
_KEY_NAME = re.compile(
    r"(secret|secretorkey|secretorprivatekey|privatekey|apikey|apisecret|clientsecret"
    r"|(crypto|signing|jwt|encryption|hmac|session|cookie|master|aes)key)$"
)
# Names that hold a secret or its label ("access token HS256"): only a credential-like value counts.
_PASSWORD_NAME = re.compile(r"(password|passwd|accesstoken|authtoken|apitoken)$")
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")
# scheme://user:password@host, the password written out (not ${...}, not a placeholder).
URL_CREDENTIALS = re.compile(
    r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"`]+:(?P<password>[^/\s@'\"`]+)@(?P<host>[^\s:/'\"`]+)[^\s'\"`]*", re.I
)
_LOOPBACK = re.compile(r"localhost|127\.\d+\.\d+\.\d+|\[::1\]", re.I)
_SECRET_FIX = "read it from the environment through the validated config module; rotate the leaked value"  # noqa: S105


def _literal_or_fallback(value: Node | None) -> tuple[Node, str] | None:
    """A string literal, or the literal fallback of `process.env.X || 'literal'` (also `??`)."""
    value = unwrap(value)
    if value is None:
        return None
    if value.type == "binary_expression" and text(value.child_by_field_name("operator")) in {"||", "??"}:
        value = unwrap(value.child_by_field_name("right"))
    literal = string_value(value)
    return None if value is None or literal is None else (value, literal)


def _secret_arguments(source: SourceFile, call: Node) -> Iterator[Node]:
    """Arguments that are keys by position: cookieParser(secret), jwt.sign(payload, key),
    jwt.verify(token, key), crypto.createHmac(algorithm, key), createCipheriv(algorithm, key, iv)."""
    function = call.child_by_field_name("function")
    args = arguments(call)
    name = method_name(call)
    if source.bound_to(function, "cookie-parser") and args:
        yield args[0]
    elif (name in {"createHmac", "createCipheriv", "createDecipheriv"} and len(args) > 1) or (
        name in {"sign", "verify"}
        and len(args) > 1
        and function is not None
        and function.type == "member_expression"
        and source.bound_to(function.child_by_field_name("object"), "jsonwebtoken")
    ):
        yield args[1]


def hardcoded_secrets(source: SourceFile) -> Iterator[Finding]:
    for node in source.nodes("pair", "variable_declarator", "assignment_expression"):
        if node.type == "pair":
            name_node, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        elif node.type == "variable_declarator":
            name_node, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        else:
            name_node, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        name = re.sub(r"[^a-z]", "", (string_value(name_node) or text(name_node)).rsplit(".", 1)[-1].lower())
        found = _literal_or_fallback(value)
        if not name or found is None:
            continue
        literal = found[1]
        if _KEY_NAME.search(name) and literal.strip() and not _PRIVATE_KEY.search(literal):
            secret = not _PLACEHOLDER_ONLY.fullmatch(literal)
        else:
            secret = bool(_PASSWORD_NAME.search(name)) and looks_like_secret(literal)
        if secret:
            yield Finding(
                "B18",
                "secrets.hardcoded",
                "high",
                source.where(node),
                f"a secret is written in the code ({text(name_node)[:60]}): it is in git and every copy of the image",
                _SECRET_FIX,
            )
    for call in source.nodes("call_expression"):
        for argument in _secret_arguments(source, call):
            found = _literal_or_fallback(argument)
            if found is not None and found[1].strip() and not _PRIVATE_KEY.search(found[1]):
                yield Finding(
                    "B18",
                    "secrets.hardcoded",
                    "high",
                    source.where(call),
                    f"`{callee(call)[:40]}` is given a key written in the code: it is in git and every image",
                    _SECRET_FIX,
                )
    for node, value in strings(source):
        if _PRIVATE_KEY.search(value):
            yield Finding(
                "B18",
                "secrets.hardcoded",
                "critical",
                source.where(node),
                "a private key is written in the code: whoever reads the repository can sign as the service",
                "load the key from a file or secret store outside the repository; replace the leaked key pair",
            )
        elif kind := known_format(value, PLACEHOLDER.search):
            yield Finding(
                "B18",
                "secrets.hardcoded",
                "critical",
                source.where(node),
                f"a {kind} is written in the code: whoever reads the repository can use it",
                "revoke it at the provider now, then " + _SECRET_FIX,
            )
        elif (match := URL_CREDENTIALS.search(value)) and url_password(match):
            yield Finding(
                "B18",
                "secrets.hardcoded",
                "high",
                source.where(node),
                "a URL carries its password in the code (scheme://user:password@host)",
                _SECRET_FIX,
            )


# What an empty or documented stand-in looks like in a key position: `<your-secret>`, `${SECRET}`, `xxx`.
_PLACEHOLDER_ONLY = re.compile(r"\s*(<[^>]*>|\$\{[^}]*\}|x+|\*+|\.+)\s*", re.I)


def url_password(match: re.Match[str]) -> bool:
    """A URL_CREDENTIALS match that carries a real password: not a placeholder, not for this machine
    (`postgres://app:ci-only@127.0.0.1` is a throwaway database of a CI job or a laptop)."""
    return not placeholder_password(match["password"]) and not _LOOPBACK.fullmatch(match["host"])


def placeholder_password(value: str) -> bool:
    """`user:password@`, `:pass@`, `:${DB_PASSWORD}@`, `:<password>@`: documentation, not a credential."""
    return bool(
        value.startswith("$")
        or PLACEHOLDER.search(value)
        or _PLACEHOLDER_ONLY.fullmatch(value)
        or re.fullmatch(r"(pass(word)?|pwd|secret|user(name)?)", value, re.I)
    )


def looks_like_secret(value: str) -> bool:
    """A credential-like value: one token, not a placeholder, letters with digits (or long and mixed)."""
    if len(value) < 8 or re.search(r"\s", value) or PLACEHOLDER.search(value):
        return False
    letters, digits = bool(re.search(r"[A-Za-z]", value)), bool(re.search(r"[0-9]", value))
    symbols = bool(re.search(r"[^A-Za-z0-9]", value))
    return (letters and digits) or (len(value) >= 16 and letters + digits + symbols >= 2)


def dynamic_code(source: SourceFile) -> Iterator[Finding]:
    for node in source.nodes("call_expression", "new_expression"):
        name = callee(node)
        called = node.type == "call_expression" and name == "eval"
        if called or (node.type == "new_expression" and name == "Function"):
            yield Finding(
                "B11",
                "code.dynamic-evaluation",
                "medium",
                source.where(node),
                f"`{name}` turns strings into code: one injected value runs on the server",
                "remove it; parse data with JSON.parse or a schema",
            )


_REQUEST = {"req", "request"}  # the names Express and Fastify handlers give the incoming request


def _request_data(node: Node) -> bool:
    """Whether `node` reads the incoming request (`req.body.x`, `request.query.y`)."""
    for member in descendants(node, "member_expression"):
        root = member
        while root.type == "member_expression":
            root = root.child_by_field_name("object")
        if root is not None and root.type == "identifier" and text(root) in _REQUEST:
            return True
    return False


def shell_command_from_request(source: SourceFile) -> Iterator[Finding]:
    """`exec('ping ' + req.body.host)`: request data concatenated into a shell command line."""
    if "child_process" not in source.modules and "node:child_process" not in source.modules:
        return
    for call in source.nodes("call_expression"):
        args = arguments(call)
        if method_name(call) not in {"exec", "execSync"} or not args:
            continue
        command = unwrap(args[0])
        built = command is not None and (
            (command.type == "binary_expression" and text(command.child_by_field_name("operator")) == "+")
            or (
                command.type == "template_string"
                and any(c.type == "template_substitution" for c in command.named_children)
            )
        )
        if built and _request_data(command):
            yield Finding(
                "B11",
                "code.shell-injection",
                "high",
                source.where(call),
                "request data is pasted into a shell command: `; rm -rf /` in a field runs on the server",
                "use execFile/spawn with an argument array (no shell) and validate the value against a schema",
            )


PER_FILE_RULES = (
    x_powered_by_enabled,
    trust_proxy_true,
    csp_unsafe_scripts,
    helmet_weakened,
    cookie_flags,
    session_store,
    cors_wildcard,
    error_details_leak,
    hardcoded_secrets,
    dynamic_code,
    shell_command_from_request,
)


# --- whole-project rules: a protection that no file sets up -----------------------------------


def _disables_powered_by(sources: list[SourceFile]) -> bool:
    for source in sources:
        for call in source.nodes("call_expression"):
            args = arguments(call)
            if not args or (string_value(args[0]) or "").lower() != "x-powered-by":
                continue
            name = method_name(call)
            if name == "disable" or (name == "set" and len(args) > 1 and is_literal(args[1], "false")):
                return True
    return False


def _helmet_parts_only(sources: list[SourceFile]) -> list[tuple[SourceFile, Node]]:
    """The `helmet.noSniff()`-style calls, when helmet itself is never called or registered; else []."""
    parts: list[tuple[SourceFile, Node]] = []
    for source in sources:
        if not source.modules & set(HELMET):
            continue
        for call in source.nodes("call_expression"):
            function = call.child_by_field_name("function")
            args = arguments(call)
            whole = source.bound_to(function, *HELMET) or (
                method_name(call) == "register"
                and args
                and (source.bound_to(args[0], *HELMET) or required_module(args[0]) in HELMET)
            )
            if whole:
                return []
            obj = unwrap(function.child_by_field_name("object")) if function is not None else None
            if function is not None and function.type == "member_expression" and source.bound_to(obj, *HELMET):
                parts.append((source, call))
        if not parts:
            return []  # imported, used in a way this rule does not follow: assume all of helmet
    return parts


def _has_error_handler(sources: list[SourceFile], framework: str) -> bool:
    if framework == "fastify":
        return any(method_name(c) == "setErrorHandler" for s in sources for c in s.nodes("call_expression"))
    return any(True for s in sources for _ in _error_handlers(s))


def _missing_layers(project: NodeProject, sources: list[SourceFile], modules: set[str]) -> Iterator[Finding]:
    if not sources or project.framework == "unknown":
        return  # not a web service we know how to read: the live checks still apply
    where = "package.json"
    if not modules & set(HELMET):
        yield Finding(
            "B2",
            "headers.helmet-missing",
            "high",
            where,
            "no security-header middleware (helmet / @fastify/helmet): no HSTS, nosniff, Referrer-Policy or CSP",
            "add helmet (Express) or @fastify/helmet (Fastify) before any route, with a deliberate CSP",
        )
    partial = _helmet_parts_only(sources)
    if partial:
        names = ", ".join(sorted({method_name(call) for _, call in partial}))
        source, first = partial[0]
        yield Finding(
            "B2",
            "headers.helmet-partial",
            "high",
            source.where(first),
            f"only some of helmet's middlewares are used ({names}): no HSTS, CSP or Referrer-Policy from helmet()",
            "use helmet() itself (all its headers) and tune its options, instead of picking single middlewares",
        )
    if project.framework == "express" and not modules & set(HELMET) and not _disables_powered_by(sources):
        yield Finding(
            "B1",
            "express.x-powered-by-not-disabled",
            "medium",
            where,
            "Express sends X-Powered-By: Express (not disabled, no helmet to remove it)",
            "app.disable('x-powered-by')",
        )
    if not modules & set(RATE_LIMITERS):
        yield Finding(
            "B21",
            "rate-limit.missing",
            "medium",
            where,
            "no rate limiter: brute force and scraping are unbounded",
            "express-rate-limit (Express) or @fastify/rate-limit (Fastify), counters in Redis across instances",
        )
    if modules & set(COOKIE_SESSIONS) and not modules & set(CSRF):
        yield Finding(
            "B19",
            "csrf.missing",
            "high",
            where,
            "cookie sessions without CSRF protection: another site can post with the user's cookie",
            "csrf-sync / csrf-csrf (Express) or @fastify/csrf-protection (Fastify) on every state-changing route",
        )
    if not _has_error_handler(sources, project.framework):
        default = (
            "Fastify's default error handler returns err.message"
            if project.framework == "fastify"
            else "Express's final handler prints HTML stack traces outside production"
        )
        yield Finding(
            "B12",
            "errors.no-handler",
            "medium",
            where,
            f"no custom error handler: {default}",
            "install one that logs the error and answers generic JSON"
            + (" (setErrorHandler)" if project.framework == "fastify" else " (a 4-argument middleware, last)"),
        )
