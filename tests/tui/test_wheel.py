"""The app works from an installed wheel, not only from the checkout.

Builds the wheel, checks that it carries the stylesheets (`reader/styles/*.tcss`),
installs it into a fresh venv and starts the installed app headless. The fresh
venv gets the current venv's dependencies through a plain path entry (so no
download), which does not run the checkout's editable-install hook: `reader` is
imported from the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEADLESS_START = """
import asyncio, sys, tempfile
from pathlib import Path
import reader
from reader.tui.paths import styles_dir
from reader.library import Library
from reader.tui.app import ReaderApp

async def main() -> None:
    library = Library(Path(tempfile.mkdtemp()))
    app = ReaderApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#welcome-box")
        print(reader.__file__, styles_dir(), type(app.screen).__name__,
              box.styles.width, sep="|")
    library.close()

asyncio.run(main())
"""


@pytest.mark.slow
def test_wheel_installs_and_the_app_starts_headless(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "reader/styles/app.tcss" in names
    assert "reader/tui/app.py" in names and "reader/py.typed" in names

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    help_text = subprocess.run(
        [str(target / "bin" / "reader"), "--help"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert "--demo" in help_text
    out = (
        subprocess.run(
            [str(python), "-c", HEADLESS_START],
            check=True,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    module, styles, screen, width = out.split("|")
    assert module.startswith(str(site)), module  # the wheel's copy, not the checkout
    assert styles == str(site / "reader" / "styles")
    assert screen == "WelcomeScreen"
    assert width == "80"  # a rule from the installed app.tcss was applied
