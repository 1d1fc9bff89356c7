"""Matching a clause of an article to the dataset's initiatives, each match with a confidence and a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dataset import Dataset
from ..textutil import compact, fold, jieba_plain
from .article import Article
from .places import _CJK_RE

__all__: list[str] = []


_QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")


_VERBS = (
    "深入实施", "深入推进", "全面推行", "全面推进", "大力推进", "积极探索", "创新实施", "创新开展",
    "开展", "实施", "推行", "推进", "建立", "健全", "探索", "深化", "打造", "组建", "构建", "完善", "落实", "强化",
    "加强", "推动", "实行", "搭建", "设立", "出台", "制定", "培养", "选聘", "引进", "整顿", "创建", "组织", "发挥",
)  # fmt: skip


_VERB_RE = re.compile("(" + "|".join(_VERBS) + ")")


_EXACT_NAME, _EXACT_ALIAS, _QUOTED, _TOKENS, _TOKENS_PART, _VERB_OBJECT = 0.95, 0.9, 0.85, 0.75, 0.55, 0.5


@dataclass(frozen=True)
class _Term:
    initiative: str
    text: str
    confidence: float
    tokens: tuple[str, ...]


def _initiative_terms(dataset: Dataset) -> list[_Term]:
    """Every Chinese name and alias of an initiative, with its words (jieba's own dictionary, 2+ characters)."""
    plain = jieba_plain()
    terms = []
    for e in dataset.entities.values():
        if e.type != "initiative":
            continue
        for text, confidence in [(e.name, _EXACT_NAME)] + [(a, _EXACT_ALIAS) for a in e.aliases]:
            text = fold(text).strip()
            if len(text) < 2 or text.isascii():
                continue
            terms.append(_term(e.id, text, confidence, plain))
    return terms


def _term(initiative: str, text: str, confidence: float, plain) -> _Term:
    tokens = tuple(t for t in plain.lcut(text, HMM=False) if len(t) >= 2 and _CJK_RE.match(t))
    return _Term(initiative, text, confidence, tokens)


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _objects(clause: str) -> list[str]:
    """The objects of the verbs in a clause: the text after each verb up to the clause's end."""
    found = []
    for match in _VERB_RE.finditer(clause):
        obj = clause[match.end() :].strip('“”"「」 ')
        if 2 <= len(obj) <= 20:
            found.append(obj)
    return found


def _match_clause(clause: str, terms: list[_Term], tokenizer, weight=None) -> dict[str, tuple[float, str]]:
    """initiative id -> (confidence, how) for one clause.

    ``weight(word)`` rates how telling a word is (its inverse section frequency); a term whose words are only
    partly present matches when the present words carry 3/4 of the term's weight.
    """
    weight = weight or (lambda word: 1.0)
    best: dict[str, tuple[float, str]] = {}

    def keep(initiative: str, confidence: float, how: str) -> None:
        if confidence > best.get(initiative, (0.0, ""))[0]:
            best[initiative] = (confidence, how)

    folded = fold(clause)
    packed = compact(folded)
    quoted = [q for q in _QUOTED_RE.findall(folded)]
    words = None
    objects = None
    for term in terms:
        if term.text in folded or compact(term.text) in packed:
            keep(term.initiative, term.confidence, f"names {term.text}")
            continue
        for q in quoted:
            if len(q) >= 4 and q in term.text:
                keep(term.initiative, _QUOTED, f"quotes “{q}”, part of {term.text}")
        if len(term.tokens) >= 2:
            if words is None:
                words = set(tokenizer.lcut(folded, HMM=False))
            present = [t for t in term.tokens if t in words or t in packed]
            if len(present) == len(term.tokens):
                keep(term.initiative, _TOKENS, f"has the words of {term.text}: {' '.join(present)}")
            else:
                share = sum(weight(t) for t in present) / sum(weight(t) for t in term.tokens)
                if share >= 0.75 and len(present) >= 2:
                    keep(term.initiative, _TOKENS_PART, f"has most words of {term.text}: {' '.join(present)}")
        if objects is None:
            objects = _objects(folded)
        for obj in objects:
            if len(obj) < 4:
                continue
            dice = _dice(obj, term.text)
            if dice >= 0.5:
                keep(term.initiative, _VERB_OBJECT + 0.3 * (dice - 0.5) / 0.5, f"verb + object {obj} ~ {term.text}")
    return best


def _word_weights(articles: list[Article], terms: list[_Term]):
    """word -> ln((N + 1) / (n + 1)) + 1 over the N sections of the articles, n of which contain the word."""
    import math

    sections = [compact(fold(s.title + "".join(p.text for p in s.paragraphs))) for a in articles for s in a.sections]
    words = {t for term in terms for t in term.tokens}
    n = len(sections)
    table = {w: math.log((n + 1) / (sum(w in text for text in sections) + 1)) + 1 for w in words}
    return lambda word: table.get(word, 1.0)


def _phrases(clause: str) -> list[str]:
    """Candidate names of an initiative in a clause: quoted names and the objects of verbs (4-12 characters)."""
    folded = fold(clause)
    found = [q for q in _QUOTED_RE.findall(folded) if 4 <= len(q) <= 12]
    found += [o for o in _objects(folded) if 4 <= len(o) <= 12]
    return [p for p in found if _CJK_RE.match(p)]
