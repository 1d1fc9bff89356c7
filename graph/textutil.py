"""Chinese text helpers: a jieba tokenizer that knows the dataset's names, and sentence and clause splitting.

jieba is imported inside :func:`jieba_for` only, so importing this module stays cheap. Without the dataset's
names jieba splits 党建引领 and 红色物业; :func:`jieba_for` adds every short name and alias as a word, keeps its
dictionary cache in the user's private cache folder and silences its log.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import jieba

    from .dataset import Dataset

__all__ = [
    "jieba_for",
    "jieba_plain",
    "jieba_cache_dir",
    "compact",
    "dataset_words",
    "split_clauses",
    "lead_sentence",
    "sentence_around",
    "sentences_around",
    "fold",
    "CLAUSE_BREAKS",
    "PLACE_SUFFIXES",
]

#: Suffixes of Chinese administrative place names, longest first (潜江市 -> 潜江, 神农架林区 -> 神农架); the one
#: list every module uses to strip or recognise a place name's suffix.
PLACE_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "地区",
    "新区",
    "省",
    "市",
    "县",
    "区",
    "州",
    "盟",
    "旗",
)

#: Punctuation that ends a clause (half- and full-width), 。！？ included; 、 does not (it lists items).
CLAUSE_BREAKS = ",，;；:：。！？!?\n"
_CLAUSE_RE = re.compile("[" + re.escape(CLAUSE_BREAKS) + "]")
_SENTENCE_END = "。！？!?"
_WORD_TYPES = ("city", "province", "initiative", "theme", "event")
_MAX_WORD = 12
_TOKENIZERS: dict[tuple, jieba.Tokenizer] = {}


_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}


def fold(text: str) -> str:
    """Fold full-width ASCII and the ideographic space to their half-width forms (other characters unchanged).

    >>> fold("潜江市：Ａ１　b")
    '潜江市:A1 b'
    """
    return text.translate(_FOLD)


def compact(text: str) -> str:
    """The text without the marks that interrupt a name inside a clause: 、 quotes, book-title marks, spaces.

    >>> compact("推进“减牌子、减台账”")
    '推进减牌子减台账'
    """
    return re.sub(r"[、“”‘’「」『』《》〈〉\"'\s]", "", text)


def lead_sentence(paragraph: str) -> str:
    """The paragraph up to its first sentence end (。！？, excluded); the whole paragraph when there is none.

    >>> lead_sentence("加强制度设计,稳步审慎推进。将政治素质考察作为重大课题。")
    '加强制度设计,稳步审慎推进'
    >>> lead_sentence("没有句号的段落")
    '没有句号的段落'
    """
    for i, ch in enumerate(paragraph):
        if ch in _SENTENCE_END:
            return paragraph[:i].strip()
    return paragraph.strip()


def sentence_around(text: str, quote: str, limit: int = 90) -> tuple[str, str] | None:
    """The rest of the sentence around the first occurrence of ``quote`` in ``text``: ``(before, after)``.

    The sentence ends at 。！？ or a line break; each side is cut to ``limit`` characters (with an ellipsis at
    the cut). ``None`` when the quote is not in the text.

    >>> sentence_around("第一句。城市社区志愿者全部上岗，成效明显。第三句", "社区志愿者")
    ('城市', '全部上岗，成效明显。')
    >>> sentence_around("没有", "别的") is None
    True
    """
    if not quote:
        return None
    at = text.find(quote)
    if at < 0:
        return None
    start = at
    while start > 0 and text[start - 1] not in _SENTENCE_END and text[start - 1] != "\n":
        start -= 1
    end = at + len(quote)
    while end < len(text) and text[end - 1] not in _SENTENCE_END and text[end] != "\n":
        end += 1
    before, after = text[start:at].lstrip(), text[at + len(quote) : end].rstrip()
    if len(before) > limit:
        before = "…" + before[-limit:]
    if len(after) > limit:
        after = after[:limit] + "…"
    return before, after


#: Below this many characters searched in all (quotes x text), quote by quote beats indexing the text.
_FIND_BELOW = 2_000_000
_ENDS = re.compile(f"[{re.escape(_SENTENCE_END)}]")
_BREAKS = re.compile("\n")


def _first_positions(text: str, quotes: list[str]) -> dict[str, int]:
    """Where each of ``quotes`` (at least one) first occurs in ``text`` (those that occur), in one pass."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for quote in quotes:
        automaton.add_word(quote, quote)
    automaton.make_automaton()
    first: dict[str, int] = {}
    for end, quote in automaton.iter(text):  # by end position: a quote's first match is its first occurrence
        if quote not in first:
            first[quote] = end - len(quote) + 1
    return first


