"""The date of an article: from its dateline or text, its file name, or the date the user gives.

Dates are ISO 8601 (the data contract's ``date`` column), partial when the text says no more: ``2020``,
``2020-07``, ``2020-07-01``.
"""

from __future__ import annotations

import re
from datetime import date as _date
from pathlib import Path

from ..errors import DatasetError, Problem
from ..lang import say
from ..schema import DATE_PATTERN
from ..textutil import fold

__all__ = ["article_date", "iso_date"]

_ISO_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.]([01]?\d)[-/.]([0-3]?\d)(?!\d)")
_FULL_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*([01]?\d)\s*月\s*([0-3]?\d)\s*[日号]")
_MONTH_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*([01]?\d)\s*月(?!\s*\d)")
_DAY_RE = re.compile(r"(?<![\d年])([01]?\d)\s*月\s*([0-3]?\d)\s*[日号]")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
#: How many lines from the top count as the header (headline, dateline, byline, lead).
_HEADER_LINES = 8


def iso_date(year: int | str, month: int | str | None = None, day: int | str | None = None) -> str:
    """An ISO 8601 date, partial when month or day is None; '' when it is no calendar date.

    >>> iso_date(2024, 7, 31), iso_date("2020", "7"), iso_date(2021, 2, 30)
    ('2024-07-31', '2020-07', '')
    """
    try:
        y = int(year)
        if month is None:
            return f"{y:04d}"
        if day is None:
            return f"{y:04d}-{int(month):02d}" if 1 <= int(month) <= 12 else ""
        return _date(y, int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _in(text: str, year: str = "") -> tuple[str, str]:
    """(date, how) of the first full date in ``text``; a month-day gets ``year``."""
    for pattern, how in ((_ISO_RE, "dateline"), (_FULL_RE, "text")):
        for m in pattern.finditer(text):
            found = iso_date(*m.groups())
            if found:
                return found, how
    if year:
        for m in _DAY_RE.finditer(text):
            found = iso_date(year, *m.groups())
            if found:
                return found, "text"
    return "", ""


def article_date(text: str, path: str = "<text>", given: str | None = None) -> tuple[str, str]:
    """The date of an article and where it comes from (``--date``, ``dateline``, ``text``, ``file name``).

    In order: ``given`` (the ``--date`` option); a full date in the header (``2024-07-31 09:26``,
    ``2020年10月22日``); a month and day there (``7月1日``) with the year of the file name or of the text; a date in
    the file name (``report-2020-10-22.txt``); a full date anywhere in the text.

    Raises
    ------
    DatasetError
        ``given`` is not an ISO date, or the article has no date and none is given.

    Examples
    --------
    >>> article_date("标题\\n2024-07-31 09:26:00 来源: 某网\\n正文。")
    ('2024-07-31', 'dateline')
    >>> article_date("标题\\n7月1日,甲市启动。", "news-2023.txt")
    ('2023-07-01', 'text')
    >>> article_date("甲市启动。", "x.txt", "2020-07")
    ('2020-07', '--date')
    """
    if given:
        if not DATE_PATTERN.match(given) or not iso_date(*[g for g in DATE_PATTERN.match(given).groups() if g]):
            raise DatasetError(
                [Problem(path, 0, say("--date {date!r}: expected an ISO date (2024, 2024-07, 2024-07-31)", date=given))]
            )
        return given, "--date"
    text = fold(text)
    header = "\n".join([line for line in text.split("\n") if line.strip()][:_HEADER_LINES])
    name = Path(path).name
    file_years = _YEAR_RE.findall(name)
    text_years = _YEAR_RE.findall(text)
    year = file_years[0] if file_years else (text_years[0] if text_years else "")
    found, how = _in(header, year)
    if found:
        return found, how
    match = _ISO_RE.search(name) or re.search(r"(?<!\d)((?:19|20)\d{2})([01]\d)([0-3]\d)(?!\d)", name)
    if match and iso_date(*match.groups()):
        return iso_date(*match.groups()), "file name"
    found, how = _in(text, "")
    if found:
        return found, how
    raise DatasetError(
        [
            Problem(
                path,
                1,
                say(
                    "no date found (such as 2024-07-31, 2024年7月31日, or 7月31日 with a year in the file name): "
                    "give the article's date with --date YYYY-MM-DD"
                ),
            )
        ]
    )
