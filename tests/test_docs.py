"""The documentation stays true to the code: every environment variable the settings read is in docs/settings.md."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _environment_reads() -> set[str]:
    """Return the names tracker/settings.py reads through os.environ, os.getenv or an env_* helper."""
    tree = ast.parse((ROOT / "tracker" / "settings.py").read_text(encoding="utf-8"))
    names, unnamed = set(), []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if called in {"os.environ.get", "os.getenv"} or re.fullmatch(r"env_\w+", called):
                key = node.args[0] if node.args else None
            else:
                continue
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
        else:
            unnamed.append(ast.unparse(node))
    # A read whose name is computed cannot be checked against the table; the helper's own read is the one exception.
    assert unnamed == ["os.environ.get(name)"], unnamed
    return names


def _documented() -> set[str]:
    """Return the variables named in the first column of docs/settings.md's tables."""
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    return {name for row in re.findall(r"^\| *(.+?) *\|", text, re.MULTILINE) for name in re.findall(r"`(\w+)`", row)}


def test_the_settings_read_the_environment_through_names_the_test_can_see():
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "SQLITE_TIMEOUT", "LOG_LEVEL"} <= _environment_reads()


def test_every_environment_variable_the_settings_read_is_in_the_settings_table():
    missing = _environment_reads() - _documented()
    assert not missing, f"add {sorted(missing)} to the table in docs/settings.md"


def test_the_readme_stays_short_and_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert "make run" in readme and "make test" in readme


def test_every_relative_link_in_the_readme_and_docs_names_a_file_that_exists():
    broken = []
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", document.read_text(encoding="utf-8")):
            if "://" not in target and not (document.parent / target).exists():
                broken.append(f"{document.relative_to(ROOT)}: {target}")
    assert not broken, broken
