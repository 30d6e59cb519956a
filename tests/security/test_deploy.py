"""The README's production environment passes Django's deployment checks with no warning.

The environment is read from the README itself (its `export` lines), so that the document
and the check cannot drift apart.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL_BASICS = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"}


def readme_production_environment() -> dict[str, str]:
    section = ROOT.joinpath("README.md").read_text().split("## Deploying", 1)[1]
    exports = re.findall(r"^export (.+)$", section, flags=re.MULTILINE)
    assert exports, "the README's deployment section sets no environment"
    environment = {}
    for line in exports:
        # $(python3 -c '…'): the command makes a secret; so does the test.
        line = re.sub(r"\$\([^']*'[^']*'\)", secrets.token_urlsafe(50), line)
        for assignment in shlex.split(line):
            name, _, value = assignment.partition("=")
            environment[name] = value
    return environment


def test_the_readme_production_settings_pass_check_deploy_without_warnings():
    # Only what a shell needs to run Python: no setting leaks in from the test run (browser
    # tests, for one, set DJANGO_ALLOW_ASYNC_UNSAFE).
    environment = {key: value for key, value in os.environ.items() if key in SHELL_BASICS}
    environment.update(readme_production_environment())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_environment_is_read_from_the_readme():
    environment = readme_production_environment()
    assert environment["HSTS_SECONDS"] == "31536000"
    assert len(environment["SECRET_KEY"]) > 50 and environment["REQUIRE_SECRET_KEY"] == "true"
