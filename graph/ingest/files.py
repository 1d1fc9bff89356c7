"""Writing text and CSV files atomically (a temporary file renamed into place), keeping their permissions."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from ..dataset import decode_text

__all__: list[str] = []


def _csv_text(columns: list[str], rows: list[dict], prefix_text: str = "") -> tuple[str, dict[int, dict]]:
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


def _write_csv_atomic(
    path: Path, columns: list[str], rows: list[dict], prefix_text: str = "", mode: int | None = None
) -> dict[int, dict]:
    """Write ``rows`` (after ``prefix_text``, else after a header); return line number -> row for each row."""
    text, lines = _csv_text(columns, rows, prefix_text)
    _write_text_atomic(path, text, mode)
    return lines


def _write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place.

    The file gets ``mode``, else the umask's default (a temporary file is private to its owner: the files of a
    shared data folder must stay readable by the others).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_of(path: Path) -> int | None:
    """The permission bits of an existing file, to keep them when it is replaced."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def _decoded(path: Path) -> str | None:
    """The text of a file as the loader reads it (UTF-8 or GB18030, ``\\n`` line ends); None if unreadable."""
    try:
        return decode_text(path.read_bytes())
    except (OSError, UnicodeDecodeError):
        return None
