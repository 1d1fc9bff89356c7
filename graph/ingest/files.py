"""Writing text and CSV files atomically (a temporary file renamed into place), keeping their permissions."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..dataset import decode_text
from ..files import write_atomic

__all__ = ["csv_text", "write_csv_atomic", "write_text", "decoded_text"]


def csv_text(columns: list[str], rows: list[dict], prefix_text: str = "") -> tuple[str, dict[int, dict]]:
    """``rows`` as CSV text (after ``prefix_text``, else after a header), and line number -> row for each row."""
    buffer = io.StringIO()
    if prefix_text:
        buffer.write(prefix_text if prefix_text.endswith("\n") else prefix_text + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    if not prefix_text:
        writer.writerow(columns)
    line = buffer.getvalue().count("\n") + 1
    lines = {}
    for row in rows:
        start = buffer.tell()
        writer.writerow([row.get(c, "") for c in columns])
        lines[line] = row
        buffer.seek(start)
        line += buffer.read().count("\n")
    return buffer.getvalue(), lines


def write_csv_atomic(
    path: Path, columns: list[str], rows: list[dict], prefix_text: str = "", mode: int | None = None
) -> dict[int, dict]:
    """Write ``rows`` (after ``prefix_text``, else after a header); return line number -> row for each row."""
    text, lines = csv_text(columns, rows, prefix_text)
    write_text(path, text, mode)
    return lines


def write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` atomically with :func:`graph.files.write_atomic`, creating the folders it needs first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text, mode=mode)


def decoded_text(path: Path) -> str | None:
    """The text of a file as the loader reads it (UTF-8 or GB18030, ``\\n`` line ends); None if unreadable."""
    try:
        return decode_text(path.read_bytes())
    except (OSError, UnicodeDecodeError):
        return None
