"""Dependencies point one way: web → services → models/matching/geo/notify; cli → services."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "surgery"
PURE_PACKAGES = ["geo", "matching"]
APP_LAYERS = ("surgery.models", "surgery.services", "surgery.web")
REQUEST_BOUND_NAMES = {"request", "session", "flash", "url_for", "g"}


def imports_of(path: Path) -> list[tuple[str, set[str]]]:
    """Return (module, names imported from it) for every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, set()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, {alias.name for alias in node.names}))
    return found


def python_files(*parts: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*parts).rglob("*.py"))


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_neither_flask_nor_sqlalchemy(package):
    files = python_files(package)
    assert files, f"surgery/{package} has no code to check"
    for path in files:
        for module, _ in imports_of(path):
            root = module.split(".")[0]
            assert root not in {"flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug"}, path
            assert not module.startswith(APP_LAYERS), path


def test_services_never_touch_the_request():
    for path in python_files("services"):
        for module, names in imports_of(path):
            if module == "flask":
                assert not names & REQUEST_BOUND_NAMES, f"{path} imports {names} from flask"
            assert not module.startswith("surgery.web"), path


def test_models_neither_send_mail_nor_build_urls():
    for path in python_files("models"):
        for module, names in imports_of(path):
            assert not module.startswith(("surgery.notify", "surgery.services", "surgery.web"))
            assert "url_for" not in names, path


def test_nothing_imports_the_app_module():
    for path in python_files():
        assert all(module != "app" for module, _ in imports_of(path)), path


# Calls that read the machine's clock (timers such as perf_counter measure, they do not date).
WALL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
}


def wall_clock_reads(path: Path) -> list[str]:
    """Return each call in a file that reads the machine's clock, as 'file:line: call'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
            if (name, node.func.attr) in WALL_CLOCK_CALLS:
                found.append(f"{path.name}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def test_only_the_clock_reads_the_time():
    readers = [
        read
        for path in python_files()
        if path != PACKAGE / "clock.py"
        for read in wall_clock_reads(path)
    ]
    assert readers == [], "read the time through surgery.clock, which the tests can freeze"
    assert wall_clock_reads(PACKAGE / "clock.py"), "the check finds what it looks for"


def test_no_test_reads_the_wall_clock():
    tests = Path(__file__).resolve().parent
    readers = [read for path in sorted(tests.rglob("*.py")) for read in wall_clock_reads(path)]
    assert readers == [], "make test dates from tests.instants.NOW (the frozen instant)"


def test_notify_sits_below_the_services():
    for path in python_files("notify"):
        for module, _ in imports_of(path):
            assert not module.startswith(("surgery.services", "surgery.web")), path


BUILT_FROM_REQUEST = re.compile(r"\b_external\b|request\.(host|url_root|host_url|base_url)\b")


def test_absolute_addresses_come_only_from_the_public_base_url():
    """A link built from the request's Host would repeat whatever Host a client sent."""
    building_from_request = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in [*python_files(), *PACKAGE.parent.joinpath("templates").rglob("*.html")]
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BUILT_FROM_REQUEST.search(line)
    ]
    assert building_from_request == [], "use surgery.notify.links.link(kind, ...)"
