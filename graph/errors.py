"""The exceptions the library raises; the command line turns each into a one-line message."""

from __future__ import annotations

from dataclasses import dataclass

from .lang import Text, listing, say

__all__ = [
    "PracticeGraphError",
    "Problem",
    "DatasetError",
    "NameLookupError",
    "UnknownNameError",
    "AmbiguousNameError",
    "WrongTypeError",
    "InputError",
    "RequestError",
    "indefinite",
    "noun",
    "unknown",
    "message",
]


class PracticeGraphError(Exception):
    """Base class of every error a user can cause."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a data file, at a line (1-based; 0 when the file itself is the problem).

    >>> str(Problem("data/entities.csv", 3, "empty name"))
    'data/entities.csv:3: empty name'
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def said(self, lang: str) -> str:
        """``FILE:LINE: message`` with the message in ``lang`` (``zh`` or ``en``).

        >>> from .lang import say
        >>> Problem("entities.csv", 3, say("cannot read: {why}", why="x")).said("zh")
        'entities.csv:3: 无法读取：x'
        """
        from .lang import text

        return f"{self.file}:{self.line}: {text(self.message, lang)}"


def message(exc: BaseException):
    """What an exception says: its message as raised (a :class:`~graph.lang.Text` where it can be said in Chinese),
    else its text.

    >>> from .lang import text
    >>> text(message(UnknownNameError("千江", "city", ["潜江市"])), "zh")
    '没有名为“千江”的城市；是否要找：潜江市？'
    """
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


class DatasetError(PracticeGraphError):
    """A dataset (or an input file) that breaks the data contract; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(PracticeGraphError):
    """A request that cannot be carried out on valid data (a size too large, an empty selection)."""


class RequestError(PracticeGraphError):
    """A request that is wrong as asked (too few cities, one given twice, conflicting choices): bad usage."""


class NameLookupError(RequestError, LookupError):
    """A name that does not resolve to exactly one entity."""


class UnknownNameError(NameLookupError):
    """No entity of the wanted type has that name; ``suggestions`` are the closest display names."""

    def __init__(self, name: str, kind: str, suggestions: list[str]):
        self.name, self.kind, self.suggestions = name, kind, suggestions
        if suggestions:
            message = say(
                "no {kind} named {name!r}; did you mean {names}?",
                kind=noun(kind),
                name=name,
                names=listing(suggestions),
            )
        else:
            message = say("no {kind} named {name!r}", kind=noun(kind), name=name)
        super().__init__(message)


class AmbiguousNameError(NameLookupError):
    """Several entities answer to the name; ``candidates`` lists them as ``(id, display name)``."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]):
        self.name, self.candidates = name, candidates
        listed = listing([Text(f"{label} ({eid})", zh=f"{label}（{eid}）") for eid, label in candidates])
        super().__init__(say("{name!r} is ambiguous: {names}; use one of the ids", name=name, names=listed))


class WrongTypeError(NameLookupError):
    """The name resolves, but to an entity of another type than the one wanted."""

    def __init__(self, name: str, wanted: str, found_id: str, found_type: str, found_name: str):
        self.name, self.wanted, self.found_id = name, wanted, found_id
        super().__init__(
            say(
                "{name!r} is {found} ({id}), {kind}, not {wanted}",
                name=name,
                found=found_name,
                id=found_id,
                kind=noun(found_type, article=True),
                wanted=noun(wanted, article=True),
            )
        )


def noun(kind: str, article: bool = False) -> Text:
    """An entity type (or types joined by "or") as a message names it, with its indefinite article if asked;
    Chinese without one.

    >>> from .lang import text
    >>> noun("initiative", article=True), text(noun("city or province"), "zh")
    ('an initiative', '城市或省份')
    """
    from .lang import ZH

    english = indefinite(kind) if article else kind
    return Text(english, zh="或".join(ZH.get(k, k) for k in kind.split(" or ")))


def unknown(what: str, value, choices) -> Text:
    """The message for a ``value`` of ``what`` (a word of :data:`~graph.lang.ZH`, or a :class:`~graph.lang.Text`
    where the Chinese differs by context) that is none of ``choices``.

    >>> from .lang import text
    >>> message = unknown("metric", "euclid", ("jaccard", "cosine"))
    >>> message
    "unknown metric 'euclid' (expected one of jaccard, cosine)"
    >>> text(message, "zh")
    '未知的度量“euclid”（可选：jaccard, cosine）'
    """
    what = what if isinstance(what, Text) and what.zh is not None else say(what)
    return say(
        "unknown {what} {value!r} (expected one of {choices})", what=what, value=value, choices=", ".join(choices)
    )


def indefinite(noun: str) -> str:
    """The noun with its indefinite article, for messages.

    >>> indefinite("initiative"), indefinite("city")
    ('an initiative', 'a city')
    """
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
