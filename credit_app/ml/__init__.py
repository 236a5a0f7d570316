"""Pure ML core: Home Credit schema, data, features, training, scoring and explanations."""

from __future__ import annotations

import os

#: OpenMP settings for processes that serve scores (`credit-app serve`, `credit-app score`).
#: By default LightGBM's OpenMP threads keep spinning for a while after each prediction;
#: on a 2-core machine that took a core from whatever ran next (parsing the next CSV was
#: measured 40 % slower right after a batch prediction). PASSIVE lets them sleep at once,
#: at no cost to prediction. Training keeps the default: PASSIVE made it about 35 % slower.
SCORING_ENVIRONMENT = {"OMP_WAIT_POLICY": "PASSIVE"}


def use_scoring_threads(environment: dict[str, str] | os._Environ = os.environ) -> None:
    """Apply SCORING_ENVIRONMENT where unset; it only takes effect before lightgbm is loaded."""
    for name, value in SCORING_ENVIRONMENT.items():
        environment.setdefault(name, value)
