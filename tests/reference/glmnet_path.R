# R glmnet lasso paths for glmlesson.penalty_path (issue 14, lesson 12).
#
# Regenerate the JSON fixtures from the repository root with
#
#     Rscript tests/reference/glmnet_path.R
#
# (R >= 4.0 with glmnet >= 4; on Debian/Ubuntu `apt-get install r-cran-glmnet`).
# The output is deterministic: a second run rewrites identical files. CI does not
# run R: tests/test_penalized.py reads the committed JSON in tests/fixtures/r_glmnet/.
#
# Each case builds its data here from its own set.seed and writes X (without the
# intercept column), y, glmnet's lambda sequence, the coefficients along the path
# (intercept first, one row per lambda) and glmnet's deviance at each lambda, all at
# 17 significant digits. glmnet is run with standardize = FALSE (the penalty acts on
# the columns as given, as in glmlesson), intercept = TRUE (not penalised),
# thresh = 1e-24 and its own lambda sequence. glmnet's thresh bounds the change of
# the OBJECTIVE per coordinate update (relative to the null deviance; default 1e-7), so
# the coefficients are only about sqrt(thresh) accurate: with thresh = 1e-14 the
# Gaussian path still violated its optimality conditions by 7e-8 and differed from an
# exact solution by 1.3e-7; with 1e-24 glmnet and glmlesson agree to 2e-12.
# lambda[1] is glmnet's lambda_max, the
# smallest penalty at which every slope is 0. glmnet's objective is
# (1/(2n)) * deviance + lambda * sum |beta_j| for alpha = 1, the one glmlesson uses.

suppressPackageStartupMessages(library(glmnet))

out_dir <- file.path("tests", "fixtures", "r_glmnet")
if (!dir.exists(file.path("tests", "reference"))) {
  stop("run this script from the repository root: Rscript tests/reference/glmnet_path.R")
}
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

number <- function(v) sprintf("%.17g", v)
vector_json <- function(v) paste0("[", paste(number(v), collapse = ", "), "]")
matrix_json <- function(m) {
  paste0("[\n    ", paste(apply(m, 1, vector_json), collapse = ",\n    "), "\n  ]")
}

write_case <- function(name, family, X, y, nlambda) {
  fit <- glmnet(X, y, family = family, alpha = 1, standardize = FALSE, intercept = TRUE,
                thresh = 1e-24, maxit = 1e7, nlambda = nlambda)
  coefs <- t(as.matrix(coef(fit)))  # one row per lambda: intercept, then the slopes
  fields <- c(
    sprintf('  "name": "%s"', name),
    sprintf('  "family": "%s"', family),
    sprintf('  "glmnet_version": "%s"', as.character(packageVersion("glmnet"))),
    sprintf('  "X": %s', matrix_json(X)),
    sprintf('  "y": %s', vector_json(y)),
    sprintf('  "lambda": %s', vector_json(fit$lambda)),
    sprintf('  "coefs": %s', matrix_json(coefs)),
    sprintf('  "deviance": %s', vector_json(deviance(fit)))
  )
  writeLines(c("{", paste(fields, collapse = ",\n"), "}"),
             file.path(out_dir, paste0(name, ".json")))
}

# Gaussian: 80 rows, 6 correlated features (pairwise correlation 0.5), three of them
# without effect, so the lasso drops and re-admits columns along the path.
set.seed(20141)
n <- 80
common <- rnorm(n)
X <- sapply(1:6, function(j) (rnorm(n) + common) / sqrt(2))
y <- 1 + X %*% c(1.5, -1, 0, 0.5, 0, 0) + rnorm(n)
write_case("gaussian_lasso", "gaussian", X, as.numeric(y), nlambda = 40)

# Binomial: 150 rows, 5 features on different scales, overlapping classes.
set.seed(20142)
n <- 150
X <- cbind(rnorm(n), rnorm(n, sd = 2), runif(n), rnorm(n), rbinom(n, 1, 0.4))
eta <- -0.3 + X %*% c(1, -0.4, 0, 0.8, 0)
y <- rbinom(n, 1, 1 / (1 + exp(-eta)))
write_case("binomial_lasso", "binomial", X, as.numeric(y), nlambda = 40)
