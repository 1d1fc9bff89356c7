"""practice-graph: the practices cities report, the initiatives they share, and who is alike.

The public API: load a dataset (:func:`open_model`), look names up, and ask questions that return
:class:`Table` results, which the command line renders.
"""

from . import queries  # noqa: F401  (graph.queries is part of the API)
from .dataset import Dataset, Entity, Relation, default_data_dir, load_dataset
from .errors import (
    AmbiguousNameError,
    DatasetError,
    InputError,
    NameLookupError,
    PracticeGraphError,
    Problem,
    RequestError,
    UnknownNameError,
    WrongTypeError,
)
from .model import Incidence, Model, build_graph, build_incidence, open_model
from .table import ColumnTable, Section, Table

__version__ = "0.1.0"

__all__ = [
    "AmbiguousNameError",
    "Dataset",
    "DatasetError",
    "Entity",
    "Incidence",
    "InputError",
    "Model",
    "NameLookupError",
    "PracticeGraphError",
    "Problem",
    "Relation",
    "RequestError",
    "Section",
    "Table",
    "ColumnTable",
    "UnknownNameError",
    "WrongTypeError",
    "build_graph",
    "build_incidence",
    "default_data_dir",
    "load_dataset",
    "open_model",
    "__version__",
]
