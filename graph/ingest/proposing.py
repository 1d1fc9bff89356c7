"""Candidate rows for parsed articles: the source, places, practices, their links and new initiatives."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..dataset import Dataset
from ..names import strip_suffix
from ..schema import ID_PATTERN
from ..textutil import fold, jieba_for, jieba_plain, split_clauses
from .article import Article
from .candidates import Candidates, _entity_row, _relation_row, _status, text_slug
from .matching import _dice, _initiative_terms, _match_clause, _phrases, _Term, _term, _word_weights
from .places import _city_keys, _level_of, _match_place

__all__ = ["propose"]


_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


_YEAR_BEFORE_RE = re.compile(r"(?<!\d)(\d{4})\s*年?\s*$")


def _source_for(dataset: Dataset, article: Article, taken: dict[str, str]) -> tuple[str, str, str]:
    """(source id, status, note) for an article: an existing source with the same text, else a new id."""
    text = article.text.strip()
    for sid, existing in sorted(dataset.texts.items()):
        if existing.strip() == text:
            return sid, "matches-existing", f"same text as {sid}"
    stem = Path(article.path).stem.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    sid = f"source:{slug}" if slug and ID_PATTERN.match(f"source:{slug}") else ""
    if not sid or (sid in dataset.entities) or (sid in taken and taken[sid] != text):
        sid = "source:" + text_slug(text)
    return sid, "new", f"text of {article.path}"


def _names_event(text: str, event) -> bool:
    """Whether ``text`` names the event: its name or an alias, not right after another year than the event's.

    The 2020 meeting answers to its year-less alias in a 2020 article, but not in the report of the 2021 one.

    >>> from graph.dataset import Entity
    >>> event = Entity("event:m-2020", "event", "2020汉江会议", aliases=("汉江会议",))
    >>> [_names_event(t, event) for t in ("2020汉江会议召开", "汉江会议召开", "2021年汉江会议召开")]
    [True, True, False]
    """
    years = set(_YEAR_RE.findall(event.name))
    for name in (event.name, *event.aliases):
        start = text.find(name) if name else -1
        while start >= 0:
            before = _YEAR_BEFORE_RE.search(text[:start])
            if before is None or not years or before.group(1) in years:
                return True
            start = text.find(name, start + 1)
    return False


def _existing_practice(dataset: Dataset, city: str, quote: str, evidence: str) -> str:
    for r in dataset.relations:
        if r.relation == "reports" and r.source == city:
            practice = dataset.entities[r.target]
            if (
                practice.name in (quote, evidence)
                or r.evidence in (quote, evidence)
                or (r.evidence and r.evidence in quote)
            ):
                return r.target
    return ""


def propose(model, articles: Iterable[Article], progress: Callable[[str], None] | None = None) -> Candidates:
    """Candidate rows for the articles: places, practices, their links to initiatives, and new initiatives.

    Parameters
    ----------
    model : graph.model.Model
        The dataset the candidates are matched against.
    articles : iterable of Article
    progress : callable, optional
        Called with each article's path once it is done.

    Returns
    -------
    Candidates
        Rows with ``status`` (new, uncertain, matches-existing) and ``confidence`` (0-1) for review.
    """
    dataset: Dataset = model.dataset
    tokenizer = jieba_for(dataset)
    terms = _initiative_terms(dataset)
    keys = _city_keys(dataset)
    events = [e for e in dataset.entities.values() if e.type == "event"]
    out = Candidates()
    taken: dict[str, str] = {}
    existing_relations = {(r.source, r.relation, r.target) for r in dataset.relations}
    entity_rows: dict[str, dict] = {}
    relation_rows: dict[tuple[str, str, str], dict] = {}
    # phrase -> {city id: (practice id, quote, document)} for the initiatives nobody has named yet
    phrases: dict[str, dict[str, tuple[str, str, str]]] = {}
    clauses: list[tuple[str, str, str]] = []  # (practice id, clause, source id) of every clause read

    def add_entity(row: dict) -> None:
        if row["id"] in dataset.entities:
            row["status"] = "matches-existing"
        old = entity_rows.get(row["id"])
        if old is None or float(row["confidence"]) > float(old["confidence"]):
            entity_rows[row["id"]] = row

    def add_relation(row: dict) -> None:
        key = (row["source"], row["relation"], row["target"])
        if key in existing_relations:
            row["status"] = "matches-existing"
        old = relation_rows.get(key)
        if old is None or float(row["confidence"]) > float(old["confidence"]):
            relation_rows[key] = row

    articles = list(articles)
    weight = _word_weights(articles, terms)
    for article in articles:
        sid, sstatus, snote = _source_for(dataset, article, taken)
        taken[sid] = article.text.strip()
        if sstatus == "new":
            out.texts[sid] = article.text
            first = article.intro[0].lead if article.intro else ""
            name = first if first and len(first) <= 60 else Path(article.path).stem
            date = re.search(r"\d{4}-\d{2}-\d{2}", Path(article.path).name)
            description = " ".join(x for x in (article.publisher, date.group(0) if date else "") if x)
            add_entity(_entity_row(sid, "source", name, "new", 1.0, snote, description=description))
        else:
            add_entity(_entity_row(sid, "source", dataset.name_of(sid), sstatus, 1.0, snote))
        intro_text = "\n".join(p.text for p in article.intro)
        covered = [e for e in events if _names_event(intro_text, e)]
        for event in covered:
            add_relation(_relation_row(sid, "covers", event.id, "", "", "new", 0.9, f"the intro names {event.name}"))

        for section in article.sections:
            cid, cstatus, cconf, cnote = _match_place(dataset, keys, section.place, section.parent)
            if not cid:
                if cstatus == "uncertain":
                    continue  # ambiguous: nothing sensible to attach the practices to
                short = strip_suffix(fold(section.place))
                cid = "city:" + text_slug(short)
                add_entity(
                    _entity_row(
                        cid,
                        "city",
                        section.place,
                        cstatus,
                        cconf,
                        cnote,
                        name_en=cid.split(":", 1)[1],
                        aliases=short if short != section.place else "",
                        description="新增地方(待审核)",
                        level=_level_of(section.place),
                    )
                )
            else:
                add_entity(_entity_row(cid, "city", dataset.name_of(cid), cstatus, cconf, cnote))
            city_slug = cid.split(":", 1)[1]
            for event in covered:
                add_relation(_relation_row(cid, "attended", event.id, "", "", "new", 0.9, "a section of the article"))

            def practice_id(quote: str, evidence: str) -> tuple[str, bool]:
                found = _existing_practice(dataset, cid, quote, evidence)  # noqa: B023
                return (found, True) if found else (f"practice:{city_slug}-{text_slug(cid + quote, 'p')[2:]}", False)  # noqa: B023

            head_id, head_known = practice_id(section.title, section.heading)
            add_entity(
                _entity_row(
                    head_id,
                    "practice",
                    section.title if not head_known else dataset.name_of(head_id),
                    "new",
                    0.9,
                    f"headline of {section.place}",
                )
            )
            add_relation(
                _relation_row(cid, "reports", head_id, section.heading, sid, "new", 0.9, "the section's heading")
            )
            units: list[tuple[str, str]] = [(head_id, section.title)]
            for paragraph in section.paragraphs:
                if paragraph.intro:
                    units.append((head_id, paragraph.text))
                    continue
                pid, known = practice_id(paragraph.lead, paragraph.lead)
                add_entity(
                    _entity_row(
                        pid,
                        "practice",
                        paragraph.lead if not known else dataset.name_of(pid),
                        "new",
                        0.85,
                        f"lead sentence of line {paragraph.line}",
                    )
                )
                add_relation(_relation_row(cid, "reports", pid, paragraph.lead, sid, "new", 0.85, "a measure"))
                add_relation(
                    _relation_row(pid, "part_of", head_id, paragraph.lead, sid, "new", 0.85, f"a measure of {head_id}")
                )
                units.append((pid, paragraph.text))

            for pid, unit in units:
                for _, clause in split_clauses(unit):
                    clauses.append((pid, clause, sid))
                    matched = _match_clause(clause, terms, tokenizer, weight)
                    for initiative, (confidence, how) in matched.items():
                        add_relation(
                            _relation_row(
                                pid, "instance_of", initiative, clause, sid, _status(confidence), confidence, how
                            )
                        )
                    if not matched:
                        for phrase in _phrases(clause):
                            phrases.setdefault(phrase, {}).setdefault(cid, (pid, clause, sid))
        if progress is not None:
            progress(article.path)

    # New initiatives are linked wherever the matcher would find them once they are in the dataset, so that a
    # second run after merging adds nothing.
    for entity, phrase, confidence in _new_initiatives(phrases, terms):
        add_entity(entity)
        term = [_term(entity["id"], phrase, confidence, jieba_plain())]
        for pid, clause, sid in clauses:
            if _match_clause(clause, term, tokenizer, weight):
                note = f"names {phrase}, proposed as a new initiative"
                add_relation(
                    _relation_row(pid, "instance_of", entity["id"], clause, sid, "uncertain", confidence, note)
                )
    out.entities = list(entity_rows.values())
    out.relations = list(relation_rows.values())
    return out


def _new_initiatives(phrases: dict[str, dict[str, tuple[str, str, str]]], terms: list[_Term]):
    """Phrases (or their longest common parts of 4+ characters) found at two places or more that match nothing.

    Yields ``(entity row, phrase, confidence)``, the phrases found at most places first, at most 15.
    """
    pool = sorted(phrases)
    common: set[str] = set()
    for a_index, a in enumerate(pool):
        for b in pool[a_index + 1 :]:
            if set(phrases[a]) == set(phrases[b]) and len(phrases[a]) == 1:
                continue
            match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
            if match.size >= 4:
                common.add(a[match.a : match.a + match.size])
    scored = []
    for phrase in common | set(pool):
        where = {city for other, places in phrases.items() if phrase in other for city in places}
        if len(where) >= 2 and not any(_dice(phrase, t.text) >= 0.5 or t.text in phrase for t in terms):
            scored.append((phrase, len(where)))
    chosen: list[tuple[str, int]] = []
    for phrase, n in sorted(scored, key=lambda item: (-item[1], -len(item[0]), item[0])):
        if not any(phrase in other or other in phrase for other, _ in chosen):
            chosen.append((phrase, n))
    for phrase, n in chosen[:15]:
        iid = "initiative:" + text_slug(phrase)
        confidence = min(0.3 + 0.1 * n, 0.55)
        note = f"recurs at {n} places and matches no initiative: name it (name_en too), or reject it"
        yield (
            _entity_row(iid, "initiative", phrase, "uncertain", confidence, note, name_en=iid.split(":", 1)[1]),
            phrase,
            confidence,
        )