def sentences_around(text: str, quotes, limit: int = 90) -> dict[str, tuple[str, str]]:
    """:func:`sentence_around` of many quotes of one text: ``{quote: (before, after)}`` for those found in it.

    The text's sentence ends are found once (each quote's sentence is then found by bisection); when the text is
    long and the quotes many, each quote's first occurrence is found in one pass (an Aho-Corasick automaton,
    ``pyahocorasick``, BSD-3-Clause), so the time grows with the text and the number of quotes, not with their
    product; a short text is searched quote by quote.

    >>> sentences_around("第一句。城市社区志愿者全部上岗，成效明显。第三句", ["社区志愿者", "第三", "别的", ""])
    {'社区志愿者': ('城市', '全部上岗，成效明显。'), '第三': ('', '句')}
    """
    from bisect import bisect_left

    wanted = [q for q in dict.fromkeys(quotes) if q]
    if not wanted:
        return {}
    if len(text) * len(wanted) < _FIND_BELOW:  # a short text: str.find quote by quote costs less than an automaton
        find = text.find
        first = {q: at for q in wanted if (at := find(q)) >= 0}
    else:
        first = _first_positions(text, wanted)
    ends = [m.start() for m in _ENDS.finditer(text)]
    breaks = [m.start() for m in _BREAKS.finditer(text)]
    stops = sorted(ends + breaks)  # a sentence starts after either
    size = len(text)
    out = {}
    for quote in wanted:
        at = first.get(quote)
        if at is None:
            continue
        k = bisect_left(stops, at)
        start = stops[k - 1] + 1 if k else 0
        stop = at + len(quote)
        k = bisect_left(ends, stop - 1)  # the sentence ends after its end mark (the quote's own last one counts) ...
        end = ends[k] + 1 if k < len(ends) else size
        k = bisect_left(breaks, stop)  # ... or before a line break
        if k < len(breaks) and breaks[k] < end:
            end = breaks[k]
        before, after = text[start:at].lstrip(), text[stop:end].rstrip()
        if len(before) > limit:
            before = "…" + before[-limit:]
        if len(after) > limit:
            after = after[:limit] + "…"
        out[quote] = (before, after)
    return out


def split_clauses(text: str) -> list[tuple[int, str]]:
    """The clauses of ``text`` (split at commas, semicolons, colons, 。 and the like) with their start offsets.

    Each clause is an exact substring: ``text[start:start + len(clause)] == clause``. Empty clauses are dropped.

    >>> split_clauses("抓优党员纳新,吸纳中青年优秀分子;抓实党员教育。")
    [(0, '抓优党员纳新'), (7, '吸纳中青年优秀分子'), (17, '抓实党员教育')]
    """
    clauses = []
    start = 0
    for match in _CLAUSE_RE.finditer(text + "\n"):
        piece = text[start : match.start()]
        stripped = piece.strip()
        if stripped:
            clauses.append((start + piece.index(stripped), stripped))
        start = match.end()
    return clauses


def dataset_words(dataset: Dataset) -> list[str]:
    """The names and aliases (of cities, provinces, initiatives, themes, events) that jieba should keep whole.

    City and province names are added with and without their suffix (潜江市 and 潜江); words longer than 12
    characters or shorter than 2 are left out. Sorted, without repeats.
    """
    from .names import strip_suffix

    words: set[str] = set()
    for entity in dataset.entities.values():
        if entity.type not in _WORD_TYPES:
            continue
        names = [entity.name, *entity.aliases]
        if entity.type in ("city", "province"):
            names += [strip_suffix(n) for n in names]
        for name in names:
            name = fold(name).strip()
            if 2 <= len(name) <= _MAX_WORD and not name.isascii():
                words.add(name)
    return sorted(words)


def jieba_plain() -> jieba.Tokenizer:
    """A jieba tokenizer with its own dictionary only (no dataset words), built once; cache and log as below."""
    return _tokenizer(())


def jieba_for(dataset: Dataset) -> jieba.Tokenizer:
    """A jieba tokenizer with the dataset's names and aliases added as words (built once per set of words).

    Its dictionary cache lives in the user's own private cache folder (:func:`jieba_cache_dir`), and jieba's log
    is silenced.

    >>> from graph.dataset import Dataset, Entity
    >>> ds = Dataset(".", {"initiative:red": Entity("initiative:red", "initiative", "红色物业", "red property")}, [])
    >>> "红色物业" in jieba_for(ds).lcut("推行红色物业")
    True
    """
    return _tokenizer(tuple(dataset_words(dataset)))


def jieba_cache_dir() -> Path:
    """The folder of jieba's dictionary cache: the user's own cache folder, private to them.

    ``<user cache>/practice-graph/jieba`` (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, as platformdirs, MIT,
    finds it), created readable by its owner only, so another user can neither block it nor plant a cache in it.
    Where that folder cannot be made private, a new private temporary folder is used instead.
    """
    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("practice-graph", appauthor=False)) / "jieba"
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if hasattr(os, "getuid"):
            st = path.lstat()
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                raise PermissionError(f"{path} is not the user's own folder")
            if stat.S_IMODE(st.st_mode) & 0o077:
                os.chmod(path, 0o700)
    except OSError:
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="practice-graph-jieba-"))
    return path


def _tokenizer(words: tuple[str, ...]) -> jieba.Tokenizer:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    key = (jieba.DEFAULT_DICT, words)
    tokenizer = _TOKENIZERS.get(key)
    if tokenizer is None:
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(jieba_cache_dir())
        tokenizer.initialize()
        for word in words:
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 1000))
        _TOKENIZERS[key] = tokenizer
    return tokenizer
