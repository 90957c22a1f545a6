"""The real interactive prompt (copier's questionary prompt from copier.yml) driven through a pseudo-terminal."""

from __future__ import annotations

import json
import sys

import pexpect
import yaml


def test_interactive_prompt_answers_reach_the_project(tmp_path):
    dest = tmp_path / "My Service"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "generator", "new", str(dest), "--no-install", "--no-git"],
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin"},
    )
    child.expect("Service name")
    child.expect("my-service")  # default derived from the destination's name
    child.sendline("")
    child.expect("One-line description")
    child.expect("A hardened web service")  # the prefilled default is drawn: now clear it
    child.send("\x15")  # Ctrl-U
    child.sendline('Billing API, "quoted"')
    child.expect("Author")
    child.sendline("Team Pay")
    child.expect("Web framework")
    child.sendline("")
    child.expect("Language")
    child.sendline("")
    child.expect("HTTP port")
    child.expect("3000")
    child.send("\x15")
    child.sendline("80")  # rejected by the validator, asked again
    child.expect("between 1024 and 65535")
    child.send("\x15")
    child.sendline("8081")
    child.expect("Browser origins")
    child.sendline("https://app.example.com")
    child.expect("Authentication")
    child.send("\x1b[B")  # arrow down: Tokens
    child.sendline("")
    child.expect("Dockerfile")  # `pages` is not asked: it needs session auth
    child.sendline("n")
    child.expect("CI provider")
    child.sendline("")
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == 0, child.before

    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "my-service"
    assert answers["port"] == 8081
    assert answers["docker"] is False
    assert answers["cors_origins"] == "https://app.example.com"
    assert answers["auth"] == "token" and "pages" not in answers
    package = json.loads((dest / "package.json").read_text())
    assert package["description"] == 'Billing API, "quoted"'
    assert package["author"] == "Team Pay"
    assert not (dest / "Dockerfile").exists()
