# Oracle numbers for glmlesson.fit_ordinal: cumulative link models fitted by MASS::polr.
#
# Run from the repository root:   Rscript tests/reference/polr.R
# Needs R with MASS and jsonlite (Debian: apt-get install r-base-core r-cran-mass
# r-cran-jsonlite). Writes tests/fixtures/r_models/polr.json, which holds for every
# model the data as fitted (X without intercept, y coded 0..K-1, frequency weights)
# and polr's estimates: coef (beta), zeta (the thresholds theta), vcov (from the
# Hessian polr returns with Hess = TRUE; beta first, then zeta) and logLik.
# polr's model is logit P(y <= j | x) = zeta_j - x'beta, the convention fit_ordinal
# follows. optim runs with reltol = 1e-14 so the fixture holds the maximum itself.
suppressPackageStartupMessages({
  library(MASS)
  library(jsonlite)
})

tight <- list(reltol = 1e-14, maxit = 10000)

record <- function(model, X, y, weights, description) {
  list(
    description = description,
    link = switch(model$method, logistic = "logit", probit = "probit",
                  cloglog = "cloglog"),
    X = unname(X),
    columns = colnames(X),
    y = as.integer(y) - 1L,
    weights = as.numeric(weights),
    coef = unname(coef(model)),
    thresholds = unname(model$zeta),
    vcov = unname(vcov(model)),
    loglik = as.numeric(logLik(model))
  )
}

models <- list()

# Copenhagen housing satisfaction (the course's data/housing.csv), with the number of
# households in each cell as frequency weights: the classic example of ?polr.
housing <- read.csv("data/housing.csv")
housing$satisfaction <- factor(housing$satisfaction, levels = c("low", "medium", "high"),
                               ordered = TRUE)
housing$influence <- factor(housing$influence, levels = c("low", "medium", "high"))
housing$housing_type <- factor(housing$housing_type,
                               levels = c("tower", "apartment", "atrium", "terrace"))
housing$contact <- factor(housing$contact, levels = c("low", "high"))
X <- model.matrix(~ influence + housing_type + contact, housing)[, -1]
for (method in c("logistic", "probit", "cloglog")) {
  m <- polr(satisfaction ~ influence + housing_type + contact, data = housing,
            weights = households, Hess = TRUE, method = method, control = tight)
  models[[paste0("housing_", method)]] <- record(
    m, X, housing$satisfaction, housing$households,
    "housing.csv: satisfaction ~ influence + housing_type + contact, weights = households")
}

# Simulated, unweighted: four ordered categories, two continuous covariates.
set.seed(20261204)
n <- 300
x1 <- rnorm(n)
x2 <- runif(n)
latent <- 0.8 * x1 - 1.5 * x2 + rlogis(n)
y <- cut(latent, c(-Inf, -1.5, -0.2, 1, Inf), ordered_result = TRUE)
sim <- data.frame(y = y, x1 = x1, x2 = x2)
X <- model.matrix(~ x1 + x2, sim)[, -1]
for (method in c("logistic", "probit")) {
  m <- polr(y ~ x1 + x2, data = sim, Hess = TRUE, method = method, control = tight)
  models[[paste0("simulated_", method)]] <- record(
    m, X, y, rep(1, n), "simulated (set.seed(20261204)): y ~ x1 + x2, 4 categories")
}

out <- list(
  generated_by = "tests/reference/polr.R",
  r_version = R.version.string,
  mass_version = as.character(packageVersion("MASS")),
  models = models
)
write(toJSON(out, digits = I(15), auto_unbox = TRUE),
      "tests/fixtures/r_models/polr.json")
