"""Rollup tracking is installed by mediation's app, not by importing its models."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_models_installs_no_listener():
    code = (
        "import services.mediation.adapters.tables\n"
        "from services.mediation.adapters import rollup_tracking\n"
        "print(rollup_tracking.installed())"
    )
    assert _run(code) == "False"


def test_the_app_installs_tracking_once():
    code = (
        "from services.mediation.adapters import rollup_tracking\n"
        "from services.mediation.adapters.tables import Dispute\n"
        "from services.mediation.app import create_app\n"
        "from services.mediation.config import MediationSettings\n"
        "settings = MediationSettings(database_url='sqlite+aiosqlite:///:memory:')\n"
        "create_app(settings); create_app(settings)\n"
        "rollup_tracking.install()\n"
        "import sqlalchemy as sa\n"
        "hooks = list(sa.inspect(Dispute).dispatch.after_update)\n"
        "print(rollup_tracking.installed(), len(hooks))"
    )
    assert _run(code).split() == ["True", "1"]
