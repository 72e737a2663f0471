# R reference fits for glmlesson.fit (issue 11, section 1: "right wherever R is right").
#
# Regenerate the JSON fixtures from the repository root with
#
#     Rscript tests/reference/glm_cases.R
#
# (R >= 4.0 with MASS; on Debian/Ubuntu `apt-get install r-base-core r-cran-mass`).
# The output is deterministic: a second run rewrites identical files. CI does not run
# R: tests/test_r_reference.py reads the committed JSON in tests/fixtures/r_glm/,
# one file per case.
#
# Every case builds its data here, in R, from its own set.seed, and writes X, y,
# weights, offset and trials into its JSON at full precision (17 significant digits),
# so Python fits exactly the numbers R fitted. "r" holds what R's glm reported:
# coef (null where R found the column aliased), bse, deviance, loglik (logLik),
# dispersion (summary's), df_residual, aic, null_deviance, converged, iter,
# fitted_range and R's warnings word for word; and, as evidence that R's answer is
# the MLE, score_relative (the score at R's coefficients relative to its terms) and
# polish_restarts / polish_last_change (see polish_fit below).
#
# R is fitted with glm.control(epsilon = 1e-14, maxit = 200) and then polished to
# the fixed point. Where R's own formulas lose digits (deviance of counts near 1e12,
# Gamma deviance at tiny dispersion, the negative binomial log-likelihood at
# theta = 1e8) "r" also holds the quantity in a stable form (deviance_stable,
# loglik_stable, aic_stable); the comment above each such case says why. For the
# ill-conditioned designs, coef_spread says how many digits of the coefficients
# double precision determines. "expect" tells the test what glmlesson should do:
#   "fit"        fit and agree with R;
#   "separation" the data are separated (checked here): PerfectSeparationWarning;
#   "aliased"    R returns NA for the columns in "aliased_columns" (0-based):
#                glmlesson raises a ValueError naming them;
#   "p_gt_n"     more columns than rows: a ValueError saying "p > n";
#   "edge"       fitted means numerically 0 (R: "fitted rates numerically 0"):
#                glmlesson warns and stops early.
#
# Cases are named c<class>_... after the numbered classes of issue 11 section 1, or
# ordinary_... for fits that are not hard at all (issue_class 0).

suppressPackageStartupMessages(library(MASS))

out_dir <- file.path("tests", "fixtures", "r_glm")
if (!dir.exists(file.path("tests", "reference"))) {
  stop("run this script from the repository root: Rscript tests/reference/glm_cases.R")
}
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(out_dir, pattern = "\\.json$", full.names = TRUE))

tight <- glm.control(epsilon = 1e-14, maxit = 200)

# ----------------------------------------------------------------------------- helpers
num <- function(v) unname(as.numeric(v))
scalar <- function(v) structure(v, json_scalar = TRUE)

# A small JSON writer: numbers with 17 significant digits (jsonlite stops at 15, and
# the ill-conditioned cases need X and y to reach Python bit for bit), NA as null,
# a scalar() as a plain value, any other vector as an array, a matrix as its rows.
to_json <- function(v) {
  if (is.null(v)) return("null")
  if (is.list(v)) {
    items <- vapply(v, to_json, character(1))
    if (is.null(names(v))) return(paste0("[", paste(items, collapse = ","), "]"))
    return(paste0("{", paste0(encodeString(names(v), quote = '"'), ":", items,
                              collapse = ","), "}"))
  }
  if (is.matrix(v)) {
    return(to_json(lapply(seq_len(nrow(v)), function(i) as.vector(v[i, ]))))
  }
  if (is.character(v)) {
    items <- encodeString(v, quote = '"')
  } else if (is.logical(v)) {
    items <- ifelse(is.na(v), "null", ifelse(v, "true", "false"))
  } else {
    if (any(is.infinite(v))) stop("JSON has no infinity")
    items <- ifelse(is.na(v), "null", sprintf("%.17g", as.numeric(v)))
  }
  if (isTRUE(attr(v, "json_scalar"))) return(items)
  paste0("[", paste(items, collapse = ","), "]")
}

