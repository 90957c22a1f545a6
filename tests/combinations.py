"""The framework x language combinations rampart supports, as data (one test per property)."""

SUPPORTED_COMBINATIONS = [
    {"framework": "express", "language": "javascript"},
]

UNSUPPORTED_ANSWERS = [
    {"framework": "koa"},
    {"language": "coffeescript"},
    {"ci": "jenkins"},
]


def combination_id(combo: dict) -> str:
    return "-".join(str(v) for v in combo.values())
