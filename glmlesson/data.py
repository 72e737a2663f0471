"""Small real data sets for the lessons, read from the CSV files in ``data/``.

``load(name)`` reads one CSV with the standard library's ``csv`` module, checks it
against the schema below (column names and types) and returns a :class:`Dataset`:
a read-only mapping from column name to a numpy array, so a notebook writes

    >>> from glmlesson.data import load
    >>> shuttle = load("challenger")
    >>> shuttle["temperature_f"][:3]
    array([66, 70, 69])

Where the files live, first match wins: the folder named by the environment
variable ``GLMLESSON_DATA``; the package's own ``glmlesson/datasets/`` (an
installed wheel carries the CSVs there, mapped from ``data/`` at build time);
the ``data/`` folder of the repository beside the package (a checkout, or an
editable install of one). ``data/`` stays the one source of the files.

Sources, licences and the meaning of every column are in ``data/README.md``.
Nothing is downloaded and nothing is read until ``load`` is called.

Introduced in 05_logistic_regression (the first lesson on real data).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

__all__ = ["Dataset", "available", "data_dir", "describe", "dummies", "load"]

ENV_VAR = "GLMLESSON_DATA"
# The wheel ships data/*.csv as the package data glmlesson/datasets/ (setup.py maps it).
PACKAGED_FOLDER = "datasets"

_DTYPES = {"int": np.int64, "float": np.float64, "str": np.str_}
_EXPECTED = {"int": "an integer", "float": "a finite number", "str": "a non-empty string"}


@dataclass(frozen=True)
class _Spec:
    """What one CSV must contain: its file, columns (name, type) and provenance."""

    filename: str
    description: str
    source: str
    lesson: str
    columns: tuple[tuple[str, str], ...]


_SPECS: dict[str, _Spec] = {
    "challenger": _Spec(
        filename="challenger.csv",
        description=(
            "O-ring thermal distress on the 23 Space Shuttle flights before "
            "Challenger (1981-1986), with launch temperature."
        ),
        source="Dalal, Fowlkes & Hoadley (1989), JASA 84(408), 945-957",
        lesson="05_logistic_regression",
        columns=(
            ("flight_order", "int"),
            ("temperature_f", "int"),
            ("damaged", "int"),
            ("distressed", "int"),
            ("o_rings", "int"),
        ),
    ),
    "crabs": _Spec(
        filename="crabs.csv",
        description=(
            "Male satellites around 173 nesting female horseshoe crabs, with the "
            "female's width, weight, colour and spine condition."
        ),
        source="Brockmann (1996), Ethology 102(1), 1-21; as tabulated by Agresti",
        lesson="08_overdispersion",
        columns=(
            ("color", "int"),
            ("spine", "int"),
            ("width_cm", "float"),
            ("weight_kg", "float"),
            ("satellites", "int"),
        ),
    ),
    "ships": _Spec(
        filename="ships.csv",
        description=(
            "Damage incidents to ships by ship type, construction period and "
            "operation period, with aggregate months of service (the exposure)."
        ),
        source="McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., Table 6.2",
        lesson="09_offsets_and_model_checking",
        columns=(
            ("ship_type", "str"),
            ("construction", "str"),
            ("operation", "str"),
            ("months_service", "int"),
            ("incidents", "int"),
        ),
    ),
    "iris": _Spec(
        filename="iris.csv",
        description="Sepal and petal measurements of 150 irises, 50 from each of three species.",
        source="Fisher (1936), Annals of Eugenics 7(2), 179-188; data of Anderson (1935)",
        lesson="10_softmax_regression",
        columns=(
            ("sepal_length_cm", "float"),
            ("sepal_width_cm", "float"),
            ("petal_length_cm", "float"),
            ("petal_width_cm", "float"),
            ("species", "str"),
        ),
    ),
    "epilepsy": _Spec(
        filename="epilepsy.csv",
        description=(
            "Epileptic seizure counts of 59 patients in four successive two-week "
            "periods of a placebo-controlled trial of progabide, with each patient's "
            "8-week baseline count and age."
        ),
        source="Thall & Vail (1990), Biometrics 46(3), 657-671; R package MASS, data epil",
        lesson="13_correlated_data",
        columns=(
            ("patient", "int"),
            ("period", "int"),
            ("treatment", "str"),
            ("baseline_seizures", "int"),
            ("age_years", "int"),
            ("seizures", "int"),
        ),
    ),
    "cbpp": _Spec(
        filename="cbpp.csv",
        description=(
            "New cases of contagious bovine pleuropneumonia in 15 zebu herds in "
            "Ethiopia, followed over up to four periods, out of the herd's size."
        ),
        source="Lesnoff et al. (2004), Preventive Veterinary Medicine 64, 27-40; R package lme4",
        lesson="13_correlated_data",
        columns=(
            ("herd", "int"),
            ("period", "int"),
            ("herd_size", "int"),
            ("new_cases", "int"),
        ),
    ),
    "ucb_admissions": _Spec(
        filename="ucb_admissions.csv",
        description=(
            "Graduate applicants to the six largest departments of UC Berkeley in "
            "fall 1973, by department, sex and admission decision (a 6 x 2 x 2 table)."
        ),
        source="Bickel, Hammel & O'Connell (1975), Science 187(4175), 398-404; R datasets",
        lesson="14_tables_and_ordered_outcomes",
        columns=(
            ("department", "str"),
            ("sex", "str"),
            ("decision", "str"),
            ("applicants", "int"),
        ),
    ),
    "housing": _Spec(
        filename="housing.csv",
        description=(
            "Satisfaction (low/medium/high) of 1681 Copenhagen tenants with their "
            "housing, by influence on management, type of housing and contact with "
            "other residents: the number of households in each cell."
        ),
        source="Madsen (1976), Scand. J. Statist. 3, 97-106; R package MASS, data housing",
        lesson="14_tables_and_ordered_outcomes",
        columns=(
            ("satisfaction", "str"),
            ("influence", "str"),
            ("housing_type", "str"),
            ("contact", "str"),
            ("households", "int"),
        ),
    ),
    "cpus": _Spec(
        filename="cpus.csv",
        description=(
            "Published relative performance of 209 central processing units, with "
            "cycle time, main memory, cache and channels."
        ),
        source=("Ein-Dor & Feldmesser (1987), Communications of the ACM 30(4), 308-317; "
                "UCI Computer Hardware data (CC BY 4.0), R package MASS, data cpus"),
        lesson="11_positive_responses",
        columns=(
            ("name", "str"),
            ("cycle_time_ns", "int"),
            ("min_memory_kb", "int"),
            ("max_memory_kb", "int"),
            ("cache_kb", "int"),
            ("min_channels", "int"),
            ("max_channels", "int"),
            ("performance", "int"),
        ),
    ),
}


class Dataset(Mapping):
    """A loaded data set: a read-only mapping from column name to numpy array.

    ``d["temperature_f"]`` is one column (int64, float64 or str array, all of
    length ``d.n_rows``); ``d.columns`` lists the names in schema order;
    ``len(d)`` counts columns, as for any mapping. ``d.description``,
    ``d.source`` and ``d.lesson`` say what the data are, where they come from
    and which lesson uses them.

    Introduced in 05_logistic_regression.
    """

    def __init__(
        self,
        name: str,
        arrays: dict[str, np.ndarray],
        description: str = "",
        source: str = "",
        lesson: str = "",
    ) -> None:
        lengths = {len(a) for a in arrays.values()}
        if len(lengths) > 1:
            raise ValueError(f"data set {name!r}: columns have different lengths {lengths}")
        self.name = name
        self.description = description
        self.source = source
        self.lesson = lesson
        self._arrays = {}
        for key, array in arrays.items():
            array = np.asarray(array)
            array.setflags(write=False)
            self._arrays[key] = array
        self.n_rows = lengths.pop() if lengths else 0

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in the order the schema (and the shipped CSV) lists them."""
        return tuple(self._arrays)

    def __getitem__(self, column: str) -> np.ndarray:
        try:
            return self._arrays[column]
        except KeyError:
            raise KeyError(
                f"data set {self.name!r} has no column {column!r}; "
                f"its columns are: {', '.join(self.columns)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self.columns == other.columns and all(
            np.array_equal(self[c], other[c]) for c in self.columns
        )

    __hash__ = None  # mutable-looking container of arrays: not hashable, like dict

    def __repr__(self) -> str:
        lines = [f"Dataset {self.name!r}: {self.n_rows} rows x {len(self)} columns"]
        if self.description:
            lines.append(f"  {self.description}")
        width = max((len(c) for c in self.columns), default=0)
        for column, array in self._arrays.items():
            kind = "str" if array.dtype.kind == "U" else str(array.dtype)
            head = ", ".join(_format_value(v) for v in array[:4])
            more = ", ..." if len(array) > 4 else ""
            lines.append(f"  {column:<{width}}  {kind:<7}  {head}{more}")
        return "\n".join(lines)


