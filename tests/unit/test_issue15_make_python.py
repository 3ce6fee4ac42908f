"""`make` builds the virtualenv with the newest Python 3.11 or later on the PATH, and says which
versions work when there is none (issue 15)."""

import shutil
import subprocess
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def fake_pythons(folder: Path, **exit_codes: int) -> Path:
    """Commands named like Pythons that answer the Makefile's version check with this exit code:
    0 new enough, 1 too old, 127 a name that does not run (a pyenv shim for another version)."""
    folder.mkdir()
    for name, code in exit_codes.items():
        command = folder / name.replace("_", ".")
        command.write_text(f"#!/bin/sh\nexit {code}\n")
        command.chmod(0o755)
    return folder


def make_venv(tmp_path: Path, path: Path, *flags: str) -> subprocess.CompletedProcess:
    venv = tmp_path / "venv"
    return subprocess.run(
        [shutil.which("make"), "-s", "-f", MAKEFILE, *flags, f"VENV={venv}", f"{venv}/bin/python"],
        cwd=MAKEFILE.parent,
        env={"PATH": str(path)},
        capture_output=True,
        text=True,
    )


def test_the_newest_python_that_runs_is_chosen(tmp_path):
    path = fake_pythons(tmp_path / "bin", python3_13=127, python3_12=0, python3_11=0, python3=0)
    planned = make_venv(tmp_path, path, "-n")
    assert planned.returncode == 0, planned.stderr
    assert f"python3.12 -m venv {tmp_path}/venv" in planned.stdout


def test_plain_python3_will_do_when_it_is_new_enough(tmp_path):
    path = fake_pythons(tmp_path / "bin", python3_11=127, python3=0)
    planned = make_venv(tmp_path, path, "-n")
    assert f"python3 -m venv {tmp_path}/venv" in planned.stdout


def test_with_no_python_new_enough_make_says_which_versions_work(tmp_path):
    path = fake_pythons(tmp_path / "bin", python3_11=127, python3=1)
    refused = make_venv(tmp_path, path)
    assert refused.returncode != 0
    assert "Surgery needs Python 3.11 or later: 3.11, 3.12 and 3.13 work." in refused.stderr
    assert "None was found on the PATH (tried python3.13 python3.12 python3.11 python3)" in (
        refused.stderr
    )
    assert not (tmp_path / "venv").exists()


def test_a_python_named_on_the_command_line_is_checked_too(tmp_path):
    path = fake_pythons(tmp_path / "bin", python3_12=0, python3_10=1)
    refused = make_venv(tmp_path, path, "PYTHON=python3.10")
    assert refused.returncode != 0
    assert "python3.10 is older or does not run." in refused.stderr
