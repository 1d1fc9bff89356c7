"""The exceptions the library raises; the command line turns each into a one-line message."""

from __future__ import annotations

from dataclasses import dataclass

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
        message = f"no {kind} named {name!r}"
        if suggestions:
            message += "; did you mean " + ", ".join(suggestions) + "?"
        super().__init__(message)


class AmbiguousNameError(NameLookupError):
    """Several entities answer to the name; ``candidates`` lists them as ``(id, display name)``."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]):
        self.name, self.candidates = name, candidates
        listed = ", ".join(f"{label} ({eid})" for eid, label in candidates)
        super().__init__(f"{name!r} is ambiguous: {listed}; use one of the ids")


class WrongTypeError(NameLookupError):
    """The name resolves, but to an entity of another type than the one wanted."""

    def __init__(self, name: str, wanted: str, found_id: str, found_type: str, found_name: str):
        self.name, self.wanted, self.found_id = name, wanted, found_id
        super().__init__(f"{name!r} is {found_name} ({found_id}), {indefinite(found_type)}, not {indefinite(wanted)}")


def indefinite(noun: str) -> str:
    """The noun with its indefinite article, for messages.

    >>> indefinite("initiative"), indefinite("city")
    ('an initiative', 'a city')
    """
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
