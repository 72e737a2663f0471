"""glmlesson.data.dummies (dummy coding for the ships' categorical columns) and the lesson
provenance of the data sets used by lessons 08-10."""

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from glmlesson import Poisson, fit
from glmlesson.data import dummies, load

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_dummies_by_hand():
    values = np.array(["b", "a", "c", "b"])
    matrix, names = dummies(values)
    assert names == ["b", "c"]
    assert np.array_equal(matrix, [[1, 0], [0, 0], [0, 1], [1, 0]])
    full, full_names = dummies(values, drop_first=False, prefix="g")
    assert full_names == ["g=a", "g=b", "g=c"]
    assert np.array_equal(full.sum(axis=1), np.ones(4))
    ordered, ordered_names = dummies(values, levels=["c", "b", "a"])
    assert ordered_names == ["b", "a"] and np.array_equal(ordered[:, 1], [0, 1, 0, 0])


def test_dummies_of_numbers_and_bad_input():
    matrix, names = dummies(np.array([3, 1, 3]))
    assert names == ["3"] and np.array_equal(matrix[:, 0], [1, 0, 1])
    with pytest.raises(ValueError, match="not among the levels"):
        dummies(np.array(["a", "z"]), levels=["a", "b"])
    with pytest.raises(ValueError, match="1-D"):
        dummies(np.array([]))
    with pytest.raises(ValueError, match="1-D"):
        dummies(np.ones((2, 2)))


def test_ships_main_effects_model_matches_statsmodels_formula():
    """The design built with dummies reproduces McCullagh & Nelder's deviance (38.7 on 25 df)
    and statsmodels' formula interface, whose treatment coding drops the first level too."""
    ships = load("ships")
    columns = [np.ones(ships.n_rows)]
    for name in ("ship_type", "construction", "operation"):
        columns.append(dummies(ships[name])[0])
    X = np.column_stack(columns)
    offset = np.log(ships["months_service"])
    result = fit(X, ships["incidents"], Poisson(), offset=offset)
    assert result.deviance == pytest.approx(38.695, abs=5e-4) and result.df_resid == 25
    frame = pd.DataFrame({name: ships[name] for name in ships.columns})
    reference = smf.glm("incidents ~ ship_type + construction + operation", frame,
                        family=sm.families.Poisson(), offset=offset).fit()
    assert np.allclose(result.coef, reference.params.to_numpy(), atol=1e-8)


@pytest.mark.parametrize(
    "name, lesson",
    [
        ("crabs", "08_overdispersion"),
        ("ships", "09_offsets_and_model_checking"),
        ("iris", "10_softmax_regression"),
    ],
)
def test_data_sets_name_the_lesson_notebook(name, lesson):
    assert load(name).lesson == lesson
    readme = (NOTEBOOKS.parent / "data" / "README.md").read_text(encoding="utf-8")
    assert f'| `"{name}"` |' in readme and f"| {lesson} |" in readme
    notebook = NOTEBOOKS / f"{lesson}.ipynb"
    if notebook.exists():
        sources = "".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells)
        assert f'load("{name}")' in sources
