from tests.ingest.scoring import REPORT


def pytest_terminal_summary(terminalreporter):
    """Print the per-article figures of the ingest evaluation after the run."""
    if not REPORT:
        return
    terminalreporter.section("ingest evaluation over tests/articles")
    for line in REPORT:
        terminalreporter.write_line(line)
