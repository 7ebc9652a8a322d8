"""CSV and spreadsheet (.xlsx) output: readable headers, one cell per field, no cell a formula.

A list is exported by the view through `TableRenderer.export` (its rows come from
partnerships/api/exports.py, streamed); `render` serves single objects and stats.
"""

import csv
import io
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import orjson
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from partnerships.api import copy_export, exports

# What spreadsheet programs read as the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# A plain number cannot carry a formula, and stays a number when a spreadsheet opens the file.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# Rows of one worksheet, the header included (Excel's limit, and so LibreOffice's and others').
XLSX_MAX_ROWS = 1_048_576
# Characters of one spreadsheet cell (Excel's limit); longer texts are cut there.
XLSX_MAX_CELL = 32_767
LINE_SEPARATOR, PARAGRAPH_SEPARATOR = "\u2028".encode(), "\u2029".encode()
# Text handed to the response at a time: one yield per row would cost more than the row.
CSV_BUFFER = 64 * 1024


def neutralise(text: str) -> str:
    """Return a cell's text prefixed with a single quote if a spreadsheet would run it as a formula."""
    if text[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value) -> str:
    """Return a value as the text of one CSV cell, never a formula."""
    if type(value) is str:  # most cells: skip the checks below
        return neutralise(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return neutralise(exports.flatten(value))


def xlsx_cell(value):
    """Return a value as a spreadsheet cell: numbers stay numbers, text is cleaned and never a formula."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    # openpyxl refuses control characters; strip them before looking at how the text starts.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", exports.flatten(value)))[:XLSX_MAX_CELL]


def csv_text(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Yield CSV text a few tens of kilobytes at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A byte-order mark lets spreadsheet programs read Chinese text as UTF-8.
    buffer.write("\ufeff")
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow([cell(value) for value in row])
        if buffer.tell() > CSV_BUFFER:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(headers: list[str], rows: Iterable[list], *, sheets: Iterable[tuple] = (), title: str | None = None):
    """Return a temporary file holding the rows as a worksheet (openpyxl's write-only mode).

    `sheets` adds worksheets after it, each (title, headers, rows).
    """
    workbook = Workbook(write_only=True)
    for name, sheet_headers, sheet_rows in [(title, headers, rows), *sheets]:
        sheet = workbook.create_sheet(title=name)
        sheet.append([xlsx_cell(header) for header in sheet_headers])
        for row in sheet_rows:
            sheet.append([xlsx_cell(value) for value in row])
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file


def in_language(iterator: Iterator, language: str) -> Iterator:
    """Run a generator in the request's language, whenever the server consumes it."""
    with translation.override(language):
        yield from iterator


def dict_table(data) -> tuple[list[str], list[list]]:
    """Return headers and rows for a single object or a stats answer (no serializer at hand)."""
    if data is None:
        return [], []
    rows = data.get("results", [data]) if isinstance(data, dict) else list(data)
    names = list(dict.fromkeys(name for row in rows for name in row))
    return [capfirst(name.replace("_", " ")) for name in names], [[row.get(name) for name in names] for row in rows]


class FastJSONRenderer(JSONRenderer):
    """JSON as DRF's renderer writes it, written by orjson: a list page's encoding costs a tenth.

    What orjson does not write as DRF's encoder would (datetimes, decimals, lazy translations)
    goes to that encoder; an indented answer (the browsable API's) and anything orjson
    refuses (keys that are not text) are written by DRF's renderer itself.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            text = orjson.dumps(data, default=self.encoder_class().default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except TypeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: these two are valid JSON but end a line in JavaScript.
        return text.replace(LINE_SEPARATOR, b"\\u2028").replace(PARAGRAPH_SEPARATOR, b"\\u2029")


class TableRenderer(BaseRenderer):
    """A format a list can be exported in: `export` answers a list, `render` anything else."""

    extension: str

    def export(self, queryset, serializer, *, filename: str):
        raise NotImplementedError

    def attach(self, response, filename: str):
        response["Content-Disposition"] = f'attachment; filename="{filename}.{self.extension}"'
        return response


class CSVRenderer(TableRenderer):
    """`?format=csv`: a list is streamed as it is read, in constant memory."""

    media_type = "text/csv"
    format = "csv"
    extension = "csv"
    charset = "utf-8"

    def export(self, queryset, serializer, *, filename: str):
        headers = [header for _, _, header in exports.columns(serializer)]
        # On PostgreSQL, COPY writes the rows (partnerships/api/copy_export.py); elsewhere Python does.
        rows = copy_export.copy_chunks(queryset, serializer)
        if rows is None:
            text = csv_text(headers, exports.table_rows(queryset, serializer))
        else:
            text = itertools.chain(csv_text(headers, []), rows)
        text = in_language(text, translation.get_language())
        return self.attach(StreamingHttpResponse(text, content_type="text/csv; charset=utf-8"), filename)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return "".join(csv_text(*dict_table(data))).encode("utf-8")


class XLSXRenderer(TableRenderer):
    """`?format=xlsx`: a list is written to a temporary workbook, then streamed from it."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    extension = "xlsx"
    charset = None
    render_style = "binary"

    def export(self, queryset, serializer, *, filename: str):
        rows = queryset.count()
        if rows + 1 > XLSX_MAX_ROWS:
            raise ValidationError(
                {
                    "format": [
                        _(
                            "A spreadsheet holds at most %(limit)s rows and this list has %(rows)s: "
                            "narrow it with filters, or export it as CSV."
                        )
                        % {"limit": f"{XLSX_MAX_ROWS - 1:,}", "rows": f"{rows:,}"}
                    ]
                }
            )
        headers = [header for _, _, header in exports.columns(serializer)]
        file = xlsx_file(headers, exports.table_rows(queryset, serializer))
        return self.attach(FileResponse(file, content_type=self.media_type), filename)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        with xlsx_file(*dict_table(data)) as file:
            return file.read()