def _format_value(value) -> str:
    if isinstance(value, np.str_ | str):
        return str(value)
    if isinstance(value, np.floating):
        return f"{float(value):g}"
    return str(value)


def available() -> list[str]:
    """Return the names ``load`` accepts, sorted alphabetically.

    Introduced in 05_logistic_regression.
    """
    return sorted(_SPECS)


def describe(name: str) -> str:
    """Return a one-line description of data set ``name`` without reading the file.

    Raises ValueError for an unknown name (the message lists the known ones).
    """
    return _spec(name).description


def data_dir() -> Path:
    """Return the folder the CSV files are read from.

    ``$GLMLESSON_DATA`` if that environment variable is set and non-empty;
    otherwise the package data ``glmlesson/datasets/`` when it exists (an
    installed wheel); otherwise the repository's ``data/`` folder beside the
    ``glmlesson`` package (a checkout or an editable install).
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    packaged = _packaged_dir()
    if packaged is not None:
        return packaged
    return _checkout_dir()


def _packaged_dir() -> Path | None:
    """The wheel's copy of ``data/`` (``glmlesson/datasets/``), or None if absent."""
    folder = resources.files(__package__) / PACKAGED_FOLDER
    if isinstance(folder, Path) and folder.is_dir():
        return folder
    return None


