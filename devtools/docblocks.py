"""Write a command's printed table into the marked block of a document, so the doc never holds a hand copy."""

import datetime
import os
import re
import subprocess
from pathlib import Path


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def block_write(path: str | Path, name: str, lines: list[str], *, command: str, timed: bool = False) -> None:
    """Replace the lines between <!-- NAME:start --> and <!-- NAME:end --> in PATH with LINES, naming COMMAND.

    Timed figures also name the machine's load when they were printed: times on a busy machine say less.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{path} has no block {start} … {end}")
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    origin = f"Printed by `{command}` on {today} (commit {_commit()})"
    if timed:
        origin += f", {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
    body = "\n".join([start, f"{origin}; rewritten by that command.", "", "```", *lines, "```", end])
    path.write_text(pattern.sub(lambda _: body, text, count=1), encoding="utf-8")
