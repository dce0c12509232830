"""One reader for every table people upload: organisations, population counts, paper responses (CSV and XLSX).

``iter_rows(filename, data)`` yields (line number, cells) one row at a time and stops with a
``TableReadError`` the moment a limit is passed, before reading on: the file's size first, then
the number of rows with anything in them (and of rows at all, so a million empty rows cannot hold
a worker either), then the columns of each row. XLSX is streamed (openpyxl's read-only mode): a
workbook of a million rows is refused after row 5,001, not after reading all of them (issue 15,
finding 5). CSV must be UTF-8 (a BOM is fine); cells come back stripped.

Callers map ``TableReadError.kind`` to their own translated messages (they differ in wording, not
in substance): ``too_large``, ``too_many_rows``, ``not_utf8``, ``binary``, ``malformed``, ``not_xlsx``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 200
BLANK_ROWS_ALLOWED = 4  # physical rows per counted row: trailing blank rows are common in spreadsheets


class TableReadError(ValueError):
    """An upload could not be read, or passed a limit: ``kind`` says which, ``line`` where (1 = first row)."""

    def __init__(self, kind: str, line: int = 0, detail: str = "") -> None:
        super().__init__(f"{kind} at line {line}: {detail}" if detail else f"{kind} at line {line}")
        self.kind, self.line, self.detail = kind, line, detail


def is_xlsx(filename: str | None) -> bool:
    """Return True if the upload's name says it is an Excel workbook."""
    return (filename or "").lower().endswith(".xlsx")


def iter_rows(filename: str | None, data: bytes, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES,
              max_columns: int = MAX_COLUMNS) -> Iterator[tuple[int, list[str]]]:
    """Yield (line, cells) for every row of a CSV or XLSX upload, the header row included.

    ``max_rows`` counts rows after the header that have anything in them. Raises TableReadError.
    """
    if len(data) > max_bytes:
        raise TableReadError("too_large", 0)
    rows = _xlsx_rows(data, max_columns) if is_xlsx(filename) else _csv_rows(data, max_columns)
    filled = 0
    physical_limit = (max_rows + 1) * BLANK_ROWS_ALLOWED + 100
    for line, cells in rows:
        if any(cells):
            filled += 1
            if filled - 1 > max_rows:
                raise TableReadError("too_many_rows", line)
        if line > physical_limit:
            raise TableReadError("too_many_rows", line)
        yield line, cells


def _csv_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableReadError("not_utf8", data[: exc.start].count(b"\n") + 1) from exc
    if "\x00" in text:
        raise TableReadError("binary", text[: text.index("\x00")].count("\n") + 1)
    reader = csv.reader(io.StringIO(text))  # a bare CR inside a value is an error, not a new row
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a stray CR or an unclosed quote: name the row, never a 500
            raise TableReadError("malformed", line + 1, str(exc)) from exc
        line += 1
        if len(row) > max_columns:
            raise TableReadError("malformed", line, "too many columns")
        yield line, [cell.strip() for cell in row]


MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024  # openpyxl reads the shared strings whole, before any row


def _streaming_sheets() -> None:
    """Make openpyxl's read-only sheets stream from the first row.

    A read-only sheet finds its size when opened: from the sheet's <dimension>, or, when there is
    none, by parsing every row (parse_dimensions waits for the end of <sheetData>). A file without
    one made every import read the whole sheet before the row limit was checked. The size is not
    needed (rows are read until they end or a limit is passed), and a <dimension> may lie anyway.
    """
    import openpyxl.reader.excel as excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if getattr(excel.ReadOnlyWorksheet, "guth_streaming", False):
        return

    class StreamingWorksheet(ReadOnlyWorksheet):
        guth_streaming = True

        def _get_size(self) -> None:
            return None

    excel.ReadOnlyWorksheet = StreamingWorksheet  # type: ignore[misc]


def _check_archive(data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for item in archive.infolist():
                if item.filename.lower().endswith("sharedstrings.xml") and item.file_size > MAX_SHARED_STRINGS_BYTES:
                    raise TableReadError("too_large", 0)
    except zipfile.BadZipFile as exc:
        raise TableReadError("not_xlsx", 0) from exc


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, list[str]]]:
    _check_archive(data)
    _streaming_sheets()
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise TableReadError("not_xlsx", 0)
        rows = sheet.iter_rows(values_only=True, max_col=max_columns)
    except TableReadError:
        raise
    except Exception as exc:  # a corrupt or non-Excel file: say so, never a 500  # noqa: BLE001
        raise TableReadError("not_xlsx", 0) from exc
    line = 0
    try:
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001  (a sheet that breaks part-way)
                raise TableReadError("not_xlsx", line + 1) from exc
            line += 1
            cells = ["" if cell is None else str(cell).strip() for cell in row]
            while cells and not cells[-1]:  # rows come padded to max_columns
                cells.pop()
            yield line, cells
    finally:
        book.close()


def read_table(filename: str | None, data: bytes, **limits: int) -> list[list[str]]:
    """Return every row with anything in it (the header first), read under the limits."""
    return [cells for _line, cells in iter_rows(filename, data, **limits) if any(cells)]