def _checkout_dir() -> Path:
    """The repository's ``data/`` folder, next to the ``glmlesson`` package folder."""
    return Path(__file__).resolve().parent.parent / "data"


def load(name: str) -> Dataset:
    """Load data set ``name`` and return it as a :class:`Dataset`.

    Args:
        name: one of ``available()``: "challenger", "crabs", "ships", "iris".

    Returns:
        A Dataset mapping each column name to a numpy array (int64, float64 or
        str), with ``.n_rows``, ``.columns``, ``.description``, ``.source``.

    Raises:
        ValueError: unknown name (the message lists the available ones), or a
            CSV that does not match its schema: a missing or extra column, a
            row with the wrong number of fields, or a value of the wrong type
            (the message names the file, the column and what was expected).
        FileNotFoundError: the CSV is not in ``data_dir()``.

    Introduced in 05_logistic_regression.
    """
    spec = _spec(name)
    path = data_dir() / spec.filename
    if not path.is_file():
        raise FileNotFoundError(
            f"data set {name!r}: no file {path}. Set {ENV_VAR} to the folder "
            f"holding {spec.filename} (or unset it to use the CSVs installed with "
            "glmlesson, or the data/ folder of a checkout); reinstall glmlesson "
            "if its glmlesson/datasets/ folder is missing"
        )
    arrays = _read_csv(path, spec)
    return Dataset(name, arrays, spec.description, spec.source, spec.lesson)


