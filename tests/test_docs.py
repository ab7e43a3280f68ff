"""Docs cannot rot: every setting and every command is documented in the README."""

from __future__ import annotations

from pathlib import Path

from kg.settings import Settings
from web.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for variable, _default, _help in Settings.documentation():
        assert variable in README, f"{variable} is not in the README"


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"kg {name}" in README, f"`kg {name}` is not in the README"
