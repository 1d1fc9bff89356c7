"""The dyad table: every pair of cities with its shared count, every incidence measure, the p-value of the
overlap, whether the two are in one province, and the distance between them.

Computed as array operations a block of rows at a time (each measure is a matrix product of
:mod:`graph.scoring`), and written to disk a block at a time, so that 12.5 M pairs at 5,000 cities take neither
minutes nor gigabytes: :func:`dyad_blocks` gives the blocks, :func:`write_dyads_csv` and :func:`write_dyads_parquet`
stream them to a file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RequestError, unknown
from .lang import say
from .scoring import INCIDENCE_METRICS, blocks, features, products, score_rows
from .significance import p_values
from .table import distinct_values

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator

    from .model import Model

__all__ = [
    "DYAD_COLUMNS",
    "PAIRS",
    "ALL_PAIRS_MAX",
    "dyad_blocks",
    "pairs_choice",
    "write_dyads_csv",
    "write_dyads_parquet",
    "write_dyads_file",
]

#: The columns of the dyad table, in order.
DYAD_COLUMNS = [
    "city_a",
    "city_b",
    "city_a_id",
    "city_b_id",
    "shared",
    *INCIDENCE_METRICS,
    "p_value",
    "same_province",
    "distance_km",
]

#: Which pairs the table holds: ``all``, ``shared`` (those sharing an initiative) or ``auto`` (all pairs up to
#: :data:`ALL_PAIRS_MAX` pairs, else the shared ones).
PAIRS = ("auto", "all", "shared")

#: ``auto`` writes every pair up to this many pairs (2,000 cities), only those sharing something above it.
ALL_PAIRS_MAX = int(os.environ.get("PRACTICE_GRAPH_ALL_PAIRS_MAX", str(2000 * 1999 // 2)))


def pairs_choice(model: Model, pairs: str = "auto") -> str:
    """``all`` or ``shared``: what ``pairs`` means for this model.

    >>> from graph.model import Model
    >>> from graph.dataset import load_dataset
    >>> pairs_choice(Model(load_dataset(MINI)))
    'all'

    Raises
    ------
    RequestError
        ``pairs`` is not one of :data:`PAIRS`.
    """
    if pairs not in PAIRS:
        raise RequestError(unknown("choice of pairs", pairs, PAIRS))
    if pairs != "auto":
        return pairs
    n = len(model.incidence.cities)
    return "all" if n * (n - 1) // 2 <= ALL_PAIRS_MAX else "shared"


def dyad_blocks(model: Model, pairs: str = "all", entries: int = 2**22) -> Iterator[dict[str, Any]]:
    """The dyad table a block of pairs at a time, in city id order (``a < b``).

    Each block is a dict of numpy arrays: ``a`` and ``b`` (incidence rows), ``shared`` (int64), one float64
    array per incidence metric (rounded to 6 decimals), ``p_value`` (4 significant digits), ``same_province``
    (int8: 1, 0, or -1 when a province is unknown) and ``distance_km`` (rounded to 0.1, NaN without
    coordinates). ``pairs`` is ``all`` or ``shared`` (only the pairs sharing at least one initiative).

    Examples
    --------
    >>> from graph.model import Model
    >>> from graph.dataset import load_dataset
    >>> (block,) = dyad_blocks(Model(load_dataset(MINI)))
    >>> block["a"].tolist(), block["b"].tolist(), block["shared"].tolist()
    ([0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3], [1, 1, 0, 0, 1, 1])
    """
    import numpy as np

    from .geo import pairwise_km

    if pairs not in ("all", "shared"):
        raise RequestError(unknown("choice of pairs", pairs, ("all", "shared")))
    inc, ds = model.incidence, model.dataset
    n = len(inc.cities)
    F = {metric: features(model, metric) for metric in INCIDENCE_METRICS}
    lat = np.array([ds.entities[c].lat if ds.entities[c].lat is not None else np.nan for c in inc.cities])
    lon = np.array([ds.entities[c].lon if ds.entities[c].lon is not None else np.nan for c in inc.cities])
    province = ds.provinces
    ids = {p: k for k, p in enumerate(sorted(set(province.values())))}
    prov = np.array([ids.get(province.get(c), -1) for c in inc.cities], dtype=np.int64)
    columns = np.arange(n)
    for start, stop in blocks(n, entries):
        rows = slice(start, stop)
        shared = products(F["jaccard"], rows)
        upper = columns[None, :] > np.arange(start, stop)[:, None]
        if pairs == "shared":
            upper &= shared > 0
        r, b = np.nonzero(upper)
        if len(r) == 0:
            continue
        block: dict[str, Any] = {"a": r + start, "b": b, "shared": np.rint(shared[r, b]).astype(np.int64)}
        for metric in INCIDENCE_METRICS:
            num = shared if metric in ("jaccard", "cosine") else None
            S = score_rows(F[metric], rows, num=None if num is None else num.copy())
            block[metric] = np.round(S[r, b], 6)
        a = block["a"]
        pv = p_values(model, a, b, shared=block["shared"])
        distinct, inverse = np.unique(pv, return_inverse=True)  # few distinct values: format each once
        block["p_value"] = np.array([float(f"{p:.4g}") for p in distinct.tolist()])[inverse.reshape(-1)]
        pa, pb = prov[a], prov[b]
        block["same_province"] = np.where((pa < 0) | (pb < 0), -1, pa == pb).astype(np.int8)
        block["distance_km"] = np.round(pairwise_km(lat[a], lon[a], lat[b], lon[b]), 1)
        yield block


def _csv_quoted(text: str) -> str:
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _texts(values, fmt, binary: bool = False) -> list:
    """``[fmt(v) for v in values]`` for a numpy array, formatting each distinct value once (UTF-8 bytes with
    ``binary``)."""
    import numpy as np

    if values.dtype.kind == "f" and ((np.signbit(values) & (values == 0)).any() or np.isnan(values).any()):
        texts = [fmt(v) for v in values.tolist()]  # -0.0 and NaN do not group safely
        return [t.encode() for t in texts] if binary else texts
    if values.dtype.kind == "f":
        distinct, inverse = distinct_values(values)
    else:
        distinct, inverse = np.unique(values, return_inverse=True)
    texts = np.empty(len(distinct), dtype=object)
    texts[:] = [fmt(v).encode() for v in distinct.tolist()] if binary else [fmt(v) for v in distinct.tolist()]
    return texts[inverse.reshape(-1)].tolist()


def write_dyads_csv(model: Model, fh, pairs: str = "all") -> int:
    """Write the dyad table as CSV to ``fh`` a block at a time; return the number of pairs.

    ``fh`` is a text file, or a binary one (anything but :class:`io.TextIOBase`), which gets the UTF-8 bytes of
    the same text: joining bytes is faster than joining text that mixes Chinese names with numbers. Cells as the
    CSV export writes them: floats as ``repr``, ``true``/``false``, an empty cell for unknown.
    """
    import io

    import numpy as np

    from .files import spreadsheet_safe

    binary = not isinstance(fh, io.TextIOBase)

    def text(value: str):
        return value.encode() if binary else value

    comma, newline = text(","), text("\n")
    inc = model.incidence
    names = np.empty(len(inc.cities), dtype=object)
    names[:] = [text(_csv_quoted(spreadsheet_safe(model.name(c)))) for c in inc.cities]  # no formula (OWASP)
    ids = np.empty(len(inc.cities), dtype=object)
    ids[:] = [text(_csv_quoted(c)) for c in inc.cities]
    same = np.array([text(""), text("false"), text("true")], dtype=object)  # same_province -1, 0, 1
    fh.write(text(",".join(DYAD_COLUMNS) + "\n"))
    count = 0
    for block in dyad_blocks(model, pairs):
        a, b = block["a"], block["b"]
        dist = block["distance_km"]
        missing = np.isnan(dist)
        distance = _texts(np.where(missing, 0.0, dist), repr, binary)
        for k in np.flatnonzero(missing).tolist():
            distance[k] = text("")
        cells = [
            names[a].tolist(),
            names[b].tolist(),
            ids[a].tolist(),
            ids[b].tolist(),
            _texts(block["shared"], str, binary),
            *(_texts(block[metric], repr, binary) for metric in INCIDENCE_METRICS),
            _texts(block["p_value"], repr, binary),
            same[block["same_province"].astype(np.int64) + 1].tolist(),
            distance,
        ]
        fh.write(newline.join(map(comma.join, zip(*cells, strict=True))) + newline)
        count += len(a)
    return count


def write_dyads_parquet(model: Model, path, pairs: str = "all") -> int:
    """Write the dyad table as a Parquet file (pyarrow, zstd) a block at a time; return the number of pairs.

    Types: names and ids as strings (dictionary-encoded), ``shared`` int32, the measures, ``p_value`` and
    ``distance_km`` float64 (null without coordinates), ``same_province`` boolean (null when unknown).
    """
    import numpy as np

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        from .errors import InputError

        raise InputError(say("export parquet needs pyarrow: pip install 'practice-graph[parquet]'")) from None

    inc = model.incidence
    names = pa.array([model.name(c) for c in inc.cities], type=pa.string())
    ids = pa.array(list(inc.cities), type=pa.string())
    schema = pa.schema(
        [
            ("city_a", pa.dictionary(pa.int32(), pa.string())),
            ("city_b", pa.dictionary(pa.int32(), pa.string())),
            ("city_a_id", pa.dictionary(pa.int32(), pa.string())),
            ("city_b_id", pa.dictionary(pa.int32(), pa.string())),
            ("shared", pa.int32()),
            *((metric, pa.float64()) for metric in INCIDENCE_METRICS),
            ("p_value", pa.float64()),
            ("same_province", pa.bool_()),
            ("distance_km", pa.float64()),
        ]
    )
    count = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for block in dyad_blocks(model, pairs):
            a = pa.array(block["a"].astype(np.int32))
            b = pa.array(block["b"].astype(np.int32))
            same = block["same_province"]
            dist = block["distance_km"]
            arrays = [
                pa.DictionaryArray.from_arrays(a, names),
                pa.DictionaryArray.from_arrays(b, names),
                pa.DictionaryArray.from_arrays(a, ids),
                pa.DictionaryArray.from_arrays(b, ids),
                pa.array(block["shared"].astype(np.int32)),
                *(pa.array(block[metric]) for metric in INCIDENCE_METRICS),
                pa.array(block["p_value"]),
                pa.array(same == 1, mask=same < 0),
                pa.array(dist, mask=np.isnan(dist)),
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(a)
    return count


def write_dyads_file(model: Model, path, pairs: str = "auto") -> Path:
    """Write the dyad table as Parquet to ``path`` through a temporary file in its folder, renamed into place: a
    reader sees the old file or the new one, and a failure (Ctrl-C included) leaves no temporary behind.

    Raises
    ------
    RequestError
        ``pairs`` is not one of :data:`PAIRS`.
    InputError
        The path is a folder, its folder does not exist, or the write fails.
    """
    from .files import atomic_path

    which = pairs_choice(model, pairs)
    with atomic_path(path) as tmp:  # a temporary file renamed into place; a device is written in place
        write_dyads_parquet(model, tmp, which)
    return Path(path)
