"""glmlesson.data: every CSV loads with its schema, matches published numbers, and
broken files or names fail with a ValueError that says what is wrong.

The published numbers come from the data sets' own literature, not from this
repository: a fit that reproduces them to the printed precision is evidence the
values were transcribed correctly. statsmodels is the fitting oracle here.
"""

from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm

from glmlesson import data
from glmlesson.data import Dataset, available, describe, load

REPO_DATA = Path(__file__).resolve().parent.parent / "data"

EXPECTED = {
    "challenger": (
        23,
        {
            "flight_order": "int",
            "temperature_f": "int",
            "damaged": "int",
            "distressed": "int",
            "o_rings": "int",
        },
    ),
    "crabs": (
        173,
        {
            "color": "int",
            "spine": "int",
            "width_cm": "float",
            "weight_kg": "float",
            "satellites": "int",
        },
    ),
    "ships": (
        34,
        {
            "ship_type": "str",
            "construction": "str",
            "operation": "str",
            "months_service": "int",
            "incidents": "int",
        },
    ),
    "iris": (
        150,
        {
            "sepal_length_cm": "float",
            "sepal_width_cm": "float",
            "petal_length_cm": "float",
            "petal_width_cm": "float",
            "species": "str",
        },
    ),
    "epilepsy": (
        236,
        {
            "patient": "int",
            "period": "int",
            "treatment": "str",
            "baseline_seizures": "int",
            "age_years": "int",
            "seizures": "int",
        },
    ),
    "cbpp": (
        56,
        {"herd": "int", "period": "int", "herd_size": "int", "new_cases": "int"},
    ),
    "ucb_admissions": (
        24,
        {"department": "str", "sex": "str", "decision": "str", "applicants": "int"},
    ),
    "housing": (
        72,
        {
            "satisfaction": "str",
            "influence": "str",
            "housing_type": "str",
            "contact": "str",
            "households": "int",
        },
    ),
    "cpus": (
        209,
        {
            "name": "str",
            "cycle_time_ns": "int",
            "min_memory_kb": "int",
            "max_memory_kb": "int",
            "cache_kb": "int",
            "min_channels": "int",
            "max_channels": "int",
            "performance": "int",
        },
    ),
}

KIND = {"int": "i", "float": "f", "str": "U"}


