"""Locust load of the REST API, mixed like a lender's origination traffic.

Two kinds of users, both sending their next request as soon as the last one is answered
(closed loop, as `wrk` measures):
  - OriginationSystem (4 of 5 users): the loan-origination system, with an officer API key.
    New applicants scored one by one, known clients (applicants this run has scored) scored
    again by id, now and then a small batch (a branch's morning file).
  - CreditOfficer (1 of 5): a person who signs in with the OAuth2 password flow
    (`POST /api/v1/auth/token`), then scores known clients with their explanation, and
    signs in again one time in ten (bcrypt makes sign-in the heaviest call by far).
Each request is checked (a decision, an explanation, a whole batch, a token), so a wrong
answer counts as a failure of its task, not only a 4xx or 5xx.

Credentials come from the environment: LOAD_API_KEY (officer or admin role), LOAD_USERNAME
and LOAD_PASSWORD (an officer's account); LOAD_SEED picks the simulated applicants (default:
random). `make load` sets them all; by hand:
  LOAD_API_KEY=... LOAD_USERNAME=officer LOAD_PASSWORD=... .venv/bin/locust \
    -f benchmarks/locustfile.py --host http://127.0.0.1:3000 --headless -u 32 -t 60s --csv out
"""

from __future__ import annotations

import os
import random
import secrets
import sys
from typing import Any
from urllib.parse import urlencode

import gevent
from load_data import new_applicants  # (benchmarks/, the locustfile's folder)
from locust import FastHttpUser, constant, events, task
from locust.contrib.fasthttp import ResponseContextManager
from locust.stats import CSV_STATS_INTERVAL_SEC

API = "/api/v1"
APPLICANTS = 1_000  # new applicants to draw from, made once at the start
BATCH_ROWS = 20
TIMEOUT_SECONDS = 30.0

_missing = [v for v in ("LOAD_API_KEY", "LOAD_USERNAME", "LOAD_PASSWORD") if not os.getenv(v)]
if _missing:
    sys.exit(f"locustfile: set {', '.join(_missing)} (see the docstring of {__file__})")
API_KEY = os.environ["LOAD_API_KEY"]
USERNAME = os.environ["LOAD_USERNAME"]
PASSWORD = os.environ["LOAD_PASSWORD"]


class Pool:
    """What the users draw from: the run's new applicants, and the ids of those it has
    scored, the known clients to score again. Existing clients are left alone (the demo's,
    and the browser tests', which count their clients' decisions)."""

    applicants = new_applicants(APPLICANTS, int(os.getenv("LOAD_SEED") or secrets.randbelow(1000)))
    scored_ids: list[int] = []
    _scored: set[int] = set()

    @classmethod
    def scored(cls, sk_id: int) -> None:
        if sk_id not in cls._scored:
            cls._scored.add(sk_id)
            cls.scored_ids.append(sk_id)


# Importing pandas and making the applicants (seconds on a busy machine) ran before gevent's
# loop, whose cached clock is then that far behind: --run-time, timed from it, ended a 15 s
# run after 10 s. Bring the clock up to date.
gevent.get_hub().loop.update_now()


@events.test_stop.add_listener
def _last_csv_write(**_: object) -> None:
    """Locust writes its CSV files every second, and not again when it quits: wait for one
    more write after the users have stopped, so that the files hold the final figures."""
    gevent.sleep(CSV_STATS_INTERVAL_SEC + 0.5)


def _answer(response: ResponseContextManager, *fields: str) -> dict[str, Any] | None:
    """The JSON answer when it is a 200 carrying every field (non-empty), else a failure."""
    if response.status_code != 200:
        response.failure(f"{response.status_code}: {(response.text or '')[:300]}")
        return None
    body = response.json()
    missing = [field for field in fields if not body.get(field)]
    if missing:
        response.failure(f"the answer has no {', '.join(missing)}")
        return None
    response.success()
    return body


DECISION = ("prediction_id", "decision", "model_version")  # in every score's answer
EXPLANATION = ("contributions", "reasons")


def _score_known_client(user: FastHttpUser, headers: dict[str, str], *, explain: bool) -> None:
    """POST /clients/{id}/score of one of the run's scored applicants, checked."""
    query = "?explain=true" if explain else ""
    with user.client.post(
        f"{API}/clients/{random.choice(Pool.scored_ids)}/score{query}",
        headers=headers,
        name=f"{API}/clients/[id]/score{query}",
        catch_response=True,
    ) as response:
        _answer(response, *DECISION, *(EXPLANATION if explain else ()))


class OriginationSystem(FastHttpUser):
    weight = 4
    wait_time = constant(0)
    network_timeout = connection_timeout = TIMEOUT_SECONDS

    def on_start(self) -> None:
        self.headers = {"X-API-Key": API_KEY}

    @task(6)
    def score_new_applicant(self) -> None:
        applicant = random.choice(Pool.applicants)
        with self.client.post(
            f"{API}/score", json=applicant, headers=self.headers, catch_response=True
        ) as response:
            if _answer(response, *DECISION) is not None:
                Pool.scored(applicant["SK_ID_CURR"])

    @task(3)
    def score_client(self) -> None:
        if not Pool.scored_ids:  # nobody scored yet: the run's first requests
            self.score_new_applicant()
            return
        _score_known_client(self, self.headers, explain=False)

    @task(1)
    def score_batch(self) -> None:
        rows = random.sample(Pool.applicants, BATCH_ROWS)
        with self.client.post(
            f"{API}/score/batch",
            json=rows,
            headers=self.headers,
            name=f"{API}/score/batch [{BATCH_ROWS} rows]",
            catch_response=True,
        ) as response:
            body = _answer(response, "batch_id")
            if body is not None and (body["scored"] != BATCH_ROWS or body["errors"]):
                response.failure(f"{body['scored']} of {BATCH_ROWS} scored: {body['errors']}")


class CreditOfficer(FastHttpUser):
    weight = 1
    wait_time = constant(0)
    network_timeout = connection_timeout = TIMEOUT_SECONDS

    def on_start(self) -> None:
        self.headers: dict[str, str] = {}
        self.sign_in()

    @task(1)
    def sign_in(self) -> None:
        with self.client.post(
            f"{API}/auth/token",
            data=urlencode({"username": USERNAME, "password": PASSWORD}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            catch_response=True,
        ) as response:
            body = _answer(response, "access_token")
            if body is not None:
                self.headers = {"Authorization": f"Bearer {body['access_token']}"}

    @task(9)
    def explain_client(self) -> None:
        if not Pool.scored_ids:  # the systems' first answers come within milliseconds
            gevent.sleep(0.05)
            return
        _score_known_client(self, self.headers, explain=True)
