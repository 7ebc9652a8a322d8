"""CSV export: readable headers, nested values flattened, rows streamed chunk by chunk."""

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.text import capfirst
from rest_framework.renderers import BaseRenderer

# Rows fetched per database round trip; prefetches run once per chunk.
CSV_CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value):
        return value


# What spreadsheet programs read as the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain number cannot carry a formula, and stays a number when a spreadsheet opens the file.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def neutralise(text: str) -> str:
    """Return a cell's text prefixed with a single quote if a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value) -> str:
    """Return a serialized value as the text of one spreadsheet cell, never a formula."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return neutralise(flatten(value))


def flatten(value) -> str:
    """Return a serialized value as one readable cell: nested records by name, lists joined by "; "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(flatten(item) for item in value)
    if isinstance(value, dict):
        if "path" in value:
            return " / ".join(flatten(part) for part in value["path"])
        for key in ("name", "title", "code"):
            if key in value:
                return str(value[key])
        return " ".join(text for text in (flatten(item) for item in value.values()) if text)
    return str(value)


def csv_columns(serializer) -> list[tuple[str, str]]:
    """Return (field name, header) for each readable field of a serializer."""
    return [
        (name, capfirst(str(field.label or name)))
        for name, field in serializer.fields.items()
        if not field.write_only
    ]


def csv_lines(columns: list[tuple[str, str]], rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark lets spreadsheet programs read Chinese text as UTF-8.
    yield "\ufeff" + writer.writerow([neutralise(header) for _, header in columns])
    for row in rows:
        yield writer.writerow([cell(row.get(name)) for name, _ in columns])


def csv_streaming_response(queryset, serializer_class, *, context: dict, filename: str) -> StreamingHttpResponse:
    """Stream a queryset as CSV without holding more than one chunk of rows in memory."""
    # One serializer builds its fields once and then represents every row.
    serializer = serializer_class(context=context)
    rows = (serializer.to_representation(record) for record in queryset.iterator(chunk_size=CSV_CHUNK_SIZE))
    response = StreamingHttpResponse(csv_lines(csv_columns(serializer), rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class CSVRenderer(BaseRenderer):
    """Render `?format=csv`; lists are streamed by the view, this renders single objects and stats."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data.get("results", [data]) if isinstance(data, dict) else list(data)
        names = list(dict.fromkeys(name for row in rows for name in row))
        return "".join(csv_lines([(name, capfirst(name.replace("_", " "))) for name in names], rows)).encode("utf-8")
