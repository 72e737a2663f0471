"""fit_softmax (and fit(X, y, Categorical(k))) against scikit-learn's unpenalised
LogisticRegression and statsmodels' MNLogit, plus bad inputs and warnings."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

from glmlesson import (
    Bernoulli,
    Categorical,
    ConvergenceWarning,
    DivergenceWarning,
    PerfectSeparationWarning,
    SoftmaxResult,
    fit,
    fit_softmax,
)
from glmlesson.data import load


def iris_design():
    iris = load("iris")
    _, labels = np.unique(iris["species"], return_inverse=True)
    x = iris["sepal_length_cm"]
    return np.column_stack([np.ones(x.size), x - x.mean()]), labels


def simulated(seed=3, n=400, k=4):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    B = rng.normal(size=(3, k - 1))
    eta = np.column_stack([X @ B, np.zeros(n)])
    p = np.exp(eta - eta.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    return X, labels


def sklearn_fit(X, labels):
    model = LogisticRegression(C=np.inf, max_iter=100_000, tol=1e-12)
    model.fit(X[:, 1:], labels)
    return model


@pytest.mark.parametrize("data", [iris_design, simulated])
def test_matches_sklearn_probabilities_loglik_and_coefficients(data):
    X, labels = data()
    k = labels.max() + 1
    result = fit(X, labels, Categorical(k))
    assert isinstance(result, SoftmaxResult) and result.converged
    model = sklearn_fit(X, labels)
    probabilities = model.predict_proba(X[:, 1:])
    assert np.allclose(result.mu, probabilities, atol=1e-6)
    loglik = np.sum(np.log(probabilities[np.arange(labels.size), labels]))
    assert result.loglik == pytest.approx(loglik, abs=1e-6)
    # sklearn's symmetric p × k matrix → reference form: subtract the last column
    symmetric = np.vstack([model.intercept_, model.coef_.T])
    assert np.allclose(result.coef, (symmetric - symmetric[:, [-1]])[:, :-1], atol=1e-5)
    assert np.allclose(result.coef_full, symmetric - symmetric[:, [-1]], atol=1e-5)


@pytest.mark.parametrize("data", [iris_design, simulated])
def test_matches_statsmodels_mnlogit(data):
    X, labels = data()
    k = labels.max() + 1
    result = fit_softmax(X, labels, k)
    # MNLogit's reference is label 0: relabel so that our reference (k − 1) becomes 0
    reference = sm.MNLogit((labels + 1) % k, X).fit(disp=0, method="newton", maxiter=100,
                                                   tol=1e-14)
    assert np.allclose(result.coef, reference.params, atol=1e-8)
    assert np.allclose(result.bse, reference.bse, rtol=1e-6)
    assert result.loglik == pytest.approx(reference.llf, abs=1e-8)
    assert result.aic == pytest.approx(reference.aic, abs=1e-8)
    # statsmodels finds llnull iteratively, so compare relatively
    assert result.null_deviance == pytest.approx(-2 * reference.llnull, rel=1e-9)
    assert result.df_resid == reference.df_resid
    assert np.allclose(result.predict(X), reference.predict(X)[:, np.r_[1:k, 0]], atol=1e-9)
    assert np.allclose(result.conf_int(), np.transpose(reference.conf_int(), (1, 0, 2)),
                       atol=1e-7)


def test_irls_newton_and_gradient_agree():
    X, labels = iris_design()
    newton = fit(X, labels, Categorical(3), method="newton")
    irls = fit(X, labels, Categorical(3))
    gradient = fit(X, labels, Categorical(3), method="gradient", learning_rate=1.0,
                   max_iter=20_000)
    assert irls.method == "irls" and newton.method == "newton" and gradient.method == "gradient"
    assert np.allclose(newton.coef, irls.coef, atol=1e-12)
    assert gradient.converged and np.allclose(gradient.coef, newton.coef, atol=1e-6)
    assert np.all(np.diff(gradient.history) >= -1e-12)  # ascent never goes down
    assert newton.n_iter < 15 < gradient.n_iter


def test_gradient_with_tol_zero_takes_exactly_max_iter_steps_and_does_not_warn():
    X, labels = iris_design()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fit_softmax(X, labels, 3, method="gradient", learning_rate=0.5, max_iter=37,
                             tol=0)
    assert result.n_iter == 37 and len(result.history) == 37 and not result.converged


def test_two_classes_is_logistic_regression_with_the_sign_flipped():
    X, labels = iris_design()
    keep = labels > 0
    X2, y2 = X[keep], labels[keep] - 1  # versicolor 0, virginica 1
    softmax = fit(X2, y2, Categorical(2))
    logistic = fit(X2, y2, Bernoulli())
    assert np.allclose(softmax.coef[:, 0], -logistic.coef, atol=1e-9)
    assert np.allclose(softmax.bse[:, 0], logistic.bse, rtol=1e-7)
    assert softmax.loglik == pytest.approx(logistic.loglik, abs=1e-9)


def test_weights_equal_repeated_rows():
    X, labels = simulated(n=120, k=3)
    counts = np.random.default_rng(7).integers(0, 4, labels.size)
    weighted = fit_softmax(X, labels, 3, weights=counts)
    rows = np.repeat(np.arange(labels.size), counts)
    repeated = fit_softmax(X[rows], labels[rows], 3)
    assert np.allclose(weighted.coef, repeated.coef, atol=1e-9)
    assert np.allclose(weighted.bse, repeated.bse, rtol=1e-7)
    assert weighted.loglik == pytest.approx(repeated.loglik)
    assert weighted.null_deviance == pytest.approx(repeated.null_deviance)


def test_perfect_separation_warns():
    iris = load("iris")
    _, labels = np.unique(iris["species"], return_inverse=True)
    X = np.column_stack([np.ones(150), iris["petal_length_cm"]])
    with pytest.warns(PerfectSeparationWarning, match="perfect separation"):
        result = fit(X, labels, Categorical(3))
    assert result.perfect_separation and "perfect separation" in repr(result)


def test_divergence_and_non_convergence_warn():
    X, labels = iris_design()
    X = X * np.array([1.0, 30.0])
    with pytest.warns(DivergenceWarning, match="lower the learning rate"):
        result = fit_softmax(X, labels, 3, method="gradient", learning_rate=50.0, max_iter=200)
    assert result.diverged
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        fit_softmax(X, labels, 3, method="gradient", learning_rate=0.001, max_iter=5)


def test_null_deviance_without_intercept_is_uniform():
    X, labels = iris_design()
    result = fit_softmax(X[:, 1:], labels, 3)
    assert result.null_deviance == pytest.approx(2 * 150 * np.log(3))


def test_predict_summary_and_repr():
    X, labels = iris_design()
    result = fit(X, labels, Categorical(3))
    assert np.array_equal(result.predict_class(X), np.argmax(result.mu, axis=1))
    assert np.allclose(result.predict_proba(X[:3]), result.mu[:3])
    text = result.summary(["intercept", "length"], ["setosa", "versicolor", "virginica"])
    assert "reference class virginica" in text and "log(μ_setosa / μ_virginica)" in text
    assert "converged" in repr(result) and result.k == 3 and result.link.name == "softmax"
    assert result.deviance == pytest.approx(-2 * result.loglik)
    with pytest.raises(ValueError, match="columns like the training X"):
        result.predict(X[:, :1])


@pytest.mark.parametrize(
    "kwargs, phrase",
    [
        (dict(y=np.r_[np.zeros(149), 3]), "labels 0, …, 2"),
        (dict(y=np.eye(3)[np.zeros(150, dtype=int)]), "labels, not one-hot"),
        (dict(X=np.ones(150)), "2-D"),
        (dict(X=np.column_stack([np.ones(150), np.ones(150)])), "rank-deficient"),
        (dict(X=np.column_stack([np.ones(150), np.r_[np.nan, np.ones(149)]])), "non-finite"),
        (dict(weights=-np.ones(150)), "weights must be ≥ 0"),
        (dict(method="lbfgs"), "unknown method"),
        (dict(k=1), "number of classes"),
    ],
)
def test_bad_input_raises_value_error(kwargs, phrase):
    X, labels = iris_design()
    arguments = dict(X=X, y=labels, k=3) | kwargs
    with pytest.raises(ValueError, match=phrase):
        fit_softmax(**arguments)


def test_separated_class_leaves_the_overlapping_classes_at_their_binary_fit():
    # Setosa is separated by petal length, versicolor and virginica overlap. Along the
    # separating direction only setosa's scores run away; the versicolor-vs-virginica
    # log-odds (column 1, virginica the reference) stay finite and must equal the
    # logistic regression of those two classes alone (statsmodels as the oracle).
    import statsmodels.api as sm

    iris = load("iris")
    _, labels = np.unique(iris["species"], return_inverse=True)
    X = np.column_stack([np.ones(150), iris["petal_length_cm"]])
    with pytest.warns(PerfectSeparationWarning):
        result = fit(X, labels, Categorical(3))
    assert result.fate == "separated" and result.n_iter < 40
    two = labels > 0
    binary = sm.Logit((labels[two] == 1).astype(float), X[two]).fit(disp=0, tol=1e-12)
    np.testing.assert_allclose(result.coef[:, 1], binary.params, rtol=1e-6)
