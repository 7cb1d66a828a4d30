"""The import contracts of pyproject.toml's [tool.importlinter] hold (the same check as
`make lint`'s `lint-imports`): services independent, each service's layers in order, domain
rules free of the ORM and transport, the console through HTTP only, the shared kit and the
operator CLI no deeper into a service than they may go, routes free of the ORM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a child process: the linter adds the working directory to sys.path and builds its own
# import graph; no cache is written into the work tree.
LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
)


def test_the_import_contracts_are_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout
