"""The dataset as a networkx MultiDiGraph, and the city x initiative incidence derived from it."""

from __future__ import annotations

import operator
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .dataset import Dataset, load_dataset

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import scipy.sparse

__all__ = [
    "METHODS_THEME",
    "Evidence",
    "Incidence",
    "Model",
    "build_graph",
    "build_incidence",
    "method_initiatives",
    "open_model",
]

#: Initiatives that belong to this theme are ways of working (试点先行、以点带面, 督导督查, 常态化制度化, 责任落实):
#: how any measure is rolled out or enforced, not a practice of its own. The incidence that similarity,
#: recommendation and evaluation use leaves them out unless a model is opened with ``include_methods``.
METHODS_THEME = "theme:work-mechanisms"


class Evidence(NamedTuple):
    """Why a city adopts an initiative: the practice it reports, and the quote linking it to the initiative.

    An immutable record (a named tuple: tens of thousands are made at 1,000 cities, five times faster than a
    frozen dataclass)."""

    city: str
    initiative: str
    practice: str
    quote: str
    document: str


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Every entity as a node and every relation as an edge keyed by its relation name.

    Node attributes: ``type``, ``name``, ``name_en``, ``aliases`` (``|``-joined), ``description``, ``level``,
    ``lat``, ``lon`` (only where present). Edge attributes: ``relation``, ``evidence``, ``document``.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for e in dataset.entities.values():
        attrs = {k: v for k, v in e.as_row().items() if k not in ("id", "lat", "lon")}
        if e.lat is not None:
            attrs["lat"], attrs["lon"] = e.lat, e.lon
        graph.add_node(e.id, **attrs)
    for r in dataset.relations:
        graph.add_edge(
            r.source, r.target, key=r.relation, relation=r.relation, evidence=r.evidence, document=r.document
        )
    return graph


@dataclass
class Incidence:
    """The city x initiative adoption matrix.

    Row ``i`` is ``cities[i]``, column ``j`` is ``initiatives[j]``; the adoptions of row ``i`` are the columns
    ``indices[indptr[i]:indptr[i + 1]]`` (ascending), as in a CSR matrix. ``matrix`` is that scipy CSR matrix of
    0/1 (int8), made on first use, so that what does not need scipy does not import it.
    ``evidence[(city, initiative)]`` lists the :class:`Evidence` of each adoption.
    """

    cities: list[str]
    initiatives: list[str]
    evidence: dict[tuple[str, str], list[Evidence]]
    indptr: Any  # numpy int64, len(cities) + 1
    indices: Any  # numpy int64, one column per adoption

    @cached_property
    def matrix(self) -> scipy.sparse.csr_matrix:
        import numpy as np
        import scipy.sparse as sp

        data = np.ones(len(self.indices), dtype=np.int8)
        shape = (len(self.cities), len(self.initiatives))
        matrix = sp.csr_matrix((data, self.indices.copy(), self.indptr.copy()), shape=shape)
        matrix.has_sorted_indices = True
        return matrix

    @cached_property
    def city_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.cities)}

    @cached_property
    def initiative_index(self) -> dict[str, int]:
        return {x: j for j, x in enumerate(self.initiatives)}

    def initiatives_of(self, city: str) -> list[str]:
        """The initiatives a city adopts, in column order."""
        i = self.city_index[city]
        return [self.initiatives[j] for j in self.indices[self.indptr[i] : self.indptr[i + 1]].tolist()]

    def cities_of(self, initiative: str) -> list[str]:
        """The cities adopting an initiative, in row order."""
        j = self.initiative_index[initiative]
        starts, rows = self._columns
        return [self.cities[i] for i in rows[starts[j] : starts[j + 1]].tolist()]

    @cached_property
    def _columns(self):
        """(start of each column, rows of the adoptions column by column, ascending)."""
        import numpy as np

        rows = np.repeat(np.arange(len(self.cities)), np.diff(self.indptr))
        order = np.argsort(self.indices, kind="stable")
        starts = np.concatenate([[0], np.cumsum(np.bincount(self.indices, minlength=len(self.initiatives)))])
        return starts, rows[order]

    @cached_property
    def csc(self):
        """The matrix in column-major form, for fast column access."""
        return self.matrix.tocsc()

    @property
    def df(self):
        """Number of cities adopting each initiative (numpy array, column order)."""
        import numpy as np

        return np.bincount(self.indices, minlength=len(self.initiatives)).astype(np.int64)

    def dense(self):
        """The matrix as a dense numpy float64 array of 0 and 1 (for small data, without scipy)."""
        import numpy as np

        out = np.zeros((len(self.cities), len(self.initiatives)))
        rows = np.repeat(np.arange(len(self.cities)), np.diff(self.indptr))
        out[rows, self.indices] = 1.0
        return out


def method_initiatives(dataset: Dataset) -> set[str]:
    """The initiatives that are ways of working: those that ``belongs_to`` :data:`METHODS_THEME`."""
    return {
        source
        for source, target in dataset.columns.pairs("belongs_to")
        if target == METHODS_THEME and source.startswith("initiative:")
    }


def build_incidence(dataset: Dataset, exclude: set[str] | frozenset[str] = frozenset()) -> Incidence:
    """Derive adoption by the path rule: city -reports-> practice (-part_of->)* -instance_of-> initiative.

    Every city and every initiative of the dataset but those in ``exclude`` gets a row or column, adopted or not,
    in id order.
    """
    import numpy as np

    reports: dict[str, list[str]] = {}
    parents: dict[str, list[str]] = {}
    instances: dict[str, list[tuple[str, str, str]]] = {}
    columns = dataset.columns
    for source, target in columns.pairs("reports"):
        reports.setdefault(source, []).append(target)
    for source, target in columns.pairs("part_of"):
        parents.setdefault(source, []).append(target)
    source, target, evidence, document = columns.source, columns.target, columns.evidence, columns.document
    for i in columns.where("instance_of"):
        instances.setdefault(source[i], []).append((target[i], evidence[i], document[i]))

    cities = sorted(e.id for e in dataset.entities.values() if e.type == "city")
    initiatives = sorted(e.id for e in dataset.entities.values() if e.type == "initiative" and e.id not in exclude)
    column = {x: j for j, x in enumerate(initiatives)}
    evidence: dict[tuple[str, str], list[Evidence]] = {}
    rows: list[int] = []
    cols: list[int] = []
    parents_of, instances_of, column_of, evidence_of = parents.get, instances.get, column.get, evidence.get
    make = tuple.__new__  # Evidence(...) without the Python-level __new__ of a named tuple
    for i, city in enumerate(cities):
        seen_practices: set[str] = set()
        stack = list(reports.get(city, ()))
        while stack:
            practice = stack.pop()
            if practice in seen_practices:
                continue
            seen_practices.add(practice)
            up = parents_of(practice)
            if up:
                stack.extend(up)
            for initiative, quote, document in instances_of(practice, ()):
                j = column_of(initiative)
                if j is None:
                    continue
                key = (city, initiative)
                items = evidence_of(key)
                if items is None:
                    items = evidence[key] = []
                    rows.append(i)
                    cols.append(j)
                items.append(make(Evidence, (city, initiative, practice, quote, document)))
    by_practice = operator.itemgetter(2)
    for items in evidence.values():
        if len(items) > 1:
            items.sort(key=by_practice)
    row, col = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    order = np.lexsort((col, row))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=len(cities)))]).astype(np.int64)
    return Incidence(cities=cities, initiatives=initiatives, evidence=evidence, indptr=indptr, indices=col[order])


class Model:
    """A loaded dataset with its graph, incidence and derived data, each built once on first use.

    Derived data (a metric's features, name orders, term counts) lives in :meth:`derived` and goes with the model:
    :func:`open_model` gives a new model when the files change, and :meth:`invalidate` forgets everything built.

    ``incidence`` is what cities are compared on: without ``include_methods`` it leaves out the ways of working
    (:data:`METHODS_THEME`). ``adoption`` always holds every initiative (what ``show`` and the views draw).
    """

    def __init__(self, dataset: Dataset, include_methods: bool = False):
        self.dataset = dataset
        self.include_methods = include_methods
        self._derived: dict = {}

    def derived(self, key, build):
        """The value kept under ``key``, made by ``build()`` on first use.

        >>> m = Model(None)
        >>> m.derived("answer", lambda: 42), m.derived("answer", lambda: 0)
        (42, 42)
        """
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def invalidate(self, *keys) -> None:
        """Forget the derived values of ``keys``; without keys, forget the graph, the incidence, the name index and
        every derived value (after changing ``dataset``).

        >>> m = Model(None)
        >>> m.derived("answer", lambda: 42)
        42
        >>> m.invalidate()
        >>> m.derived("answer", lambda: 0)
        0
        """
        if keys:
            for key in keys:
                self._derived.pop(key, None)
            return
        self._derived.clear()
        for name in ("graph", "incidence", "adoption", "names"):
            self.__dict__.pop(name, None)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return build_graph(self.dataset)

    @cached_property
    def incidence(self) -> Incidence:
        """The city x initiative incidence that similarity, recommendation and evaluation use."""
        if self.include_methods:
            return self.adoption
        methods = method_initiatives(self.dataset)
        return build_incidence(self.dataset, exclude=methods) if methods else self.adoption

    @cached_property
    def adoption(self) -> Incidence:
        """The incidence over every initiative, ways of working included."""
        return build_incidence(self.dataset)

    @cached_property
    def names(self):
        from .names import NameIndex

        return NameIndex(self.dataset)

    def name(self, entity_id: str) -> str:
        return self.dataset.name_of(entity_id)

    def may_be_dated(self) -> bool:
        """Whether the entities carry more than one date. Reports are dated by their practices and sources, so
        without that they tell no order, and what :mod:`graph.diffusion` adds to a table need not be asked for.

        >>> from graph.dataset import load_dataset
        >>> Model(load_dataset(MINI)).may_be_dated(), Model(load_dataset(HISTORY)).may_be_dated()
        (False, True)
        """
        return self.derived("may_be_dated", lambda: len({e.date for e in self.dataset.entities.values() if e.date}) > 1)


_MODELS: dict[tuple, Model] = {}


def open_model(root: str | os.PathLike | None = None, include_methods: bool = False) -> Model:
    """Load (once per process and per folder state) and validate the dataset in ``root``.

    ``include_methods`` counts the ways of working (:data:`METHODS_THEME`) as initiatives cities are compared on.
    """
    from .dataset import default_data_dir

    path = Path(root) if root is not None else default_data_dir()
    stamp = []
    for name in ("entities.csv", "relations.csv"):
        try:
            st = (path / name).stat()
            stamp.append((st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append(None)
    key = (str(path.resolve()), tuple(stamp), bool(include_methods))
    if key not in _MODELS:
        _MODELS[key] = Model(load_dataset(path), include_methods=bool(include_methods))
    return _MODELS[key]
