"""The data contract: entity types, relation types, which type pairs each relation joins, column lists."""

from __future__ import annotations

import re

__all__ = [
    "ENTITY_COLUMNS",
    "RELATION_COLUMNS",
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "ALSO_JOINS",
    "EVIDENCE_REQUIRED",
    "NAME_EN_REQUIRED",
    "CITY_LEVELS",
    "ID_PATTERN",
    "DATE_PATTERN",
    "DATED_TYPES",
    "TYPE_LABELS",
    "relation_joins",
]

ENTITY_COLUMNS = ["id", "type", "name", "name_en", "aliases", "description", "level", "lat", "lon", "date"]
RELATION_COLUMNS = ["source", "relation", "target", "evidence", "document"]

ENTITY_TYPES = ("province", "city", "practice", "initiative", "theme", "event", "source")

#: relation -> (type of its source, type of its target)
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "located_in": ("city", "province"),
    "attended": ("city", "event"),
    "covers": ("source", "event"),
    "reports": ("city", "practice"),
    "part_of": ("practice", "practice"),
    "instance_of": ("practice", "initiative"),
    "belongs_to": ("initiative", "theme"),
}

#: Further (source type, target type) pairs a relation may join besides the one above: a county or district is
#: ``located_in`` its prefecture-level city as well as its province.
ALSO_JOINS: dict[str, tuple[tuple[str, str], ...]] = {"located_in": (("city", "city"),)}

EVIDENCE_REQUIRED = frozenset({"reports", "part_of", "instance_of"})
NAME_EN_REQUIRED = frozenset({"province", "city", "initiative", "theme"})
#: Levels of a city entity: prefecture-level (地级市, 自治州, 地区, 盟), county-level (县级市, 县, 区, 自治县, 旗,
#: 自治旗, 省直辖县级市, 林区, 特区), a 新区 and a 直辖市 reported on as a city; the words of :mod:`graph.gazetteer`.
CITY_LEVELS = (
    "地级市", "省直辖县级市", "林区", "县级市", "县", "区", "自治州", "地区", "盟",
    "自治县", "旗", "自治旗", "特区", "新区", "直辖市",
)  # fmt: skip

ID_PATTERN = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9-]*$")

#: ISO 8601 calendar dates, partial allowed: 2020, 2020-07, 2020-07-01.
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: Entity types for which a date means something: a source's publication, an event's day, a practice's report.
DATED_TYPES = frozenset({"source", "event", "practice"})

#: Chinese and English labels of the entity types, for legends and tables.
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "province": ("省", "province"),
    "city": ("城市", "city"),
    "practice": ("做法", "practice"),
    "initiative": ("共同举措", "initiative"),
    "theme": ("主题", "theme"),
    "event": ("会议", "event"),
    "source": ("来源", "source"),
}


def relation_joins(relation: str) -> tuple[str, str] | None:
    """The (source type, target type) a relation joins, or None for an unknown relation.

    >>> relation_joins("reports")
    ('city', 'practice')
    >>> relation_joins("likes") is None
    True
    """
    return RELATION_TYPES.get(relation)
