"""Matching the clauses of an article to the dataset's initiatives, each match with a confidence and a reason.

Two kinds of evidence, and a match keeps the strongest:

- names: the clause holds an initiative's name or alias, a quoted part of one, all (or the most telling) words of
  one, or a verb whose object shares most character pairs with one;
- examples: the clause is near a quote the dataset already links to an initiative (the ``evidence`` of its
  ``instance_of`` relations), by the cosine of character 2- and 3-gram TF-IDF vectors; the reason names the quote
  and the words they share.

Every step is one pass over the clauses (Aho-Corasick automata over the names and their words, one sparse product
for the examples), so matching takes time linear in the text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..dataset import Dataset
from ..textutil import compact, fold, jieba_plain
from .places import CJK_RE

__all__ = ["Match", "Matcher", "EXAMPLE_MIN"]


_QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")
_VERBS = (
    "深入实施", "深入推进", "全面推行", "全面推进", "大力推进", "积极探索", "创新实施", "创新开展",
    "开展", "实施", "推行", "推进", "建立", "健全", "探索", "深化", "打造", "组建", "构建", "完善", "落实", "强化",
    "加强", "推动", "实行", "搭建", "设立", "出台", "制定", "培养", "选聘", "引进", "整顿", "创建", "组织", "发挥",
)  # fmt: skip
_VERB_RE = re.compile("(" + "|".join(_VERBS) + ")")
_EXACT_NAME, _EXACT_ALIAS, _QUOTED, _TOKENS, _TOKENS_PART, _VERB_OBJECT = 0.95, 0.9, 0.85, 0.75, 0.55, 0.5
#: The most a match by example gets when the clause names another initiative outright (status uncertain).
_NEAR_NAMED = 0.6
#: The least cosine between a clause and a curated quote for the quote's initiative to be proposed.
EXAMPLE_MIN = 0.3


@dataclass(frozen=True)
class Match:
    """A proposed link of a clause to an initiative: how sure, and why (a sentence a reviewer can check)."""

    initiative: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Term:
    initiative: str
    text: str
    confidence: float
    tokens: tuple[str, ...]


def _terms(dataset: Dataset) -> list[_Term]:
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
            tokens = tuple(t for t in plain.lcut(text, HMM=False) if len(t) >= 2 and CJK_RE.match(t))
            terms.append(_Term(e.id, text, confidence, tokens))
    return terms


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def dice_coefficient(a: str, b: str) -> float:
    """Dice's coefficient of the character pairs of two strings.

    >>> round(dice_coefficient("红色物业", "红色物业服务"), 2)
    0.75
    """
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _objects(clause: str) -> list[str]:
    """The objects of the verbs in a clause: the text after each verb up to the clause's end.

    >>> _objects("深入实施能人回归工程")
    ['能人回归工程']
    """
    found = []
    for match in _VERB_RE.finditer(clause):
        obj = clause[match.end() :].strip('“”"「」 ')
        if 2 <= len(obj) <= 20:
            found.append(obj)
    return found


def phrases(clause: str) -> list[str]:
    """Candidate names of an initiative in a clause: quoted names and the objects of verbs (4-12 characters).

    >>> phrases("深入实施“头雁工程”")
    ['头雁工程', '头雁工程']
    """
    folded = fold(clause)
    found = [q for q in _QUOTED_RE.findall(folded) if 4 <= len(q) <= 12]
    found += [o for o in _objects(folded) if 4 <= len(o) <= 12]
    return [p for p in found if CJK_RE.match(p)]


def name_automaton(words: Iterable[str]):
    """An Aho-Corasick automaton over ``words`` (each found with its own text), or None when there are none."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        if word:
            automaton.add_word(word, word)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def found_in(automaton, text: str) -> set[str]:
    return {word for _, word in automaton.iter(text)} if automaton is not None and text else set()


def _grams(packed: str) -> list[str]:
    """The character 2- and 3-grams of a clause's packed text (:func:`~graph.textutil.compact` of its fold)."""
    return [packed[k : k + n] for n in (2, 3) for k in range(len(packed) - n + 1)]