# 1-D overlap check for a binary response with an intercept and one predictor x:
# the classes are separated (completely or quasi-completely) iff a threshold puts
# every y = 1 on one side (ties allowed) and every y = 0 on the other.
overlap_1d <- function(x, y) {
  x1 <- x[y > 0]
  x0 <- x[y < 1]
  max(x0) > min(x1) && max(x1) > min(x0)
}

# r - log1p(r) without cancellation for small r (series to r^12).
r_minus_log1p <- function(r) {
  small <- abs(r) < 1e-2
  out <- r - log1p(r)
  rs <- r[small]
  k <- 2:12
  out[small] <- vapply(rs, function(v) sum((-1)^k * v^k / k), numeric(1))
  out
}

# Fit y ~ X with glm, capturing warnings; X's first column is the intercept when it
# is all ones (so R computes its null deviance with an intercept, as glmlesson does).
run_glm <- function(X, response, family, weights, offset, start, control) {
  has_intercept <- all(X[, 1] == 1)
  Z <- if (has_intercept) X[, -1, drop = FALSE] else X
  env <- list2env(list(resp = response, Z = Z, w = weights, off = offset))
  formula <- if (has_intercept) resp ~ Z else resp ~ 0 + Z
  environment(formula) <- env
  messages <- character(0)
  fit <- withCallingHandlers(
    glm(formula, family = family, weights = w, offset = off, start = start,
        control = control),
    warning = function(w) {
      messages <<- c(messages, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  list(fit = fit, warnings = messages)
}

# R's glm stops when the deviance changes by less than epsilon (relative). With a
# non-canonical link Fisher scoring converges only linearly, and a deviance that has
# settled to 1e-14 leaves the coefficients up to ~1e-8 short of the fixed point. So
# every fit that should exist is polished: glm is restarted from its own
# coefficients (each restart takes at least one more Fisher step) until they change
# by less than 1e-14 relative, or for at most 50 restarts (ill-conditioned designs
# jitter at ~1e-10 for ever). The JSON records how many restarts were taken and the
# last relative change; "converged" and "iter" are those of the first, plain call,
# and every other number is from the polished fit.
polish_fit <- function(fit, X, response, family, weights, offset, control) {
  change <- NA_real_
  restarts <- 0L
  for (restarts in seq_len(50)) {
    previous <- coef(fit)
    fit <- suppressWarnings(run_glm(X, response, family, weights, offset,
                                    unname(previous), control)$fit)
    change <- max(abs(coef(fit) - previous) / pmax(abs(previous), 1e-300))
    if (change < 1e-14) break
  }
  list(fit = fit, restarts = restarts, change = change)
}

record <- function(name, issue_class, description, X, y, family, py_family, link,
                   weights = NULL, offset = NULL, trials = NULL, alpha = NULL,
                   start = NULL, control = tight, expect = "fit", extra = list()) {
  # extra: a list of further numbers for r, or a function of the fit returning one
  n <- nrow(X)
  stopifnot(n <= 500, length(y) == n)
  if (py_family == "bernoulli" && ncol(X) == 2) {  # the fit exists iff the classes overlap
    if (overlap_1d(X[, 2], y) != (expect != "separation")) {
      stop(name, ": separation of the data disagrees with expect = ", expect)
    }
  }
  prior <- if (is.null(weights)) rep(1, n) else weights
  response <- if (is.null(trials)) y else cbind(y, trials - y)
  res <- run_glm(X, response, family, prior, offset, start, control)
  fit <- res$fit
  polish <- if (expect == "fit") polish_fit(fit, X, response, family, prior, offset, control)
  if (!is.null(polish)) fit <- polish$fit
  # summary.glm estimates the dispersion for every family but poisson and binomial;
  # for the negative binomial with a known theta it is 1 (as MASS's summary.negbin,
  # statsmodels and glmlesson have it)
  nb <- grepl("^Negative Binomial", family$family)
  s <- summary(fit, dispersion = if (nb) 1 else NULL)
  coef <- num(coef(fit))
  aliased <- which(is.na(coef)) - 1L
  bse <- rep(NA_real_, length(coef))
  bse[!is.na(coef)] <- num(sqrt(diag(s$cov.scaled)))
  r <- list(
    coef = coef,
    bse = bse,
    deviance = scalar(fit$deviance),
    loglik = scalar(as.numeric(logLik(fit))),
    dispersion = scalar(s$dispersion),
    df_residual = scalar(fit$df.residual),
    aic = scalar(fit$aic),
    null_deviance = scalar(fit$null.deviance),
    converged = scalar(res$fit$converged),
    iter = scalar(res$fit$iter),
    fitted_range = num(range(fitted(fit))),
    warnings = res$warnings
  )
  # evidence that R's answer is the MLE: the score X'(w*mu.eta*(y - mu)/V) at R's
  # coefficients, relative to the size of its terms (~1e-13 at a converged optimum)
  eta <- fit$linear.predictors
  mu <- fitted(fit)
  terms <- X * (fit$prior.weights * (fit$y - mu) * family$mu.eta(eta) / family$variance(mu))
  r$score_relative <- scalar(max(abs(colSums(terms))) / max(colSums(abs(terms))))
  if (!is.null(polish)) {
    r$polish_restarts <- scalar(polish$restarts)
    r$polish_last_change <- scalar(polish$change)
  }
  if (is.function(extra)) extra <- extra(fit)
  for (key in names(extra)) r[[key]] <- extra[[key]]
  case <- list(
    name = scalar(name),
    issue_class = scalar(issue_class),
    description = scalar(description),
    expect = scalar(expect),
    family = scalar(py_family),
    link = scalar(link),
    alpha = if (is.null(alpha)) NULL else scalar(alpha),
    X = unname(X),
    y = num(y),
    weights = if (is.null(weights)) NULL else num(weights),
    offset = if (is.null(offset)) NULL else num(offset),
    trials = if (is.null(trials)) NULL else num(trials),
    aliased_columns = aliased,
    r = r
  )
  case <- case[!vapply(case, is.null, logical(1))]
  path <- file.path(out_dir, paste0(name, ".json"))
  lines <- paste0(encodeString(names(case), quote = '"'), ": ",
                  vapply(case, to_json, character(1)))
  writeLines(c("{", paste0(lines, c(rep(",", length(lines) - 1), "")), "}"), path,
             useBytes = TRUE)
  cat(sprintf("%-34s converged=%-5s iter=%3d deviance=%.10g  %s\n", name,
              res$fit$converged, res$fit$iter, fit$deviance,
              if (length(res$warnings)) paste(unique(res$warnings), collapse = " | ") else ""))
  invisible(fit)
}

# ============================================================ class 1: separation
# A strong predictor whose classes overlap: tiny fitted probabilities on the right
# side, yet the MLE exists and R reaches it.
set.seed(101)
n <- 200
x <- rnorm(n)
y <- rbinom(n, 1, plogis(0.5 + 12 * x))
record("c1_logit_strong_overlap", 1,
       "logit, x ~ N(0,1), true slope 12, n = 200; classes overlap, so the MLE exists",
       cbind(1, x), y, binomial("logit"), "bernoulli", "logit")

# Almost separated: sorted x, y = 1 for x > 0, except one point at x ~ 0.4 labelled 0
# (and one at x ~ -0.4 labelled 1), so the classes overlap on a short interval.
set.seed(102)
n <- 120
x <- sort(rnorm(n))
y <- as.numeric(x > 0)
y[which.min(abs(x - 0.4))] <- 0
y[which.min(abs(x + 0.4))] <- 1
record("c1_logit_nearly_separated", 1,
       "logit, y = 1 for x > 0 except two swapped labels at x = +-0.4; overlapping",
       cbind(1, x), y, binomial("logit"), "bernoulli", "logit")

# Completely separated: the MLE does not exist (R warns, and its numbers are arbitrary).
set.seed(103)
n <- 60
x <- rnorm(n)
y <- as.numeric(x > 0.1)
record("c1_logit_separated", 1,
       "logit, y = 1 exactly when x > 0.1: complete separation, no MLE",
       cbind(1, x), y, binomial("logit"), "bernoulli", "logit", expect = "separation")

# Quasi-complete separation: the classes meet only at x = 0, where both occur.
x <- rep(-5:5, each = 4)
y <- as.numeric(x > 0)
y[x == 0] <- c(0, 1, 0, 1)
record("c1_logit_quasi_separated", 1,
       "logit, y = 1 for x > 0, 0 for x < 0, both at x = 0: quasi-complete separation",
       cbind(1, x), y, binomial("logit"), "bernoulli", "logit", expect = "separation")

# ============================================================ class 2: dmu/deta underflow
# R clamps eta for probit at +-qnorm(eps) (8.1) and for logit at +-30 inside linkinv and
# floors mu.eta at eps: harmless for a point far out on the side its label is on
# (it adds about eps to the score), wrong for a misclassified one. Each case checks
# that every point beyond the clamp is on the side its label is on, so R's answer is
# the MLE.
check_clamp_harmless <- function(fit, y, limit, name) {
  eta <- fit$linear.predictors
  wrong <- (y == 0 & eta > limit) | (y == 1 & eta < -limit)
  if (any(wrong)) stop(name, ": a misclassified point lies beyond R's clamp")
}

set.seed(201)
n <- 150
x <- runif(n, -40, 40)
y <- rbinom(n, 1, pnorm(0.2 + 0.15 * x))
x <- c(x, 600, 38)   # far out on its own side (eta ~ 54: dnorm underflows to 0) ...
y <- c(y, 1, 0)      # ... and one high-leverage point with the unlikely label
fit <- record("c2_probit_high_leverage", 2,
              "probit, x in [-40, 40] plus x = 600 (y = 1, eta ~ 54: dnorm(eta) = 0) and x = 38 with y = 0",
              cbind(1, x), y, binomial("probit"), "bernoulli", "probit")
check_clamp_harmless(fit, y, -qnorm(.Machine$double.eps), "c2_probit_high_leverage")

set.seed(202)
n <- 150
x <- runif(n, -40, 40)
y <- rbinom(n, 1, 1 - exp(-exp(-0.5 + 0.08 * x)))
x <- c(x, 300, -300, 30)
y <- c(y, 1, 0, 0)
fit <- record("c2_cloglog_high_leverage", 2,
              "cloglog, x in [-40, 40] plus x = 300 (y = 1: mu = 1, dmu/deta = 0), x = -300 (y = 0) and x = 30 with y = 0",
              cbind(1, x), y, binomial("cloglog"), "bernoulli", "cloglog")
mu0 <- fitted(fit)[y == 0]
stopifnot(all(1 - mu0 > 1e-6))   # no y = 0 point where R's clamp at 1 - eps matters

set.seed(203)
n <- 150
x <- rnorm(n)
y <- rbinom(n, 1, plogis(-0.3 + 2 * x))
x <- c(x, 500, -450)   # eta ~ +-1000 at the optimum: exp(-|eta|) underflows
y <- c(y, 1, 0)
fit <- record("c2_logit_eta_past_745", 2,
              "logit, x ~ N(0,1) with slope 2, plus x = 500 (y = 1, eta ~ 790 > 745) and x = -450 (y = 0, eta ~ -710)",
              cbind(1, x), y, binomial("logit"), "bernoulli", "logit")
check_clamp_harmless(fit, y, 30, "c2_logit_eta_past_745")

# ============================================================ class 3: conditioning
# The raw polynomial cases are ill-conditioned: their coefficients are sensitive to
# rounding whoever computes them. "coef_spread" is the largest relative difference
# between R's raw fit and the same MLE computed from a well-conditioned
# parametrisation (centred, or orthogonal polynomials) and mapped back: a measure of
# how many digits of the raw coefficients double precision can be trusted with.
coef_spread <- function(fit_raw, X, fit_other, X_other) {
  # beta_raw solves X beta = X_other beta_other (exactly, as both span the same space)
  eta_other <- X_other %*% coef(fit_other)
  back <- qr.coef(qr(X), eta_other)
  max(abs(back - coef(fit_raw)) / pmax(abs(coef(fit_raw)), 1e-300))
}

quiet_glm <- function(...) suppressWarnings(glm(...))

set.seed(301)
year <- 1950:2020
t <- (year - 1985) / 35
y <- rpois(length(year), exp(3 + 0.8 * t - 0.6 * t^2))
X2 <- cbind(1, year, year^2)
record("c3_poisson_year_quadratic", 3,
       "Poisson, log link, 1 + year + year^2 with year = 1950:2020 raw (not centred)",
       X2, y, poisson(), "poisson", "log",
       extra = list(coef_spread = scalar(coef_spread(
         quiet_glm(y ~ 0 + X2, family = poisson, control = tight), X2,
         quiet_glm(y ~ t + I(t^2), family = poisson, control = tight), cbind(1, t, t^2)))))

# The cubic's raw coefficients jitter by ~3e-11 (relative) from one IRLS iteration to
# the next, so R's deviance test at epsilon = 1e-14 never passes (200 iterations,
# "did not converge"); at epsilon = 1e-11 R stops after 5 iterations on the same
# fixed point.
set.seed(302)
y <- rpois(length(year), exp(3 + 0.8 * t - 0.6 * t^2 + 0.4 * t^3))
X3 <- cbind(1, year, year^2, year^3)
record("c3_poisson_year_cubic", 3,
       "Poisson, log link, cubic in year = 1950:2020 raw; R fits it (no NA)",
       X3, y, poisson(), "poisson", "log", control = glm.control(epsilon = 1e-11, maxit = 200),
       extra = list(coef_spread = scalar(coef_spread(
         quiet_glm(y ~ 0 + X3, family = poisson, control = tight), X3,
         quiet_glm(y ~ t + I(t^2) + I(t^3), family = poisson, control = tight),
         cbind(1, t, t^2, t^3)))))

set.seed(303)
x <- 0:70
u <- (x - 35) / 35
y <- rpois(length(x), exp(2 + u - 0.8 * u^2 + 0.5 * u^3 + 0.3 * u^4 - 0.2 * u^5 + 0.1 * u^6))
X6 <- outer(x, 0:6, `^`)
fit_o <- quiet_glm(y ~ poly(x, 6), family = poisson, control = tight)
record("c3_poisson_degree6_raw", 3,
       "Poisson, log link, raw polynomial of degree 6 in x = 0:70",
       X6, y, poisson(), "poisson", "log",
       extra = list(coef_spread = scalar(coef_spread(
         quiet_glm(y ~ 0 + X6, family = poisson, control = tight), X6, fit_o,
         model.matrix(fit_o)))))

set.seed(304)
n <- 200
x <- rnorm(n)
z <- rnorm(n)
y <- rpois(n, exp(0.5 + 0.3 * x + 0.2 * z))
Xnear <- cbind(1, x, x + 1e-6 * z)
Xapart <- cbind(1, x, Xnear[, 3] - x)  # the same column space, well conditioned
fit <- record("c3_poisson_columns_1e-6_apart", 3,
              "Poisson, log link, columns x and x + 1e-6 z: nearly collinear but full rank",
              Xnear, y, poisson(), "poisson", "log",
              extra = list(coef_spread = scalar(coef_spread(
                quiet_glm(y ~ 0 + Xnear, family = poisson, control = tight), Xnear,
                quiet_glm(y ~ 0 + Xapart, family = poisson, control = tight), Xapart))))
stopifnot(!anyNA(coef(fit)))

# Exactly aliased: column 2 = 2 * column 1 - 1 (R's default tolerance finds it; the
# tight control would shrink qr's tolerance to 1e-17 and hide it).
set.seed(305)
n <- 50
x1 <- runif(n)
x3 <- rnorm(n)
y <- rpois(n, exp(1 + x1 + 0.5 * x3))
fit <- record("c3_poisson_aliased", 3,
              "Poisson, X = [1, x1, 2*x1 - 1, x3]: column 2 is exactly aliased (R: NA)",
              cbind(1, x1, 2 * x1 - 1, x3), y, poisson(), "poisson", "log",
              control = glm.control(maxit = 200), expect = "aliased")
stopifnot(identical(unname(which(is.na(coef(fit)))), 3L))

set.seed(306)
n <- 5
X <- cbind(1, matrix(rnorm(n * 7), n, 7))
y <- rpois(n, 3)
fit <- record("c3_poisson_p_gt_n", 3,
              "Poisson, 5 rows and 8 columns: p > n (R: NA for 3 columns)",
              X, y, poisson(), "poisson", "log",
              control = glm.control(maxit = 200), expect = "p_gt_n")

# ============================================================ class 4: zero weights
set.seed(401)
n <- 60
x <- rnorm(n)
d <- c(rep(0, 50), rep(1, 10))
y <- rpois(n, exp(1 + 0.4 * x + 0.5 * d))
w <- c(runif(50, 0.5, 2), rep(0, 10))
fit <- record("c4_zero_weights_empty_column", 4,
              "Poisson, X = [1, x, d] with d = 1 only on rows 51-60, whose weights are 0 (R: NA for d)",
              cbind(1, x, d), y, poisson(), "poisson", "log", weights = w,
              control = glm.control(maxit = 200), expect = "aliased")
stopifnot(identical(unname(which(is.na(coef(fit)))), 3L))

set.seed(402)
n <- 80
x <- rnorm(n)
d <- rep(0:1, each = 40)
y <- rpois(n, exp(1 + 0.4 * x + 0.5 * d))
w <- sample(c(0, 0.5, 1, 2), n, replace = TRUE, prob = c(0.2, 0.3, 0.3, 0.2))
record("c4_zero_weights_ok", 4,
       "Poisson, weights in {0, 0.5, 1, 2} (16 zeros); every column keeps data. df counts positive weights",
       cbind(1, x, d), y, poisson(), "poisson", "log", weights = w)

# ============================================================ class 5: cancellation
# Poisson deviance with counts near 1e9 and 1e12: R's dev.resids forms
# y*log(y/mu) - (y - mu), whose log(y/mu) carries an absolute rounding error of
# about 1e-16, i.e. y*1e-16 after multiplying by y: 1e-7 relative at 1e9, 1e-4 at 1e12.
# "deviance_stable" is 2*sum(w*(dpois(y, y, log) - dpois(y, mu, log))): dpois uses
# Loader's bd0 and stirlerr, accurate to a few ulps. R's logLik uses dpois and is
# accurate. (The coefficients are unaffected: IRLS's fixed point is X'(y - mu) = 0.)
# At 1e12 R's iterates reach the fixed point by iteration 5 (the coefficients then
# agree to 1e-15 and score_relative is ~1e-16), but its deviance test compares
# deviances that carry 1e-5 relative noise, so R reports converged = FALSE after 200
# iterations: that flag and warning are an artefact of R's deviance, not of the fit.
poisson_stable_deviance <- function(fit) {
  y <- fit$y
  mu <- fitted(fit)
  list(deviance_stable = scalar(2 * sum(fit$prior.weights *
                                          (dpois(y, y, log = TRUE) - dpois(y, mu, log = TRUE)))))
}
for (level in c(9, 12)) {
  set.seed(500 + level)
  n <- 50
  x <- runif(n, -1, 1)
  y <- rpois(n, 10^level * exp(0.1 * x))
  record(sprintf("c5_poisson_counts_1e%d", level), 5,
         sprintf("Poisson, log link, counts near 1e%d: the deviance needs a cancellation-free form", level),
         cbind(1, x), y, poisson(), "poisson", "log", extra = poisson_stable_deviance)
}

# Gamma at small dispersion: y = mu * exp(s * e), e ~ N(0, 1), so phi ~ s^2. R's
# deviance forms log(y/mu) - (y - mu)/mu, whose terms are ~ s^2/2 with an absolute
# rounding error ~ 1e-16: 1e-6 relative at s = 1e-5, useless at s = 1e-10.
# "deviance_stable" sums 2*(r - log1p(r)), r = (y - mu)/mu, by its series;
# "loglik_stable" is sum(dgamma(y, 1/phi, scale = mu*phi, log = TRUE)) at
# phi = deviance_stable/n, R's logLik convention, evaluated at an accurate phi
# (at s = 1e-10 R's own deviance is negative, so its logLik and AIC are NaN: null).
# "aic_stable" is -2*loglik_stable + 2*(coefficients + 1).
gamma_stable <- function(fit) {
  mu <- fitted(fit)
  w <- fit$prior.weights
  deviance <- sum(2 * w * r_minus_log1p((fit$y - mu) / mu))
  phi <- deviance / sum(w)
  loglik <- sum(w * dgamma(fit$y, 1 / phi, scale = mu * phi, log = TRUE))
  list(deviance_stable = scalar(deviance), loglik_stable = scalar(loglik),
       aic_stable = scalar(-2 * loglik + 2 * attr(logLik(fit), "df")))
}
for (s in c(1e-5, 1e-10)) {
  set.seed(if (s > 1e-7) 511 else 512)
  n <- 60
  x <- runif(n, 0, 2)
  y <- exp(1 + 0.5 * x) * exp(s * rnorm(n))
  record(sprintf("c5_gamma_dispersion_%s", if (s > 1e-7) "1e-10" else "1e-20"), 5,
         sprintf("Gamma, log link, y = mu*exp(%g*e): dispersion about %g", s, s^2),
         cbind(1, x), y, Gamma("log"), "gamma", "log", extra = gamma_stable)
}

# Negative binomial: MASS's aic term (y + theta)*log(mu + theta) - theta*log(theta) +
# lgamma(theta) - lgamma(theta + y) + ... cancels terms of size ~1e9 when theta = 1e8;
# "loglik_stable" is sum(dnbinom(y, size = theta, mu, log)) (Loader's algorithm) and
# "loglik_poisson" is sum(dpois(y, mu, log)) at the same mu, which the NB
# log-likelihood tends to as alpha = 1/theta -> 0. "deviance_stable" uses log1p for
# (y + theta)*log((y + theta)/(mu + theta)); "aic_stable" = -2*loglik_stable + 2*p.
negbin_stable <- function(theta) {
  function(fit) {
    y <- fit$y
    mu <- fitted(fit)
    w <- fit$prior.weights
    list(deviance_stable = scalar(2 * sum(w * (ifelse(y > 0, y * log(y / mu), 0) -
                                                 (y + theta) * log1p((y - mu) / (mu + theta))))),
         loglik_stable = scalar(loglik <- sum(w * dnbinom(y, size = theta, mu = mu, log = TRUE))),
         aic_stable = scalar(-2 * loglik + 2 * attr(logLik(fit), "df")),
         loglik_poisson = scalar(sum(w * dpois(y, mu, log = TRUE))))
  }
}
set.seed(521)
n <- 100
x <- runif(n, -1, 1)
y <- rpois(n, exp(2 + 0.5 * x))
record("c5_negbin_theta_1e8", 5,
       "negative binomial, log link, theta = 1e8 (alpha = 1e-8) on Poisson data",
       cbind(1, x), y, negative.binomial(1e8), "negative_binomial", "log", alpha = 1e-8,
       extra = negbin_stable(1e8))

# ============================================================ class 6: links R allows
set.seed(601)
n <- 100
x <- runif(n, 0, 2)
y <- exp(1 + 0.5 * x) + rnorm(n, 0, 0.3)
stopifnot(all(y > 0))
record("c6_gaussian_log", 6, "gaussian(link = 'log'), y = exp(1 + 0.5 x) + N(0, 0.3^2)",
       cbind(1, x), y, gaussian("log"), "normal", "log")

set.seed(602)
x <- runif(n, 0, 3)
y <- 1 / (0.5 + 0.3 * x) + rnorm(n, 0, 0.05)
stopifnot(all(y > 0))
record("c6_gaussian_inverse", 6, "gaussian(link = 'inverse'), y = 1/(0.5 + 0.3 x) + N(0, 0.05^2)",
       cbind(1, x), y, gaussian("inverse"), "normal", "inverse")

set.seed(603)
x <- runif(n, 0, 5)
y <- rgamma(n, shape = 5, scale = (2 + 1.5 * x) / 5)
record("c6_gamma_identity", 6, "Gamma(link = 'identity'), mu = 2 + 1.5 x, shape 5",
       cbind(1, x), y, Gamma("identity"), "gamma", "identity")

set.seed(604)
x <- runif(n, 0, 3)
y <- rpois(n, (2 + 0.8 * x)^2)
record("c6_poisson_sqrt", 6, "poisson(link = 'sqrt'), mu = (2 + 0.8 x)^2",
       cbind(1, x), y, poisson("sqrt"), "poisson", "sqrt")

set.seed(605)
x <- runif(n, 0, 3)
trials <- sample(5:20, n, replace = TRUE)
y <- rbinom(n, trials, exp(-2 + 0.5 * x))
record("c6_binomial_log", 6,
       "binomial(link = 'log') with trials 5..20, p = exp(-2 + 0.5 x) <= 0.61 (R started at (-2, 0.5))",
       cbind(1, x), y, binomial("log"), "binomial", "log", trials = trials,
       start = c(-2, 0.5))

# ============================================================ class 7: gradient ascent
# Nothing special on R's side: the IRLS optimum that gradient ascent must approach
# (or refuse to start from), for a Bernoulli log link and a Binomial identity link.
set.seed(701)
n <- 200
x <- runif(n, -2, 2)
y <- rbinom(n, 1, exp(-1.5 + 0.4 * x))
record("c7_bernoulli_log", 7,
       "binomial(link = 'log'), Bernoulli y, p = exp(-1.5 + 0.4 x) <= 0.5 (R started at (-1.5, 0.4))",
       cbind(1, x), y, binomial("log"), "bernoulli", "log", start = c(-1.5, 0.4))

set.seed(702)
x <- runif(n, 0, 4)
trials <- sample(3:12, n, replace = TRUE)
y <- rbinom(n, trials, 0.2 + 0.1 * x)
record("c7_binomial_identity", 7,
       "binomial(link = 'identity'), trials 3..12, p = 0.2 + 0.1 x in [0.2, 0.6] (R started at (0.2, 0.1))",
       cbind(1, x), y, binomial("identity"), "binomial", "identity", trials = trials,
       start = c(0.2, 0.1))

# ============================================================ class 8: means at the edge
set.seed(801)
group <- rep(1:3, each = 20)
y <- rpois(60, c(4, 7, 0)[group])
stopifnot(all(y[group == 3] == 0))
record("c8_poisson_zero_group", 8,
       "Poisson, three groups (dummies for 2 and 3); every count in group 3 is 0",
       cbind(1, group == 2, group == 3), y, poisson(), "poisson", "log", expect = "edge")

set.seed(802)
x <- runif(40)
record("c8_poisson_all_zero", 8, "Poisson, y all zero, X = [1, x]",
       cbind(1, x), rep(0, 40), poisson(), "poisson", "log", expect = "edge")

# ============================================================ ordinary fits
set.seed(901)
n <- 150
x <- rnorm(n)
exposure <- runif(n, 0.5, 5)
w <- runif(n, 0.5, 2)
y <- rpois(n, exposure * exp(0.3 + 0.5 * x))
record("ordinary_poisson_offset_weights", 0,
       "Poisson, log link, offset log(exposure), prior weights in [0.5, 2]",
       cbind(1, x), y, poisson(), "poisson", "log", weights = w, offset = log(exposure))

set.seed(902)
x <- rnorm(n)
trials <- sample(1:30, n, replace = TRUE)
y <- rbinom(n, trials, plogis(-0.4 + 0.9 * x))
record("ordinary_binomial_trials", 0, "binomial(logit) with trials 1..30",
       cbind(1, x), y, binomial(), "binomial", "logit", trials = trials)

set.seed(903)
x1 <- runif(n, 0, 2)
x2 <- rnorm(n)
y <- rgamma(n, shape = 3, scale = exp(0.5 + 0.4 * x1 - 0.3 * x2) / 3)
record("ordinary_gamma_log", 0, "Gamma, log link, two predictors, shape 3",
       cbind(1, x1, x2), y, Gamma("log"), "gamma", "log")

set.seed(904)
x <- rnorm(n)
y <- rnbinom(n, size = 2, mu = exp(1 + 0.6 * x))
record("ordinary_negbin_log", 0, "negative binomial, log link, theta = 2 (alpha = 0.5)",
       cbind(1, x), y, negative.binomial(2), "negative_binomial", "log", alpha = 0.5,
       extra = negbin_stable(2))

set.seed(905)
x <- rnorm(n)
w <- runif(n, 0.5, 3)
y <- 1 + 2 * x + rnorm(n, 0, 1 / sqrt(w))
record("ordinary_normal_weights", 0, "gaussian, identity link, prior weights in [0.5, 3]",
       cbind(1, x), y, gaussian(), "normal", "identity", weights = w)
