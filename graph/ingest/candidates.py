"""Candidate rows for review: their columns, statuses and confidence, and the ids of new things."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..lang import say
from ..schema import ENTITY_COLUMNS
from ..table import Table

__all__ = ["CANDIDATE_COLUMNS", "STATUSES", "text_slug", "pinyin_words", "readable_id", "Candidates"]


#: The extra columns of a candidate file, after the dataset's own.
CANDIDATE_COLUMNS = ["status", "confidence", "note"]


#: ``new``: will be added; ``uncertain``: will be added, but check it first (confidence below 0.7);
#: ``matches-existing``: already in the dataset. A reviewer may set ``rejected`` (or delete the row).
STATUSES = ("new", "uncertain", "matches-existing", "rejected")


_UNCERTAIN_BELOW = 0.7


#: The key under which a row read from a review file keeps its (file, line), for problems found when merging.
WHERE_COLUMN = "_where"


def text_slug(text: str, prefix: str = "x") -> str:
    """A stable ascii slug for Chinese text: ``x-`` and the first 8 hex digits of its UTF-8 SHA-1.

    >>> text_slug("汉川")
    'x-1cf61f95'
    """
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


def pinyin_words(text: str) -> list[str]:
    """The words of Chinese text in toneless pinyin, the syllables of a word joined (pypinyin, jieba's words).

    >>> pinyin_words("头雁工程")
    ['touyan', 'gongcheng']
    """
    from pypinyin import lazy_pinyin

    from ..textutil import jieba_plain

    words = []
    for word in jieba_plain().lcut(text, HMM=False):
        ascii_word = re.sub(r"[^a-z0-9]+", "", "".join(lazy_pinyin(word)).lower())
        if ascii_word:
            words.append(ascii_word)
    return words


def readable_id(type_: str, text: str, taken: Callable[[str], bool] = lambda eid: False, one_word: bool = False) -> str:
    """An id for a new entity from the pinyin of its Chinese name: ``initiative:touyan-gongcheng``.

    ``taken(id)`` says an id is in use by another entity: then ``-2``, ``-3`` ... is appended; ``one_word``
    joins the syllables of a place name (``city:wucheng``). A name with no pinyin falls back to :func:`text_slug`.

    >>> readable_id("city", "戊城", one_word=True)
    'city:wucheng'
    >>> readable_id("initiative", "头雁工程", lambda eid: eid == "initiative:touyan-gongcheng")
    'initiative:touyan-gongcheng-2'
    """
    slug = ("" if one_word else "-").join(pinyin_words(text))[:48].strip("-") or text_slug(text)
    eid, n = f"{type_}:{slug}", 1
    while taken(eid):
        n += 1
        eid = f"{type_}:{slug}-{n}"
    return eid


@dataclass
class Candidates:
    """Candidate rows: ``entities`` and ``relations`` (dicts with the dataset's columns plus ``status``,
    ``confidence`` and ``note``), and ``texts``, the text of each source the rows quote."""

    entities: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def entity(self, eid: str) -> dict | None:
        """The candidate row of an entity id, or None."""
        return next((row for row in self.entities if row["id"] == eid), None)

    def extend(self, other: Candidates) -> None:
        """Add the rows of ``other`` that are not here yet (by id, or by source-relation-target)."""
        ids = {row["id"] for row in self.entities}
        keys = {(r["source"], r["relation"], r["target"]) for r in self.relations}
        self.entities += [row for row in other.entities if row["id"] not in ids]
        self.relations += [r for r in other.relations if (r["source"], r["relation"], r["target"]) not in keys]
        self.texts.update(other.texts)

    def summary(self) -> Table:
        """Counts of candidate rows by kind, type and status."""
        counts: dict[tuple[str, str, str], int] = {}
        for kind, rows, type_key in (("entity", self.entities, "type"), ("relation", self.relations, "relation")):
            for row in rows:
                key = (kind, row[type_key], row["status"])
                counts[key] = counts.get(key, 0) + 1
        rows = [
            {"kind": say(k), "type": say(t), "status": say(s), "count": n} for (k, t, s), n in sorted(counts.items())
        ]
        return Table(["kind", "type", "status", "count"], rows, title=say("candidates"), name="candidates")


def status_for(confidence: float) -> str:
    return "new" if confidence >= _UNCERTAIN_BELOW else "uncertain"


def entity_row(eid: str, type_: str, name: str, status: str, confidence: float, note: str, **extra) -> dict:
    row = dict.fromkeys(ENTITY_COLUMNS, "")
    row.update(id=eid, type=type_, name=name, status=status, confidence=round(confidence, 2), note=note)
    row.update(extra)
    return row


def relation_row(source, relation, target, evidence, document, status, confidence, note) -> dict:
    return {
        "source": source,
        "relation": relation,
        "target": target,
        "evidence": evidence,
        "document": document,
        "status": status,
        "confidence": round(confidence, 2),
        "note": note,
    }
