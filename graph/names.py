"""Resolve what a user types (潜江 / 潜江市 / Qianjiang / city:qianjiang) to an entity id."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .dataset import Dataset, Entity
from .errors import AmbiguousNameError, UnknownNameError, WrongTypeError
from .textutil import PLACE_SUFFIXES

__all__ = ["NameIndex", "normalize", "strip_suffix", "PLACE_SUFFIXES"]


#: What :func:`normalize` drops: spaces, hyphens, underscores, apostrophes, middle dots and full stops.
_FOLDED = re.compile(r"[\s\-_'’·.]+")


def normalize(text: str) -> str:
    """Fold width, case and spacing so that lookups forgive how a name was typed.

    >>> normalize("  Qian Jiang ")
    'qianjiang'
    >>> normalize("潜江市")
    '潜江市'
    """
    return _FOLDED.sub("", unicodedata.normalize("NFKC", text).casefold())


def strip_suffix(name: str) -> str:
    """The name without its administrative suffix, when something of two characters or more remains.

    >>> strip_suffix("潜江市"), strip_suffix("神农架林区"), strip_suffix("沙市")
    ('潜江', '神农架', '沙市')
    """
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _keys(entity: Entity) -> Iterable[str]:
    yield entity.id
    yield entity.id.split(":", 1)[1]
    yield entity.name
    if entity.type in ("city", "province"):
        yield strip_suffix(entity.name)
    if entity.name_en:
        yield entity.name_en
    yield from entity.aliases


class NameIndex:
    """Every entity under each of its names (normalised), for :meth:`resolve`."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._index: dict[str, set[str]] = {}
        for entity in dataset.entities.values():
            for key in _keys(entity):
                norm = normalize(key)
                if norm:
                    self._index.setdefault(norm, set()).add(entity.id)

    def candidates(self, text: str) -> list[str]:
        """Ids of the entities answering to ``text`` exactly (after normalising), sorted."""
        return sorted(self._index.get(normalize(text), ()))

    def resolve(self, text: str, types: Iterable[str] | str = ("city",)) -> str:
        """The id of the one entity of one of ``types`` named ``text``.

        Raises
        ------
        UnknownNameError
            Nothing of those types has the name (with the closest names as suggestions).
        WrongTypeError
            The name belongs only to an entity of another type.
        AmbiguousNameError
            Several entities of those types answer to it.
        """
        types = (types,) if isinstance(types, str) else tuple(types)
        entities = self.dataset.entities
        found = self.candidates(text)
        wanted = [eid for eid in found if entities[eid].type in types]
        if len(wanted) == 1:
            return wanted[0]
        if len(wanted) > 1:
            # An exact display name beats an alias shared with others.
            exact = [eid for eid in wanted if entities[eid].name == text.strip()]
            if len(exact) == 1:
                return exact[0]
            raise AmbiguousNameError(text, [(eid, entities[eid].name) for eid in wanted])
        from .schema import ENTITY_TYPES

        kind = "entity" if set(types) >= set(ENTITY_TYPES) else " or ".join(types)
        if found:
            other = entities[found[0]]
            raise WrongTypeError(text, kind, other.id, other.type, other.name)
        raise UnknownNameError(text, kind, self.suggest(text, types))

    def suggest(self, text: str, types: Iterable[str], limit: int = 3) -> list[str]:
        """Display names of the entities of ``types`` whose names are closest to ``text``."""
        import difflib

        entities = self.dataset.entities
        norm = normalize(text)
        pool = {key: ids for key, ids in self._index.items() if any(entities[i].type in types for i in ids)}
        ranked: list[str] = []
        # Names containing what was typed, or contained in it, first (for 潜 or 潜江市委), then close spellings.
        contained = sorted((k for k in pool if norm and (norm in k or k in norm) and len(k) >= 2), key=len)
        close = difflib.get_close_matches(norm, list(pool), n=limit * 3, cutoff=0.5)
        for key in contained + close:
            for eid in sorted(pool[key]):
                if entities[eid].type in types and entities[eid].name not in ranked:
                    ranked.append(entities[eid].name)
        return ranked[:limit]
