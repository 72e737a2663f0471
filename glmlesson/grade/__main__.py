"""``python -m glmlesson.grade SUBMISSIONS --out OUT``: see :mod:`glmlesson.grade`."""

import sys

try:
    from glmlesson.grade import main
except ImportError as error:  # nbclient / ipykernel come with JupyterLab
    sys.exit(f"python -m glmlesson.grade needs nbclient and ipykernel ({error}); install "
             "them with JupyterLab: pip install 'glmlesson[lab]' (or make lab)")

sys.exit(main())
