"""copier.yml: every question documented, every validator accepting and rejecting what it should."""

from __future__ import annotations

import json

import pytest
import yaml

from generator.errors import RampartError
from generator.new import NewOptions, create_service
from generator.template_source import copier_config, question_names
from tests.combinations import UNSUPPORTED_ANSWERS


def test_questions_have_help_and_default():
    config = copier_config()
    for name in question_names():
        assert config[name].get("help"), f"{name} has no help text"
        assert "default" in config[name], f"{name} has no default"


def test_template_layout_settings():
    config = copier_config()
    assert config["_subdirectory"] == "template"
    assert "_tasks" not in config, "post-generation steps belong to rampart, never copier _tasks"
    assert "_jinja_extensions" not in config, "extensions would require --trust"


def _attempt(tmp_path, **answers):
    dest = tmp_path / "out" / "svc"
    create_service(NewOptions(dest=dest, data=answers, defaults=True, install=False, git=False))
    return dest


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "Upper"},
        {"project_name": "1starts-with-digit"},
        {"project_name": "trailing-"},
        {"project_name": "double--hyphen"},
        {"project_name": "has space"},
        {"project_name": "a" * 65},
        {"project_name": "../escape"},
        {"project_name": ""},
        {"port": 80},
        {"port": 70000},
        {"port": "abc"},
        {"docker": "maybe"},
        {"cors_origins": "http://evil.example"},
        {"cors_origins": "https://app.example.com/"},
        {"cors_origins": "https://app.example.com/path"},
        {"cors_origins": "*"},
        {"cors_origins": "null"},
        {"cors_origins": "https://APP.example.com"},
        {"cors_origins": "https://ok.example, javascript:alert(1)"},
        {"description": "two\nlines"},
        {"description": "tab\there"},
        {"description": "line\u2028separator"},
        {"description": "x" * 10001},
        {"author": "a\rb"},
        {"author": "y" * 201},
        {"pages": True, "auth": "token"},
        {"pages": True, "auth": "none"},
        {"deploy": "kubernetes", "docker": False},
        *UNSUPPORTED_ANSWERS,
        {"not_a_question": "1"},
        {"cors_origin_list": "[]"},
    ],
    ids=lambda answers: json.dumps(answers)[:60],
)
def test_bad_answer_is_rejected_clearly(tmp_path, answers):
    with pytest.raises(RampartError) as info:
        _attempt(tmp_path, **answers)
    message = str(info.value)
    assert "\n" not in message
    assert next(iter(answers)) in message, message
    assert not (tmp_path / "out").exists(), "a rejected answer must leave nothing behind"


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "a"},
        {"project_name": "svc-2"},
        {"project_name": "a" * 64},
        {"port": 1024},
        {"port": 65535},
        {"docker": "no", "ci": "none"},
        {"deploy": "kubernetes"},
        {"cors_origins": "https://app.example.com, http://localhost:5173,http://127.0.0.1:8080"},
        {"cors_origins": "https://a.example:8443"},
        {"description": "x" * 10000},
        {"author": ""},
    ],
    ids=lambda answers: json.dumps(answers)[:60],
)
def test_good_answer_is_accepted(render, answers):
    project = render(**answers)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for key, value in answers.items():
        if key == "docker":
            assert recorded[key] is False
        else:
            assert str(recorded[key]) == str(value)