@pytest.fixture(autouse=True)
def _default_data_dir(monkeypatch):
    """Every test starts from the repository's data/, whatever the caller's environment."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)


# --------------------------------------------------------------------------- schema


def test_available_lists_every_data_set():
    assert available() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loads_with_expected_shape_and_dtypes(name):
    n_rows, columns = EXPECTED[name]
    d = load(name)
    assert isinstance(d, Dataset)
    assert d.name == name
    assert d.n_rows == n_rows
    assert d.columns == tuple(columns)
    for column, kind in columns.items():
        array = d[column]
        assert array.shape == (n_rows,), column
        assert array.dtype.kind == KIND[kind], (column, array.dtype)
        if kind in ("int", "float"):
            assert array.dtype.itemsize == 8, (column, array.dtype)
            assert np.all(np.isfinite(array)), column


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_and_repr(name):
    d = load(name)
    assert d.description and d.description == describe(name)
    assert d.source and d.lesson
    text = repr(d)
    assert text.startswith(f"Dataset {name!r}: {d.n_rows} rows x {len(d.columns)} columns")
    for column in d.columns:
        assert column in text
    assert "0x" not in text  # no memory addresses: notebooks print this under nbval


def test_dataset_is_a_read_only_mapping():
    d = load("challenger")
    assert list(d) == list(d.columns)
    assert len(d) == len(d.columns)
    assert dict(d).keys() == set(d.columns)
    with pytest.raises(ValueError):
        d["temperature_f"][0] = 0
    with pytest.raises(KeyError, match="temperature_f"):
        d["temperature"]  # the message lists the real names
    assert d == load("challenger")
    assert d != load("crabs")


def test_load_is_silent(capsys):
    for name in available():
        load(name)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_csv_files_are_small(name):
    size = (REPO_DATA / f"{name}.csv").stat().st_size
    assert size < 200_000


def test_readme_documents_every_data_set_and_column():
    readme = (REPO_DATA / "README.md").read_text(encoding="utf-8")
    for name, (n_rows, columns) in EXPECTED.items():
        assert f'load("{name}")' in readme, name
        assert f"{n_rows} rows" in readme, name
        for column in columns:
            assert f"`{column}`" in readme, (name, column)


# ----------------------------------------------------------- published numbers


def _logit_fit(y, x):
    return sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial()).fit()


def test_challenger_values():
    d = load("challenger")
    assert np.array_equal(d["flight_order"], np.arange(1, 24))
    assert d["temperature_f"].min() == 53 and d["temperature_f"].max() == 81
    assert np.all(d["o_rings"] == 6)
    assert np.all((0 <= d["distressed"]) & (d["distressed"] <= d["o_rings"]))
    assert np.array_equal(d["damaged"], (d["distressed"] > 0).astype(np.int64))
    assert d["damaged"].sum() == 7
    assert d["distressed"].sum() == 9


def test_challenger_any_damage_logistic_fit_matches_published():
    """The textbook fit of P(any O-ring damaged) on temperature: 15.04 - 0.232 t."""
    d = load("challenger")
    result = _logit_fit(d["damaged"], d["temperature_f"].astype(float))
    intercept, slope = result.params
    assert intercept == pytest.approx(15.04, abs=0.005)
    assert slope == pytest.approx(-0.232, abs=0.0005)


def test_challenger_binomial_fit_matches_dalal_fowlkes_hoadley():
    """Binomial logit of distressed O-rings out of 6 on temperature: 5.085 - 0.1156 t
    (Dalal, Fowlkes & Hoadley 1989)."""
    d = load("challenger")
    successes = d["distressed"]
    endog = np.column_stack([successes, d["o_rings"] - successes])
    intercept, slope = _logit_fit(endog, d["temperature_f"].astype(float)).params
    assert intercept == pytest.approx(5.085, abs=0.0005)
    assert slope == pytest.approx(-0.1156, abs=0.00005)


def test_crabs_values_and_overdispersion():
    """Agresti reports a mean of 2.919 satellites and a variance of 9.912."""
    d = load("crabs")
    y = d["satellites"]
    assert set(np.unique(d["color"])) == {1, 2, 3, 4}
    assert set(np.unique(d["spine"])) == {1, 2, 3}
    assert y.min() == 0 and y.max() == 15
    assert y.mean() == pytest.approx(2.919, abs=0.0005)
    assert y.var(ddof=1) == pytest.approx(9.912, abs=0.0005)
    assert y.var(ddof=1) / y.mean() > 3  # clearly over-dispersed for a Poisson


def test_crabs_poisson_fit_matches_agresti():
    """Agresti's Poisson loglinear fit of satellites on width: log mu = -3.305 + 0.164 x,
    standard errors 0.542 and 0.020, deviance 567.88 on 171 df."""
    d = load("crabs")
    result = sm.GLM(
        d["satellites"], sm.add_constant(d["width_cm"]), family=sm.families.Poisson()
    ).fit()
    assert result.params == pytest.approx([-3.305, 0.164], abs=0.0005)
    assert result.bse == pytest.approx([0.542, 0.020], abs=0.0005)
    assert result.deviance == pytest.approx(567.88, abs=0.005)
    assert result.df_resid == 171


def _dummies(values):
    levels = sorted(set(values.tolist()))
    return np.column_stack([(values == level).astype(float) for level in levels[1:]])


def test_ships_values():
    d = load("ships")
    assert np.all(d["months_service"] > 0)  # exposure: the offset log(months) exists
    assert np.all(d["incidents"] >= 0)
    assert sorted(set(d["ship_type"].tolist())) == ["A", "B", "C", "D", "E"]
    assert sorted(set(d["construction"].tolist())) == [
        "1960-64",
        "1965-69",
        "1970-74",
        "1975-79",
    ]
    assert sorted(set(d["operation"].tolist())) == ["1960-74", "1975-79"]
    # no ship was in service before it was built: those cells are not in the file
    built_late = d["construction"] == "1975-79"
    assert np.all(d["operation"][built_late] == "1975-79")


def test_ships_main_effects_fit_matches_mccullagh_nelder():
    """Type + construction + operation, Poisson with offset log(service):
    deviance 38.7 on 25 degrees of freedom (McCullagh & Nelder, section 6.3.2)."""
    d = load("ships")
    X = np.column_stack(
        [
            np.ones(d.n_rows),
            _dummies(d["ship_type"]),
            _dummies(d["construction"]),
            _dummies(d["operation"]),
        ]
    )
    result = sm.GLM(
        d["incidents"],
        X,
        family=sm.families.Poisson(),
        offset=np.log(d["months_service"]),
    ).fit()
    assert result.df_resid == 25
    assert result.deviance == pytest.approx(38.7, abs=0.05)


def test_iris_values():
    d = load("iris")
    species, counts = np.unique(d["species"], return_counts=True)
    assert species.tolist() == ["setosa", "versicolor", "virginica"]
    assert counts.tolist() == [50, 50, 50]
    # Summary table in scikit-learn's description of the data (two decimals, truncated)
    means = [d[c].mean() for c in d.columns[:4]]
    assert means == pytest.approx([5.84, 3.05, 3.76, 1.20], abs=0.01)
    mins = [d[c].min() for c in d.columns[:4]]
    maxs = [d[c].max() for c in d.columns[:4]]
    assert mins == [4.3, 2.0, 1.0, 0.1]
    assert maxs == [7.9, 4.4, 6.9, 2.5]


def test_iris_matches_scikit_learn_copy():
    from sklearn.datasets import load_iris

    reference = load_iris()
    d = load("iris")
    ours = np.column_stack([d[c] for c in d.columns[:4]])
    assert np.array_equal(ours, reference.data)
    assert np.array_equal(d["species"], reference.target_names[reference.target])


def test_epilepsy_values_match_thall_and_vail():
    """59 patients (28 placebo, 31 progabide), four two-week periods each; mean baseline
    counts 30.8 and 31.6; the patient with 151 baseline seizures (age 22) had 102, 65, 72
    and 63 seizures in the four periods."""
    d = load("epilepsy")
    assert np.array_equal(d["patient"], np.repeat(np.arange(1, 60), 4))
    assert np.array_equal(d["period"], np.tile([1, 2, 3, 4], 59))
    first = d["period"] == 1
    treatments, counts = np.unique(d["treatment"][first], return_counts=True)
    assert treatments.tolist() == ["placebo", "progabide"] and counts.tolist() == [28, 31]
    for patient_level in ("treatment", "baseline_seizures", "age_years"):
        per_patient = d[patient_level].reshape(59, 4)
        assert np.all(per_patient == per_patient[:, :1]), patient_level
    means = [d["baseline_seizures"][first & (d["treatment"] == t)].mean() for t in treatments]
    assert means == pytest.approx([30.8, 31.6], abs=0.05)
    outlier = d["baseline_seizures"] == 151
    assert d["seizures"][outlier].tolist() == [102, 65, 72, 63]
    assert set(d["age_years"][outlier].tolist()) == {22}


def test_cbpp_values():
    d = load("cbpp")
    assert sorted(set(d["herd"].tolist())) == list(range(1, 16))
    assert set(d["period"].tolist()) == {1, 2, 3, 4}
    assert np.all((0 <= d["new_cases"]) & (d["new_cases"] <= d["herd_size"]))
    assert d["new_cases"].sum() == 99 and d["herd_size"].sum() == 842


def test_ucb_admissions_matches_bickel_hammel_oconnell():
    """1198 of 2691 men and 557 of 1835 women admitted; department A: 512 of 825 men and
    89 of 108 women (Bickel, Hammel & O'Connell 1975)."""
    d = load("ucb_admissions")
    assert d["applicants"].sum() == 4526
    admitted = d["decision"] == "admitted"
    for sex, n_admitted, n_applied in (("male", 1198, 2691), ("female", 557, 1835)):
        rows = d["sex"] == sex
        assert d["applicants"][rows & admitted].sum() == n_admitted
        assert d["applicants"][rows].sum() == n_applied
    dept_a = d["department"] == "A"
    assert d["applicants"][dept_a & admitted & (d["sex"] == "male")].sum() == 512
    assert d["applicants"][dept_a & (d["sex"] == "female")].sum() == 108


def test_ucb_independence_loglinear_fit():
    """Log-linear model of mutual independence (department + sex + decision): its fitted
    counts are the products of the margins, so the deviance equals the G² statistic
    computed from the margins alone."""
    d = load("ucb_admissions")
    X = np.column_stack(
        [np.ones(d.n_rows), _dummies(d["department"]), _dummies(d["sex"]),
         _dummies(d["decision"])]
    )
    result = sm.GLM(d["applicants"], X, family=sm.families.Poisson()).fit()
    total = d["applicants"].sum()
    expected = np.full(d.n_rows, float(total))
    for column in ("department", "sex", "decision"):
        margin = {k: d["applicants"][d[column] == k].sum() for k in set(d[column].tolist())}
        expected *= np.array([margin[k] for k in d[column]]) / total
    g2 = 2 * np.sum(d["applicants"] * np.log(d["applicants"] / expected))
    assert result.df_resid == 24 - 1 - 5 - 1 - 1
    assert result.deviance == pytest.approx(g2, rel=1e-9)


def test_housing_matches_venables_ripley_polr():
    """Proportional-odds fit of satisfaction on influence, type and contact with the
    counts as weights: Venables & Ripley's coefficients, cut-points and deviance."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    d = load("housing")
    assert d["households"].sum() == 1681
    order = {"low": 0, "medium": 1, "high": 2}
    y = np.array([order[s] for s in d["satisfaction"]])
    X = np.column_stack(
        [data.dummies(d["influence"], levels=["low", "medium", "high"])[0],
         data.dummies(d["housing_type"], levels=["tower", "apartment", "atrium", "terrace"])[0],
         data.dummies(d["contact"], levels=["low", "high"])[0]]
    )
    rows = np.repeat(np.arange(d.n_rows), d["households"])
    model = OrderedModel(y[rows], X[rows], distr="logit")
    result = model.fit(method="bfgs", disp=False, maxiter=2000, gtol=1e-8)
    published = [0.5664, 1.2888, -0.5724, -0.3662, -1.0910, 0.3603]
    assert result.params[:6] == pytest.approx(published, abs=6e-5)
    cuts = model.transform_threshold_params(result.params)[1:-1]
    assert cuts == pytest.approx([-0.4961, 0.6907], abs=6e-5)
    assert -2 * result.llf == pytest.approx(3479.149, abs=6e-4)


def test_cpus_matches_the_uci_summary_statistics():
    """The UCI Computer Hardware documentation (machine.names) gives each column's minimum,
    maximum, mean and SD and its correlation with the published performance (PRP): cycle
    time 17-1500, mean 203.8, SD 260.3, r = -0.3071; ...; PRP 6-1150, mean 105.6, SD 160.8."""
    d = load("cpus")
    published = {  # column: (min, max, mean, SD, correlation with performance)
        "cycle_time_ns": (17, 1500, 203.8, 260.3, -0.3071),
        "min_memory_kb": (64, 32000, 2868.0, 3878.7, 0.7949),
        "max_memory_kb": (64, 64000, 11796.1, 11726.6, 0.8630),
        "cache_kb": (0, 256, 25.2, 40.6, 0.6626),
        "min_channels": (0, 52, 4.7, 6.8, 0.6089),
        "max_channels": (0, 176, 18.2, 26.0, 0.6052),
        "performance": (6, 1150, 105.6, 160.8, 1.0),
    }
    for column, (low, high, mean, sd, r) in published.items():
        x = d[column].astype(float)
        assert (x.min(), x.max()) == (low, high), column
        assert x.mean() == pytest.approx(mean, abs=0.1), column
        assert x.std(ddof=1) == pytest.approx(sd, abs=0.1), column
        assert np.corrcoef(x, d["performance"])[0, 1] == pytest.approx(r, abs=5e-5), column


# ------------------------------------------------------------------ bad input


def test_unknown_name_lists_available_names():
    with pytest.raises(ValueError, match="unknown data set 'shuttle'") as info:
        load("shuttle")
    for name in available():
        assert name in str(info.value)
    with pytest.raises(ValueError, match="available data sets"):
        describe("nope")
    with pytest.raises(ValueError, match="available data sets"):
        load(None)


def _write(folder, filename, text):
    (folder / filename).write_text(text, encoding="utf-8")
    return folder


GOOD_CHALLENGER = "flight_order,temperature_f,damaged,distressed,o_rings\n1,66,0,0,6\n2,70,1,1,6\n"


def test_env_var_overrides_the_data_folder(tmp_path, monkeypatch):
    _write(tmp_path, "challenger.csv", GOOD_CHALLENGER)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.data_dir() == tmp_path
    d = load("challenger")
    assert d.n_rows == 2
    assert d["temperature_f"].tolist() == [66, 70]


def test_missing_file_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError, match="crabs.csv"):
        load("crabs")


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        pytest.param(
            "flight_order,temperature_f,damaged,o_rings\n1,66,0,6\n",
            r"challenger\.csv: missing column\(s\) 'distressed'",
            id="missing-column",
        ),
        pytest.param(
            "flight_order,temperature_f,damaged,distressed,o_rings,pressure_psi\n1,66,0,0,6,50\n",
            r"challenger\.csv: unexpected column\(s\) 'pressure_psi'",
            id="extra-column",
        ),
        pytest.param(
            "flight_order,temperature_f,damaged,distressed,o_rings\n1,cold,0,0,6\n",
            r"challenger\.csv, line 2, column 'temperature_f': expected an integer \(int\), "
            r"got 'cold'",
            id="text-in-int-column",
        ),
        pytest.param(
            "flight_order,temperature_f,damaged,distressed,o_rings\n1,66,0,0,6\n2,70.5,1,1,6\n",
            r"line 3, column 'temperature_f': expected an integer \(int\), got '70\.5'",
            id="float-in-int-column",
        ),
        pytest.param(
            "flight_order,temperature_f,damaged,distressed,o_rings\n1,66,0,,6\n",
            r"column 'distressed': expected an integer \(int\), got ''",
            id="empty-field",
        ),
        pytest.param(
            "flight_order,temperature_f,damaged,distressed,o_rings\n1,66,0,0\n",
            r"challenger\.csv, line 2: 4 fields, expected 5",
            id="short-row",
        ),
        pytest.param("", r"challenger\.csv: the file is empty", id="empty-file"),
        pytest.param(
            "flight_order,temperature_f,damaged,distressed,o_rings\n",
            r"challenger\.csv: no data rows",
            id="header-only",
        ),
    ],
)
def test_corrupted_csv_raises_clear_value_error(tmp_path, monkeypatch, text, pattern):
    _write(tmp_path, "challenger.csv", text)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(ValueError, match=pattern):
        load("challenger")


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("nan", r"column 'width_cm': expected a finite number \(float\), got 'nan'"),
        ("wide", r"column 'width_cm': expected a finite number \(float\), got 'wide'"),
    ],
)
def test_bad_float_raises(tmp_path, monkeypatch, value, pattern):
    _write(
        tmp_path,
        "crabs.csv",
        f"color,spine,width_cm,weight_kg,satellites\n2,3,{value},3.05,8\n",
    )
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(ValueError, match=pattern):
        load("crabs")


def test_empty_string_in_str_column_raises(tmp_path, monkeypatch):
    _write(
        tmp_path,
        "ships.csv",
        "ship_type,construction,operation,months_service,incidents\n,1960-64,1960-74,127,0\n",
    )
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(ValueError, match=r"column 'ship_type': expected a non-empty string"):
        load("ships")


def test_columns_may_come_in_any_order(tmp_path, monkeypatch):
    _write(
        tmp_path,
        "challenger.csv",
        "o_rings,distressed,damaged,temperature_f,flight_order\n6,0,0,66,1\n",
    )
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    d = load("challenger")
    assert d.columns == tuple(EXPECTED["challenger"][1])  # schema order, not file order
    assert d["temperature_f"].tolist() == [66]
