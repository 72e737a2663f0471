# Oracle numbers for glmlesson.fit_glmm: random-intercept GLMMs fitted by lme4::glmer.
#
# Run from the repository root:   Rscript tests/reference/lme4_glmer.R
# Needs R with lme4 and jsonlite (Debian: apt-get install r-base-core r-cran-lme4
# r-cran-jsonlite). Writes tests/fixtures/r_models/lme4_glmer.json, which holds for
# every model the data as fitted (X, y, trials, group labels) and lme4's estimates:
# fixef, vcov (lme4's default: from the finite-difference Hessian of the deviance in
# (theta, beta)), sigma = theta (SD of the random intercept), logLik and the
# conditional modes ranef. tests/test_glmm.py compares fit_glmm with these numbers.
#
# The fits run with tight tolerances so the fixture holds the maximum of lme4's
# approximate likelihood rather than where its default stopping rules end: bobyqa's
# rhoend = 1e-10, and tolPwrss = 1e-12 for the inner PIRLS search of the conditional
# modes (with the default 1e-7 the Laplace fits of the Poisson and Binomial examples
# stop about 5e-4 short in the coefficients and 3e-4 in the log-likelihood).
suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

tight <- glmerControl(optimizer = "bobyqa", tolPwrss = 1e-12,
                      optCtrl = list(rhoend = 1e-10, maxfun = 1e5))

record <- function(model, X, y, groups, trials, family, n_agq, description) {
  list(
    description = description,
    family = family,
    n_quadrature = n_agq,
    X = unname(X),
    columns = colnames(X),
    y = as.numeric(y),
    trials = as.numeric(trials),
    groups = as.character(groups),
    coef = unname(fixef(model)),
    vcov = unname(as.matrix(vcov(model))),
    sigma = unname(getME(model, "theta")),
    loglik = as.numeric(logLik(model)),
    ranef_levels = rownames(ranef(model)[[1]]),
    ranef = unname(ranef(model)[[1]][, 1])
  )
}

models <- list()

# Poisson: epileptic seizure counts per two-week period, one intercept per patient
# (Thall & Vail 1990; the course's data/epilepsy.csv).
epi <- read.csv("data/epilepsy.csv")
epi$log_baseline <- log(epi$baseline_seizures / 4)
epi$progabide <- as.numeric(epi$treatment == "progabide")
epi$log_age <- log(epi$age_years)
epi$visit4 <- as.numeric(epi$period == 4)
X <- model.matrix(~ log_baseline + progabide + log_age + visit4, epi)
for (n_agq in c(1, 10)) {
  m <- glmer(seizures ~ log_baseline + progabide + log_age + visit4 + (1 | patient),
             data = epi, family = poisson, nAGQ = n_agq, control = tight)
  models[[paste0("poisson_nagq", n_agq)]] <- record(
    m, X, epi$seizures, epi$patient, rep(1, nrow(epi)), "poisson", n_agq,
    "epilepsy.csv: seizures ~ log(baseline/4) + progabide + log(age) + visit4 + (1|patient)")
}

# Bernoulli: simulated, 40 clusters of 8, sigma = 1.2.
set.seed(20261204)
n_group <- 40
size <- 8
cluster <- rep(seq_len(n_group), each = size)
x <- rnorm(n_group * size)
b <- rnorm(n_group, sd = 1.2)
p <- plogis(-0.5 + 1.0 * x + b[cluster])
yb <- rbinom(n_group * size, 1, p)
sim <- data.frame(y = yb, x = x, cluster = cluster)
X <- model.matrix(~ x, sim)
for (n_agq in c(1, 25)) {
  m <- glmer(y ~ x + (1 | cluster), data = sim, family = binomial, nAGQ = n_agq,
             control = tight)
  models[[paste0("bernoulli_nagq", n_agq)]] <- record(
    m, X, yb, cluster, rep(1, nrow(sim)), "bernoulli", n_agq,
    "simulated (set.seed(20261204)): y ~ x + (1|cluster), 40 clusters of 8")
}
# The same data with a probit link: not canonical, so the Fisher weights lme4 puts in
# the Laplace approximation differ from the observed information.
m <- glmer(y ~ x + (1 | cluster), data = sim, family = binomial(link = "probit"),
           nAGQ = 1, control = tight)
models[["bernoulli_probit_nagq1"]] <- record(
  m, X, yb, cluster, rep(1, nrow(sim)), "bernoulli", 1,
  "simulated (set.seed(20261204)): y ~ x + (1|cluster), probit link")
models[["bernoulli_probit_nagq1"]]$link <- "probit"

# Binomial(trials): new CBPP cases out of herd size per period (lme4's cbpp; the
# course's data/cbpp.csv).
cb <- read.csv("data/cbpp.csv")
cb$period <- factor(cb$period)
X <- model.matrix(~ period, cb)
for (n_agq in c(1, 25)) {
  m <- glmer(cbind(new_cases, herd_size - new_cases) ~ period + (1 | herd),
             data = cb, family = binomial, nAGQ = n_agq, control = tight)
  models[[paste0("binomial_nagq", n_agq)]] <- record(
    m, X, cb$new_cases, cb$herd, cb$herd_size, "binomial", n_agq,
    "cbpp.csv: cbind(new_cases, herd_size - new_cases) ~ period + (1|herd)")
}

out <- list(
  generated_by = "tests/reference/lme4_glmer.R",
  r_version = R.version.string,
  lme4_version = as.character(packageVersion("lme4")),
  models = models
)
write(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE),
      "tests/fixtures/r_models/lme4_glmer.json")
