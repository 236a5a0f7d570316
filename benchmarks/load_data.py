"""What the load and profiling tools send: simulated new applicants, as the API takes them."""

from __future__ import annotations

from typing import Any

from credit_app.ml import simulation
from credit_app.services.values import json_records


def new_applicants(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` synthetic applicants as JSON objects (missing fields left out), each with an
    SK_ID_CURR of the seed's own range, above every real and demo id, as
    `credit-app simulate-traffic` sends them."""
    simulated = simulation.simulated_applicants(count, seed, first_id=simulation.run_first_id(seed))
    return json_records(simulated.applicants)