def _spec(name: str) -> _Spec:
    if not isinstance(name, str) or name not in _SPECS:
        raise ValueError(
            f"unknown data set {name!r}; available data sets: {', '.join(available())}"
        )
    return _SPECS[name]


def _read_csv(path: Path, spec: _Spec) -> dict[str, np.ndarray]:
    """Read ``path``, check it against ``spec`` and return column -> array."""
    expected = [column for column, _ in spec.columns]
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path.name}: the file is empty; expected columns {expected}")
        header = [field.strip() for field in header]
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        if missing:
            raise ValueError(
                f"{path.name}: missing column(s) {', '.join(map(repr, missing))}; "
                f"expected columns {expected}, found {header}"
            )
        if extra:
            raise ValueError(
                f"{path.name}: unexpected column(s) {', '.join(map(repr, extra))}; "
                f"expected exactly the columns {expected}, found {header}"
            )
        if len(set(header)) != len(header):
            raise ValueError(f"{path.name}: duplicated column names in header {header}")
        rows = []
        for line_number, row in enumerate(reader, start=2):
            if not row or all(not field.strip() for field in row):
                continue
            if len(row) != len(header):
                raise ValueError(
                    f"{path.name}, line {line_number}: {len(row)} fields, "
                    f"expected {len(header)} ({', '.join(header)})"
                )
            rows.append((line_number, row))
    if not rows:
        raise ValueError(f"{path.name}: no data rows below the header")

    arrays = {}
    for column, kind in spec.columns:
        index = header.index(column)
        values = [
            _parse(row[index], kind, path.name, column, line_number) for line_number, row in rows
        ]
        arrays[column] = np.array(values, dtype=_DTYPES[kind])
    return arrays


def _parse(text: str, kind: str, filename: str, column: str, line_number: int):
    """Convert one CSV field to ``kind`` ("int", "float" or "str") or raise ValueError."""
    value = text.strip()
    if kind == "str":
        if value:
            return value
    else:
        try:
            number = int(value) if kind == "int" else float(value)
        except ValueError:
            pass
        else:
            if kind == "int" or math.isfinite(number):
                return number
    raise ValueError(
        f"{filename}, line {line_number}, column {column!r}: "
        f"expected {_EXPECTED[kind]} ({kind}), got {text!r}"
    )


def dummies(values, drop_first=True, levels=None, prefix=None) -> tuple[np.ndarray, list[str]]:
    """Dummy (indicator) columns for a categorical column, for a design matrix.

    Column ``j`` is 1.0 where ``values`` equals level ``j`` and 0.0 elsewhere. With
    ``drop_first`` the first level is left out: it becomes the reference level,
    absorbed by the intercept (keeping all levels next to an intercept makes X
    rank-deficient, since the dummies sum to the intercept column).

    Args:
        values: 1-D array of labels (strings or numbers), e.g. ``ships["ship_type"]``.
        drop_first: leave out the first level (the reference).
        levels: the levels in the order wanted (the first is the reference); default
            the sorted distinct values.
        prefix: put before each level in the names, e.g. ``"ship_type"`` gives
            ``"ship_type=B"``; default the level alone.

    Returns:
        (matrix, names): an (n, m) float array and its m column names.

    Raises:
        ValueError: ``values`` not 1-D or empty, or holding a value not in ``levels``.

    Introduced in 09_offsets_and_model_checking.
    """
    values = np.asarray(values)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"dummies needs a non-empty 1-D column of labels, got shape {values.shape}"
        )
    if levels is None:
        levels = np.unique(values)
    levels = np.asarray(levels)
    unknown = np.setdiff1d(values, levels)
    if unknown.size:
        raise ValueError(
            f"values {unknown.tolist()} are not among the levels {levels.tolist()}; "
            "list every level (the first is the reference)"
        )
    kept = levels[1:] if drop_first else levels
    matrix = (values[:, None] == kept[None, :]).astype(float)
    names = [f"{prefix}={level}" if prefix else str(level) for level in kept]
    return matrix, names
