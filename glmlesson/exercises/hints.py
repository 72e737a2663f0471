"""Hints for the exercises, keyed "LL.N" (lesson LL, exercise N): the one source.

Each notebook shows the same text in a folded ``<details><summary>Hint</summary>``
block under its exercise (tests/test_notebook_conventions.py checks that every
block equals ``HINTS[key]``), and ``hint("LL.N")`` prints it for students who
prefer to ask from code. The texts are plain Unicode that reads the same in a
rendered notebook and in printed output: no LaTeX, code in `backticks` (which
``hint`` leaves out when it prints).

Introduced in 00_start_here.
"""

HINTS: dict[str, str] = {
    "00.1": (
        "`beta[0]` is the intercept β₀ and `beta[1]` the slope β₁. numpy does arithmetic on a "
        "whole array at once, so one line, `beta[0] + beta[1] * x`, handles every x."
    ),
    "01.1": (
        "The first normal equation (the intercept's row) says Σᵢ(yᵢ − β₀ − β₁xᵢ) = 0, so the "
        "line passes through (x̄, ȳ): β₀ = ȳ − β₁x̄. Put that into the second row, "
        "Σᵢ xᵢ(yᵢ − β₀ − β₁xᵢ) = 0, and solve for the slope: "
        "β₁ = Σᵢ(xᵢ − x̄)(yᵢ − ȳ) / Σᵢ(xᵢ − x̄)²."
    ),
    "01.2": (
        "With L(β) = ‖y − Xβ‖²/(2n) the gradient is ∇L(β) = −Xᵀ(y − Xβ)/n, and descent moves "
        "against it: the new β is β − `learning_rate` · ∇L(β). `len(y)` is n. Return the new β, "
        "not the gradient."
    ),
    "01.3": (
        "Fit first (`np.linalg.lstsq(X, y, rcond=None)[0]` or your own normal equations), then "
        "RSS = Σ(y − Xβ̂)². The maximum-likelihood estimate divides RSS by n, the unbiased one "
        "by n − p, where p = `X.shape[1]` counts the fitted coefficients."
    ),
    "01.4": (
        "One observation contributes log N(yᵢ | μᵢ, σ²) = −½·log(2πσ²) − (yᵢ − μᵢ)²/(2σ²), "
        "with μ = Xβ. Summed over n observations: −(n/2)·log(2πσ²) − RSS/(2σ²). Do not drop "
        "the first term: it does not depend on β, but it does depend on σ². The argument "
        "`sigma2` is already the variance σ²."
    ),
    "02.1": (
        "Take the log of (1 − p)ʸ · p and sort the terms: y·log(1 − p) pairs y with the "
        "parameter (that is T(y)·θ), log p involves the parameter only (that is −A(θ)), and "
        "nothing depends on y alone (so h(y) = 1). Then write A as a function of θ, not of p: "
        "Z(θ) = Σ e^(θy) over y = 0, 1, 2, … is a geometric series."
    ),
    "02.2": (
        "Central differences with a step h ≈ 1e-4: A′(θ) ≈ (A(θ + h) − A(θ − h))/(2h) and "
        "A″(θ) ≈ (A(θ + h) − 2A(θ) + A(θ − h))/h². A much smaller h lets round-off error, "
        "divided by h², swamp the answer. Call the `log_partition` you are given: the check "
        "passes functions you have not seen."
    ),
    "02.3": (
        "Ψ undoes A′. With A(θ) = −log(1 − e^θ), A′(θ) = e^θ/(1 − e^θ). Set that equal to μ, "
        "solve for e^θ, then take the log. Your θ should always come out negative."
    ),
    "03.1": (
        "A link can serve a mean range when its `mu_domain` contains the range: domain low ≤ "
        "`low` and `high` ≤ domain high. Infinite ends compare fine in Python "
        "(`-np.inf <= -np.inf` is `True`). `Link.accepts` does this comparison; write it "
        "yourself."
    ),
    "03.2": (
        "Follow the pipeline: η = Xβ, μ = `link.g_inv(η)`, θ = `family.psi(μ)`, then add up "
        "log h(y) + T(y)·θ − A(θ) with `family.log_h`, `family.T` and `family.log_partition`. "
        "Only for a canonical link is θ = η. Do not drop log h(y): it does not move the best β, "
        "but it is part of the log-likelihood. Do not call `family.loglik` or "
        "`family.log_density`: the point is to assemble the pieces."
    ),
    "03.3": (
        "Compute η = `X @ beta` first, then solve g(μ) = η for μ: identity μ = η; log μ = e^η; "
        "logit μ = 1/(1 + e^(−η)); sqrt μ = η²."
    ),
    "04.1": (
        "Start from `poisson_gradient_ascent` and change the line that computes the mean: the "
        "Bernoulli mean is μ = σ(η) = 1/(1 + e^(−η)) (`expit`, imported above) instead of e^η. "
        "The logit link is canonical for the Bernoulli, so the gradient keeps the form "
        "Xᵀ(y − μ)/n and the step still adds `learning_rate` × gradient. Start at β = 0 and "
        "return only β, no history."
    ),
    "04.2": (
        "`glmlesson.fit(X, y, \"poisson\", link=\"sqrt\")` fits the same family with another "
        "link; its `.deviance` is what you want, not `.loglik` (that is ℓ, not "
        "2(ℓ_saturated − ℓ)). Same data and same family means the same saturated model, so the "
        "smaller deviance is the better fit."
    ),
    "04.3": (
        "Use the fitted means μ, not the overall mean of y: `np.var(y) / np.mean(y)` counts the "
        "rise of μ with x as if it were noise. Compare each squared residual (y − μ)² with the "
        "variance the Poisson promises at that point, V(μ) = μ; sum the ratios (Pearson's χ²) "
        "and divide by the residual degrees of freedom n − p, not n."
    ),
    "05.1": (
        "β is the change in log-odds for one unit of x. A step of Δx units changes the log-odds "
        "by β·Δx; what does that do to the odds themselves?"
    ),
    "05.2": (
        "With η = Xβ and μ = expit(η), each observation adds y·log μ + (1 − y)·log(1 − μ), "
        "which simplifies to y·η − log(1 + e^η). Sum over observations. `np.logaddexp(0, eta)` "
        "computes log(1 + e^η) without overflow."
    ),
    "05.3": (
        "Solve β₀ + β₁x = logit(p) for x. The log-odds at p = 0.5 are 0, which gives −β₀/β₁."
    ),
    "06.1": (
        "The probit link is g(μ) = Φ⁻¹(μ), with Φ the standard normal cdf, so μ = Φ(η). "
        "`scipy.special.ndtr` or `scipy.stats.norm.cdf` computes Φ; the density φ is something "
        "else."
    ),
    "06.2": (
        "Undo the operations of g one by one, from the outside in: exponentiate η, change the "
        "sign, exponentiate again, and subtract from 1. `np.expm1(x)` = e^x − 1 keeps tiny "
        "probabilities accurate."
    ),
    "06.3": (
        "Fit once per link with `glmlesson.fit(X, y, family, link=name)` and compare the "
        "`.deviance` of the fits: smaller means closer to the saturated model. "
        "`min(..., key=...)` picks the smallest; return its name."
    ),
    "07.1": (
        "Gradient Xᵀ(y − μ) with μ = expit(Xβ); curvature XᵀWX with W = diag(μ(1 − μ)). Newton "
        "moves to the top of the quadratic through the current point: the new β is "
        "β + (XᵀWX)⁻¹ · gradient. Use `np.linalg.solve` rather than inverting."
    ),
    "07.2": (
        "With μ = Φ(η): dμ/dη = φ(η) (`norm.pdf`), so g′(μ) = 1/φ(η), and V(μ) = μ(1 − μ). "
        "Working response z = η + (y − μ)/φ(η), weights w = φ(η)²/V(μ). The new β solves the "
        "weighted least-squares problem (XᵀWX)β = XᵀWz (or use `lstsq` on rows scaled by √w)."
    ),
    "07.3": (
        "The Fisher information of logistic regression is I = XᵀWX with W = diag(μ̂(1 − μ̂)). "
        "Its inverse (of the whole matrix) is the covariance of β̂; a standard error is the "
        "square root of a diagonal entry of that covariance."
    ),
    "08.1": (
        "Use the residuals of the fitted model, not the raw variance of y: divide each squared "
        "residual (yᵢ − μ̂ᵢ)² by the variance the Poisson promises, V(μ̂ᵢ) = μ̂ᵢ; sum them, then "
        "divide by the residual degrees of freedom n − p."
    ),
    "08.2": (
        "Quasi-Poisson keeps the Poisson β̂ and multiplies its covariance matrix by φ̂. A "
        "standard error is the square root of a variance, so it is multiplied by √φ̂. "
        "`result.resid_pearson` and `result.df_resid` help."
    ),
    "08.3": (
        "Substitute θ = log(αμ/(1 + αμ)) into log h(y) + y·θ + r·log(1 − e^θ) with r = 1/α; "
        "note 1 − e^θ = 1/(1 + αμ). `scipy.special.gammaln` gives log Γ, and "
        "log y! = `gammaln(y + 1)`: keep every part of log h(y), including −log y!."
    ),
    "08.4": (
        "Fit `NegativeBinomial(a)` for every a in the grid, compare the fits by their "
        "log-likelihood (`.loglik`) and return the value of α, not its position. Why not the "
        "deviance? Each α has its own saturated model, so deviances for different α are not on "
        "the same scale."
    ),
    "09.1": (
        "The statistic is the drop in deviance, `small.deviance - big.deviance` = "
        "2(ℓ_big − ℓ_small), never negative. Its degrees of freedom are the number of "
        "coefficients `big` adds. The p-value is the upper tail: `stats.chi2.sf(statistic, df)`."
    ),
    "09.2": (
        "The offset is `np.log(months)`, not `months`. The fitted rate per month is exp(xᵀβ̂); "
        "per 1000 months it is 1000·exp(xᵀβ̂) (or "
        "`result.predict(X, offset=np.full(len(X), np.log(1000)))`)."
    ),
    "09.3": (
        "AIC = −2ℓ + 2p, with p the number of estimated parameters. The Poisson and the "
        "Binomial have no dispersion parameter to estimate, so p is `result.coef.size`. The "
        "deviance is not −2ℓ: it is measured from the saturated model."
    ),
    "10.1": (
        "Subtract each row's maximum first, `eta - eta.max(axis=1, keepdims=True)`: "
        "softmax(η) = softmax(η − c) for any c, and e⁰ = 1 cannot overflow. Then exponentiate "
        "and divide each row by its own sum (`axis=1, keepdims=True`)."
    ),
    "10.2": (
        "Row i has a single 1, in column `labels[i]`: `np.eye(k)[labels]` does it, as does "
        "filling `np.zeros((n, k))`. Use the k you are given, not `labels.max() + 1`: a class "
        "can be absent from the data."
    ),
    "10.3": (
        "Each row contributes the log of the probability it gave its own class: "
        "`probs[np.arange(n), y]` (not `probs[:, y]`, which is n × n), or "
        "`np.sum(one_hot * np.log(probs))`. Sum over rows; do not average."
    ),
    "10.4": (
        "Adding the same vector to every column leaves the probabilities unchanged, so subtract "
        "the reference column from every column (`B_full - B_full[:, [reference]]`; the double "
        "brackets keep the shape), then drop the reference column, which is now all zeros "
        "(`np.delete(..., reference, axis=1)`)."
    ),
    "11.1": (
        "The Pearson residuals of a Gamma fit are (y − μ)/√V(μ) = (y − μ)/μ. Square them, add "
        "them up (that is Pearson's χ²) and divide by the residual degrees of freedom n − k, "
        "where n = `len(y)` and k = `n_coef` is the number of fitted coefficients."
    ),
    "11.2": (
        "First the unit deviance d = 2·((y − μ)/μ − log(y/μ)), which is never negative. Its "
        "square root is the size of the residual; `np.sign(y - mu)` gives its direction, so a "
        "response above its mean gets a positive residual."
    ),
    "11.3": (
        "y = 0 exactly when the number of claims N is 0, and N is Poisson with rate "
        "λ = μ^(2−p)/(φ(2 − p)). A Poisson count is 0 with probability exp(−λ). `mu` is an "
        "array, so write it with numpy: `np.exp(-mu ** (2 - power) / (phi * (2 - power)))`."
    ),
    "11.4": (
        "For each p: `result = fit(X, y, Tweedie(p))`, then find the φ that maximises "
        "`Tweedie(p).loglik(y, result.mu, phi)`; `minimize_scalar` on log φ with "
        "`bounds=(-6, 6), method=\"bounded\"` does it (minimise minus the log-likelihood). "
        "Keep the largest value for each p and return the p, from `powers`, where it is highest."
    ),
    "12.1": (
        "Two pieces of the penalty, two places. The lasso share λ·a is the threshold: "
        "S(ρ, λa) = sign(ρ)·max(|ρ| − λa, 0), which is `soft_threshold(rho, penalty * l1_ratio)`. "
        "The ridge share adds to the curvature: the derivative of λ(1 − a)/2·β² is λ(1 − a)·β, "
        "so divide by `curvature + penalty * (1 - l1_ratio)`."
    ),
    "12.2": (
        "With every slope at 0 the intercept alone fits, and every fitted mean is ȳ. There the "
        "score of slope j (lesson 07's U(β), which is Xᵀ(y − μ) for a canonical link) is "
        "Uⱼ = xⱼᵀ(y − ȳ), and the gradient of D/(2n) along βⱼ is −Uⱼ/n. A slope stays at 0 "
        "while |Uⱼ|/n ≤ a·λ, so λ_max is the largest |Uⱼ| over the slope columns `X[:, 1:]` "
        "(either sign: take the absolute value), divided by n·`l1_ratio`."
    ),
    "12.3": (
        "Loop over the folds, numbered 0 to K − 1 (`for k in np.unique(folds)`): for fold k, "
        "`train = folds != k` and `test = folds == k`. For each "
        "penalty fit on the training rows with `fit(X[train], y[train], \"bernoulli\", "
        "penalty=penalty, l1_ratio=1.0)`, predict μ for the test rows with `result.predict`, "
        "and add `Bernoulli().deviance(y[test], mu)` to that penalty's total. Divide the totals "
        "by n = `len(y)`."
    ),
    "12.4": (
        "Least squares on the augmented data minimises ‖y − Xβ‖² + Σ (rows·β − 0)². Multiply "
        "the lesson's objective by 2n: ‖y − Xβ‖² + nλ·Σⱼ βⱼ². So add one row √(nλ)·eⱼ for each "
        "slope j (not for the intercept, column 0) and a 0 to y for each: "
        "`np.sqrt(n * penalty) * np.eye(p)[1:]` and `np.zeros(p - 1)`."
    ),
    "13.1": (
        "The bread is B = XᵀWX with W = diag(μ) for the Poisson log link; invert it. Each row's "
        "score is xᵢ(yᵢ − μᵢ): add the scores of the rows of one group to get s_g (one vector "
        "per group), then M = Σ_g s_g s_gᵀ. The covariance is B⁻¹ M B⁻¹; return the square "
        "roots of its diagonal."
    ),
    "13.2": (
        "Write ℓ(u) = Σⱼ [yⱼ(ηⱼ + σu) − e^(ηⱼ + σu) − log yⱼ!] − u²/2 "
        "(`scipy.special.gammaln(y + 1)` is log y!). Find its maximiser û by Newton: "
        "u ← u + (σΣⱼ(yⱼ − μⱼ) − u)/H with "
        "H = 1 + σ²Σⱼ μⱼ. The answer is ℓ(û) − ½·log H, with H at û."
    ),
    "13.3": (
        "The intercept of a random group is σz with z ~ N(0, 1), so the average is "
        "E expit(η + σz). Gauss–Hermite does it: `z, w = np.polynomial.hermite_e.hermegauss(40)` "
        "gives nodes and weights for e^(−z²/2); divide the weights by √(2π) and sum "
        "w·expit(η + σz) over the nodes, for each η."
    ),
    "14.1": (
        "Under independence p(row i, column j) = p(row i)·p(column j), estimated by the "
        "margins: nᵢ₊/n and n₊ⱼ/n. Multiply by n: μ̂ᵢⱼ = nᵢ₊·n₊ⱼ/n. `table.sum(axis=1)` gives "
        "the row totals, `table.sum(axis=0)` the column totals, and `np.outer` the table of "
        "products."
    ),
    "14.2": (
        "G² = 2·Σ y·log(y/μ̂) over the cells, with the natural log. An empty cell (y = 0) "
        "contributes 0, but `0 * np.log(0)` is NaN in numpy: `scipy.special.xlogy(y, y / mu)` "
        "returns 0 there."
    ),
    "14.3": (
        "First the cumulative probabilities P(y ≤ j) = expit(θⱼ − η) for every row and "
        "threshold (an n × (K − 1) array; `thresholds[None, :] - eta[:, None]` broadcasts). "
        "Put a column of 0s before them and a column of 1s after, then take differences "
        "along the rows (`np.diff(..., axis=1)`): K columns that sum to 1."
    ),
}


def plain(text: str) -> str:
    """Return ``text`` as printed output: the Markdown `backticks` left out."""
    return text.replace("`", "")


def hint(key: str | float) -> None:
    """Print the hint of exercise ``key``, e.g. ``hint("04.1")``: ``HINTS[key]`` as plain text.
    A number is read as the text it prints as (``hint(12.1)`` is ``hint("12.1")``)."""
    given = key
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        key = f"{key:04.1f}"  # 12.1 -> "12.1", 4.1 -> "04.1"
    text = HINTS.get(key)
    if text is None:
        known = ", ".join(sorted(HINTS))
        advice = ("" if isinstance(given, str)
                  else ' (give the exercise as a string, e.g. hint("12.1"))')
        print(f"No hint called {given!r}{advice}; the exercises with hints are: {known}")
    else:
        print(f"Hint {key}: {plain(text)}")
