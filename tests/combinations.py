"""The combinations rampart supports, as data: tests parametrize over these lists."""

SUPPORTED_COMBINATIONS = [
    {"framework": "express", "language": "javascript"},
    {"framework": "express", "language": "typescript"},
    {"framework": "fastify", "language": "javascript"},
    {"framework": "fastify", "language": "typescript"},
]

# Every auth x pages combination the questions allow (pages needs session auth).
AUTH_VARIANTS = [
    {"auth": "none"},
    {"auth": "session", "pages": False},
    {"auth": "session", "pages": True},
    {"auth": "token"},
]

# End-to-end: every combination with the variants that change the running service most.
E2E_VARIANTS = [
    {**combo, **auth}
    for combo in SUPPORTED_COMBINATIONS
    for auth in ({"auth": "session", "pages": True}, {"auth": "token"}, {"auth": "none"})
]

UNSUPPORTED_ANSWERS = [
    {"framework": "koa"},
    {"language": "coffeescript"},
    {"ci": "jenkins"},
    {"deploy": "helm"},
    {"auth": "basic"},
]


def combination_id(combo: dict) -> str:
    return "-".join(f"{k}={v}" if isinstance(v, bool) else str(v) for k, v in combo.items())


def needs_servers(variant: dict) -> bool:
    return variant.get("auth", "session") != "none"