def shared_words(a: str, b: str) -> list[str]:
    """The runs of 2+ characters of ``a`` whose every character pair occurs in ``b``, longest first (one pass).

    >>> shared_words("强化考察结果运用", "强化结果运用,树立导向")
    ['结果运用', '强化']
    """
    x, y = compact(fold(a)), compact(fold(b))
    pairs = {y[k : k + 2] for k in range(len(y) - 1)}
    runs, i = [], 0
    while i < len(x) - 1:
        if x[i : i + 2] not in pairs:
            i += 1
            continue
        j = i + 2
        while j < len(x) and x[j - 1 : j + 1] in pairs:
            j += 1
        runs.append(x[i:j])
        i = j
    return sorted(dict.fromkeys(runs), key=lambda r: (-len(r), x.index(r)))


class Matcher:
    """Matches clauses to the initiatives of a dataset, by their names and by the dataset's curated quotes.

    Parameters
    ----------
    dataset : Dataset
        The initiatives (names, aliases) and the ``instance_of`` quotes that serve as labelled examples.
    texts : sequence of str, optional
        The sections of the articles being read: a name's words are weighted by their inverse frequency over
        them, so that common words (基层, 干部) count little when only some of a name's words occur.
    examples : bool
        Whether to use the curated quotes (False: names and aliases only).
    example_min : float
        The least cosine to a quote for a match by example.

    Examples
    --------
    >>> from graph.dataset import Dataset, Entity
    >>> ds = Dataset(".", {"initiative:red": Entity("initiative:red", "initiative", "红色物业", "red property")}, [])
    >>> [(m.initiative, m.confidence, m.reason) for m in Matcher(ds).match(["推行红色物业"])[0].values()]
    [('initiative:red', 0.95, 'names 红色物业')]
    """

    def __init__(
        self, dataset: Dataset, texts: Sequence[str] = (), examples: bool = True, example_min: float = EXAMPLE_MIN
    ):
        self.terms = _terms(dataset)
        self._by_text: dict[str, list[_Term]] = {}
        for term in self.terms:
            self._by_text.setdefault(term.text, []).append(term)
            self._by_text.setdefault(compact(term.text), []).append(term)
        self._names = name_automaton(self._by_text)
        self._by_part: dict[str, list[int]] = {}  # every part of 4+ characters of a name -> the names
        for k, term in enumerate(self.terms):
            parts = {term.text[i:j] for i in range(len(term.text)) for j in range(i + 4, len(term.text) + 1)}
            for part in parts:
                self._by_part.setdefault(part, []).append(k)
        self._by_token: dict[str, list[int]] = {}
        for k, term in enumerate(self.terms):
            if len(term.tokens) >= 2:
                for token in set(term.tokens):
                    self._by_token.setdefault(token, []).append(k)
        self._tokens = name_automaton(self._by_token)
        self._term_bigrams = [_bigrams(term.text) for term in self.terms]
        self._bigram_ids: dict[str, int] = {}
        for grams in self._term_bigrams:
            for gram in grams:
                self._bigram_ids.setdefault(gram, len(self._bigram_ids))
        self._weights = self._word_weights(texts)
        self.example_min = example_min
        self.examples: list[tuple[str, str, str]] = []  # (initiative, quote, who said it)
        if examples:
            said_by = {r.target: r.source for r in dataset.relations if r.relation == "reports"}
            seen = set()
            for r in dataset.relations:
                if r.relation == "instance_of" and r.evidence and (r.target, r.evidence) not in seen:
                    seen.add((r.target, r.evidence))
                    city = said_by.get(r.source, "")
                    self.examples.append((r.target, r.evidence, dataset.name_of(city) if city else ""))
        self._index = self._example_index() if self.examples else None

    # -- names ---------------------------------------------------------------------------------------------

    def _word_weights(self, texts: Sequence[str]) -> dict[str, float]:
        """word -> ln((N + 1) / (n + 1)) + 1 over the N texts, n of which contain the word (one pass)."""
        counts = dict.fromkeys(self._by_token, 0)
        for text in texts:
            for word in found_in(self._tokens, compact(fold(text))):
                counts[word] += 1
        n = len(texts)
        return {w: math.log((n + 1) / (c + 1)) + 1 for w, c in counts.items()}

    def _by_names(self, folded: str, packed: str, objects: list[tuple[str, int, float]]) -> dict[str, Match]:
        best: dict[str, Match] = {}

        def keep(initiative: str, confidence: float, reason: str) -> None:
            if initiative not in best or confidence > best[initiative].confidence:
                best[initiative] = Match(initiative, round(confidence, 2), reason)

        named = set()
        for text in sorted(found_in(self._names, packed)):  # a name (with its 、 “” dropped) in the packed clause
            for term in self._by_text[text]:
                named.add(term.text)
                keep(term.initiative, term.confidence, f"names {term.text}")
        for q in _QUOTED_RE.findall(folded):
            for k in self._by_part.get(q, ()) if len(q) >= 4 else ():
                term = self.terms[k]
                if term.text not in named:
                    keep(term.initiative, _QUOTED, f"quotes “{q}”, part of {term.text}")
        present = found_in(self._tokens, packed)
        for k in sorted({k for word in present for k in self._by_token[word]}):
            term = self.terms[k]
            if term.text in named:
                continue
            have = [t for t in term.tokens if t in present]
            if len(have) == len(term.tokens):
                keep(term.initiative, _TOKENS, f"has the words of {term.text}: {' '.join(have)}")
            elif len(have) >= 2:
                share = sum(self._weights.get(t, 1.0) for t in have) / sum(
                    self._weights.get(t, 1.0) for t in term.tokens
                )
                if share >= 0.75:
                    keep(term.initiative, _TOKENS_PART, f"has most words of {term.text}: {' '.join(have)}")
        for obj, k, dice in objects:
            term = self.terms[k]
            keep(term.initiative, _VERB_OBJECT + 0.3 * (dice - 0.5) / 0.5, f"verb + object {obj} ~ {term.text}")
        return best

    def _by_objects(self, folded: list[str]) -> list[list[tuple[str, int, float]]]:
        """For each clause, (object, term index, Dice) of its verbs' objects that share most pairs with a name.

        One sparse product of the objects' character pairs with the names' does it for every clause at once.
        """
        import numpy as np
        import scipy.sparse as sp

        out: list[list[tuple[str, int, float]]] = [[] for _ in folded]
        objects = [(i, obj) for i, f in enumerate(folded) for obj in _objects(f) if len(obj) >= 4]
        if not objects or not self.terms:
            return out
        grams = [_bigrams(obj) for _, obj in objects]
        rows, cols = [], []
        for r, gs in enumerate(grams):
            for g in gs:
                j = self._bigram_ids.get(g)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        shape = (len(objects), len(self._bigram_ids))
        left = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        trows = [k for k, gs in enumerate(self._term_bigrams) for _ in gs]
        tcols = [self._bigram_ids[g] for gs in self._term_bigrams for g in gs]
        right = sp.csr_matrix((np.ones(len(trows)), (trows, tcols)), shape=(len(self.terms), shape[1]))
        shared = (left @ right.T).tocoo()
        sizes_o = np.array([len(gs) for gs in grams])
        sizes_t = np.array([len(gs) for gs in self._term_bigrams])
        dice = 2 * shared.data / (sizes_o[shared.row] + sizes_t[shared.col])
        for r, k, d in sorted(zip(shared.row[dice >= 0.5], shared.col[dice >= 0.5], dice[dice >= 0.5], strict=True)):
            i, obj = objects[r]
            out[i].append((obj, int(k), float(d)))
        return out

    # -- examples ------------------------------------------------------------------------------------------

    def _example_index(self):
        import numpy as np
        import scipy.sparse as sp

        order = sorted(range(len(self.examples)), key=lambda k: self.examples[k][0])
        self.examples = [self.examples[k] for k in order]
        grams = [_grams(compact(fold(quote))) for _, quote, _ in self.examples]
        vocab: dict[str, int] = {}
        df: dict[str, int] = {}
        for gs in grams:
            for g in set(gs):
                vocab.setdefault(g, len(vocab))
                df[g] = df.get(g, 0) + 1
        n = len(grams)
        self._idf = np.array([math.log((n + 1) / (df[g] + 1)) + 1 for g in vocab])
        self._idf_unseen = math.log(n + 1) + 1
        self._vocab = vocab
        matrix = self._vectors(grams)
        starts = [0] + [k for k in range(1, n) if self.examples[k][0] != self.examples[k - 1][0]]
        self._starts = np.array(starts)
        return sp.csr_matrix(matrix.T)

    def _vectors(self, grams: list[list[str]]):
        """Rows of L2-normalised TF-IDF weights over the examples' grams (unseen grams count in the norm)."""
        import numpy as np
        import scipy.sparse as sp

        known = len(self._vocab)
        ids = dict(self._vocab)
        flat = [ids.setdefault(g, len(ids)) for gs in grams for g in gs]
        rows = np.repeat(np.arange(len(grams)), [len(gs) for gs in grams])
        idf = np.concatenate([self._idf, np.full(len(ids) - known, self._idf_unseen)])
        counts = sp.csr_matrix(
            (np.ones(len(flat)), (rows, np.array(flat, dtype=np.int64))), shape=(len(grams), len(ids))
        )
        weights = counts @ sp.diags(idf)
        norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return (sp.diags(1.0 / norms) @ weights).tocsc()[:, :known].tocsr()

    def _by_examples(self, clauses: list[str], packed: list[str]) -> list[dict[str, Match]]:
        import numpy as np

        out: list[dict[str, Match]] = [{} for _ in clauses]
        if self._index is None or not clauses:
            return out
        batch = 2048
        for start in range(0, len(clauses), batch):
            part = clauses[start : start + batch]
            scores = (self._vectors([_grams(c) for c in packed[start : start + batch]]) @ self._index).toarray()
            best = np.maximum.reduceat(scores, self._starts, axis=1)
            for i, j in zip(*np.nonzero(best >= self.example_min), strict=True):
                row = scores[i]
                lo = self._starts[j]
                hi = self._starts[j + 1] if j + 1 < len(self._starts) else len(self.examples)
                k = lo + int(np.argmax(row[lo:hi]))
                initiative, quote, city = self.examples[k]
                words = shared_words(part[i], quote)
                where = f" ({city})" if city else ""
                reason = f"near “{quote}”{where}: shares {'、'.join(words[:4]) or '-'}"
                cosine = float(row[k])
                confidence = min(0.9, 0.7 + 0.5 * (cosine - self.example_min))
                out[start + i][initiative] = Match(initiative, round(confidence, 2), reason)
        return out

    # -- both ----------------------------------------------------------------------------------------------

    def match(self, clauses: Sequence[str]) -> list[dict[str, Match]]:
        """For each clause, initiative id -> its best :class:`Match` (by names, else by the nearest quote)."""
        clauses = list(clauses)
        folded = [fold(c) for c in clauses]
        packed = [compact(f) for f in folded]
        by_examples = self._by_examples(clauses, packed)
        by_objects = self._by_objects(folded)
        out = []
        for f, p, objects, near in zip(folded, packed, by_objects, by_examples, strict=True):
            best = self._by_names(f, p, objects)
            named = any(m.confidence >= _EXACT_ALIAS for m in best.values())
            for initiative, match in near.items():
                if named and initiative not in best:  # the clause names another initiative: only a hint
                    match = Match(
                        initiative, min(match.confidence, _NEAR_NAMED), match.reason + " (the clause names another)"
                    )
                if initiative not in best or match.confidence > best[initiative].confidence:
                    best[initiative] = match
            out.append(best)
        return out
