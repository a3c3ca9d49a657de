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
