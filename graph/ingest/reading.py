"""Reading an article file: its bytes decoded (UTF-8 or GB18030), binary data refused, then parsed."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..dataset import decode_text
from ..errors import DatasetError, Problem
from .article import Article
from .dates import article_date
from .layouts import parse_article
from .places import PlaceIndex

__all__ = ["read_article"]


def read_article(
    path: str | os.PathLike,
    known_places: Iterable[str] = (),
    layout: str | None = None,
    date: str | None = None,
    places: PlaceIndex | None = None,
) -> Article:
    """Read a file (UTF-8 with or without BOM, or GB18030), :func:`parse_article` it and find its date.

    ``layout`` forces a layout (see :data:`~graph.ingest.layouts.LAYOUTS`); ``date`` is the ``--date`` option,
    used before what the text says (:func:`~graph.ingest.dates.article_date`).

    Raises
    ------
    DatasetError
        ``FILE:LINE: ...``: the file cannot be read or decoded, has no section or place, or has no date and none
        is given.
    """
    label = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DatasetError([Problem(label, 0, f"cannot read: {exc.strerror or exc}")]) from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DatasetError([Problem(label, line, "binary data (byte 0x00): expected UTF-8 or GB18030 text")])
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as utf8:  # report where it stops being UTF-8 when that is further in
            exc = utf8 if utf8.start > exc.start else exc
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 or GB18030 text: cannot decode byte(s) {raw[exc.start : exc.end].hex(' ')}"
        raise DatasetError([Problem(label, line, message)]) from None
    article = parse_article(text, label, known_places, layout, places)
    found, how = article_date(text, label, date)
    return replace(article, date=found, date_from=how)
