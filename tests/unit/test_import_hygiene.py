"""The core never imports Textual, and the app's start-up path stays light."""

from __future__ import annotations

import json
import subprocess
import sys

CORE_MODULES = [
    "reader.model",
    "reader.text",
    "reader.config",
    "reader.errors",
    "reader.cli",
    "reader.article",
    "reader.library",
]


def _modules_after_import(*names: str) -> set[str]:
    code = (
        "import json, sys\n"
        + "".join(f"import {n}\n" for n in names)
        + "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


def test_core_does_not_import_textual() -> None:
    loaded = _modules_after_import(*CORE_MODULES)
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_cli_module_does_not_load_heavy_libraries() -> None:
    loaded = _modules_after_import("reader.cli")
    for heavy in ("httpx", "feedparser", "readability", "lxml", "textual"):
        assert heavy not in loaded, heavy


def test_every_core_module_is_under_the_textual_contract() -> None:
    """A new module outside the app must join the import-linter contract in pyproject.toml."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    contract = config["tool"]["importlinter"]["contracts"][0]
    listed = set(contract["source_modules"])
    front_ends = {"reader.tui", "reader.cli", "reader.commands", "reader.__main__"}
    present = {
        f"reader.{path.stem}"
        for path in (root / "reader").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert present - front_ends == listed
