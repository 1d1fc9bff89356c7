"""Reading an article file: its bytes decoded (UTF-8 or GB18030), binary data refused, then parsed."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import replace

from ..dataset import decode_text
from ..errors import DatasetError, Problem
from ..lang import os_reason, say
from .article import Article
from .dates import article_date
from .layouts import parse_article
from .places import PlaceIndex

__all__ = ["MAX_ARTICLE_BYTES", "read_article"]

#: The largest article file ingest reads, in bytes (20 MiB: a long work report is well under 1 MiB). A larger file,
#: and anything that is not a regular file (``/dev/zero``, a pipe, a folder of the wrong kind), is refused unread.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024


def _article_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of an article file, refused with a problem when it is not a regular file or is too large."""
    label = str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = say("a folder") if stat.S_ISDIR(info.st_mode) else say("a device, pipe or socket")
            raise DatasetError([Problem(label, 0, say("not a regular file ({kind}): expected a text file", kind=kind))])
        most = MAX_ARTICLE_BYTES // (1024 * 1024)
        if info.st_size > MAX_ARTICLE_BYTES:
            raise DatasetError(
                [
                    Problem(
                        label,
                        0,
                        say(
                            "{size:,} bytes: articles over {most} MiB are refused: split it into several files",
                            size=info.st_size,
                            most=most,
                        ),
                    )
                ]
            )
        with open(path, "rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise DatasetError([Problem(label, 0, say("cannot read: {why}", why=os_reason(exc)))]) from None
    if len(raw) > MAX_ARTICLE_BYTES:  # it grew while being read
        raise DatasetError(
            [
                Problem(
                    label,
                    0,
                    say(
                        "more than {size:,} bytes: articles over {most} MiB are refused: split it into several files",
                        size=MAX_ARTICLE_BYTES,
                        most=most,
                    ),
                )
            ]
        )
    return raw


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
    raw = _article_bytes(path)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DatasetError(
            [Problem(label, line, say("binary data ({what}): expected UTF-8 or GB18030 text", what="byte 0x00"))]
        )
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as utf8:  # report where it stops being UTF-8 when that is further in
            exc = utf8 if utf8.start > exc.start else exc
        line = raw[: exc.start].count(b"\n") + 1
        message = say(
            "not UTF-8 or GB18030 text: cannot decode byte(s) {bytes}", bytes=raw[exc.start : exc.end].hex(" ")
        )
        raise DatasetError([Problem(label, line, message)]) from None
    article = parse_article(text, label, known_places, layout, places)
    found, how = article_date(text, label, date)
    return replace(article, date=found, date_from=how)
