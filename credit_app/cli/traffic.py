"""`credit-app simulate-traffic`: simulated applicants scored through the real API, and
their outcomes recorded after a delay, so that monitoring has traffic to watch.

It goes through HTTP like any caller (keys, validation, the prediction log, the served
app's workers) rather than into the services, so that it measures and exercises what
production runs. Applicants come from `ml.simulation`, each run with ids of its own derived
from its seed (see `simulation.run_first_id`); the outcomes are drawn from the generator's
true risk, not from the model's score.

Heavy modules (pandas, httpx) are imported inside the handler, as in `cli/demo.py`."""

from __future__ import annotations

import argparse
import secrets
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from credit_app.cli.common import CommandError

if TYPE_CHECKING:
    import httpx

SCORE_PATH = "/api/v1/score"
OUTCOMES_PATH = "/api/v1/outcomes"
PREDICTIONS_PATH = "/api/v1/predictions"
HEALTH_PATH = "/api/v1/health"
#: Applicants are generated up front: 100,000 take a few seconds and under a gigabyte.
MAX_REQUESTS = 100_000
OUTCOMES_PER_REQUEST = 1_000  # the API takes up to 10,000 a request
TIMEOUT_SECONDS = 30.0
MAX_CONCURRENCY = 32
PROGRESS_STEPS = 10  # a progress line every tenth of the run

#: `simulation.run_first_id` in words (the help cannot import it: pandas would load with it).
ID_RANGE_TEXT = "1,000,000,000 + (seed mod 1000) x 1,000,000"
#: What `--outcomes-api-key` must be allowed, said where a key is refused.
OUTCOMES_ROLE_TEXT = "recording outcomes needs an analyst or admin key"
SCORING_ROLE_TEXT = "scoring needs an officer or admin key"


def register(commands: argparse._SubParsersAction) -> None:
    simulate = commands.add_parser(
        "simulate-traffic",
        help="send simulated applicants through the API (and, with --outcomes, their outcomes)",
        description="Score simulated applicants through POST /api/v1/score of a running app, "
        "a few at a time, and report the answers. Each applicant's SK_ID_CURR is unique to "
        f"the run: {ID_RANGE_TEXT} upwards, above every Home Credit and demo id, so two runs "
        "share ids only if their seeds are equal modulo 1000. Exit status 2 when the app or "
        "the key is refused at the start, 1 when some requests got no answer, else 0 (the "
        "summary counts 4xx and 5xx answers by status).",
    )
    simulate.add_argument("--url", required=True, help="the app, e.g. http://localhost:3000")
    simulate.add_argument("--api-key", required=True, metavar="KEY", help=SCORING_ROLE_TEXT)
    simulate.add_argument(
        "--requests",
        required=True,
        type=int,
        metavar="N",
        help=f"applicants to send, at most {MAX_REQUESTS:,}",
    )
    simulate.add_argument(
        "--drift",
        action="append",
        default=[],
        metavar="FEATURE=FACTOR",
        help="multiply a numeric application column's values, e.g. AMT_CREDIT=1.3 (repeatable)",
    )
    simulate.add_argument(
        "--outcomes",
        action="store_true",
        help="then record each scored applicant's outcome, drawn from the generator's true "
        "risk, with POST /api/v1/outcomes",
    )
    simulate.add_argument(
        "--outcomes-api-key",
        metavar="KEY",
        help=f"the key for --outcomes (default: --api-key); {OUTCOMES_ROLE_TEXT}",
    )
    simulate.add_argument(
        "--outcome-delay",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="wait this long after scoring before recording outcomes (default 10)",
    )
    simulate.add_argument(
        "--seed", type=int, help="the same seed sends the same applicants (default: random)"
    )
    simulate.add_argument(
        "--concurrency", type=int, default=4, metavar="C", help="connections at once (default 4)"
    )
    simulate.set_defaults(handler=_simulate)


@dataclass
class _Answer:
    """One request's fate: its HTTP status and JSON body, or why it got no answer."""

    status: int | None
    body: Any = None
    failure: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def message(self) -> str:
        """The API's error message (`{"error": {"message": ...}}`), else what there is."""
        if self.failure:
            return self.failure
        error = self.body.get("error") if isinstance(self.body, dict) else None
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        return str(self.body)[:200] if self.body else "no message"


@dataclass
class _Tally:
    """The run so far: answers by status, decisions, and which applicants were scored."""

    statuses: Counter[int] = field(default_factory=Counter)
    unanswered: int = 0
    first_failure: str = ""
    approved: int = 0
    scored: list[int] = field(default_factory=list)  # positions of the scored applicants

    def add(self, position: int, answer: _Answer) -> None:
        if answer.status is None:
            self.unanswered += 1
            self.first_failure = self.first_failure or answer.failure
            return
        self.statuses[answer.status] += 1
        if answer.ok:
            self.scored.append(position)
            self.approved += answer.body.get("decision") == "approve"

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())


class _Api:
    """The app's API over HTTP: one keep-alive connection per worker thread."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._local = threading.local()
        self._clients: list[httpx.Client] = []
        self._lock = threading.Lock()

    def call(self, method: str, path: str, key: str, body: Any = None) -> _Answer:
        """The answer, or a failure text when no answer came (refused connection, timeout)."""
        import httpx

        try:
            headers = {"X-API-Key": key} if key else {}
            response = self._client().request(method, path, json=body, headers=headers)
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            return _Answer(None, failure=f"{type(exc).__name__}: {exc}".rstrip(": "))
        try:
            return _Answer(response.status_code, response.json())
        except ValueError:
            return _Answer(response.status_code, response.text)

    def _client(self) -> httpx.Client:
        import httpx

        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = httpx.Client(base_url=self.base_url, timeout=TIMEOUT_SECONDS)
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()


@contextmanager
def _api(base_url: str) -> Iterator[_Api]:
    api = _Api(base_url)
    try:
        yield api
    finally:
        api.close()


def _simulate(args: argparse.Namespace) -> int:
    from credit_app.ml import simulation
    from credit_app.services.values import json_records

    base_url = _base_url(args.url)
    _check_numbers(args)
    try:
        drift = simulation.parse_drift(args.drift)
    except ValueError as exc:
        raise CommandError(f"--drift: {exc}") from None
    seed = args.seed if args.seed is not None else secrets.randbelow(simulation.RUN_SLOTS)
    first_id = simulation.run_first_id(seed)
    outcomes_key = args.outcomes_api_key or args.api_key
    with _api(base_url) as api:
        _check_app(api)
        simulated = simulation.simulated_applicants(
            args.requests, seed, drift=drift, first_id=first_id
        )
        records = json_records(simulated.applicants)
        if args.outcomes:
            _check_outcomes_key(api, outcomes_key)
        started = time.perf_counter()
        tally = _send(api, args.api_key, records, args.concurrency)
        elapsed = time.perf_counter() - started
        print(_summary(tally, base_url, elapsed, args.concurrency, seed, first_id, drift))
        if args.outcomes and tally.scored:
            if args.outcome_delay > 0:
                print(f"Waiting {args.outcome_delay:g} s before recording outcomes...", flush=True)
                time.sleep(args.outcome_delay)
            drawn = simulation.draw_outcomes(simulated.probability, seed)
            outcomes = [
                (records[position]["SK_ID_CURR"], bool(drawn[position]))
                for position in sorted(tally.scored)
            ]
            _record_outcomes(api, outcomes_key, outcomes)
            expected = float(simulated.probability[tally.scored].mean())
            defaults = sum(defaulted for _, defaulted in outcomes)
            print(
                f"Recorded {len(outcomes)} outcomes with POST {OUTCOMES_PATH}: {defaults} "
                f"defaults ({defaults / len(outcomes):.1%}; the generator's risk says "
                f"{expected:.1%})."
            )
    if tally.unanswered:
        print(
            f"credit-app: {tally.unanswered} requests got no answer, the first: "
            f"{tally.first_failure}",
            file=sys.stderr,
        )
        return 1
    return 0


def _base_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
        raise CommandError(f"--url must start with http:// or https://, not {url!r}")
    return url.rstrip("/")


def _check_numbers(args: argparse.Namespace) -> None:
    if not 1 <= args.requests <= MAX_REQUESTS:
        raise CommandError(f"--requests must be from 1 to {MAX_REQUESTS:,}, not {args.requests}")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise CommandError(
            f"--concurrency must be from 1 to {MAX_CONCURRENCY}, not {args.concurrency}"
        )
    if not args.outcome_delay >= 0:
        raise CommandError(f"--outcome-delay must be 0 or more seconds, not {args.outcome_delay}")


def _refused(what: str, answer: _Answer, role_text: str, base_url: str) -> CommandError:
    """The one line for a call the app did not take: unreachable, key refused, or else."""
    if answer.status is None:
        return CommandError(f"cannot reach {base_url}: {answer.failure}")
    if answer.status in (401, 403):
        return CommandError(
            f"{what}: the API refused the key ({answer.status}: {answer.message()}); {role_text}"
        )
    return CommandError(f"{what}: the API answered {answer.status}: {answer.message()}")


def _check_app(api: _Api) -> None:
    """Before generating anything: is the app there (its health route answers)?"""
    answer = api.call("GET", HEALTH_PATH, "")
    if not answer.ok:
        raise _refused(f"GET {HEALTH_PATH}", answer, "is --url the credit app?", api.base_url)


def _check_outcomes_key(api: _Api, key: str) -> None:
    """Before scoring anything, check that the outcomes key may read predictions: the roles
    that may (analyst, admin) are those that may record outcomes."""
    answer = api.call("GET", f"{PREDICTIONS_PATH}?limit=1", key)
    if not answer.ok:
        raise _refused("--outcomes-api-key", answer, OUTCOMES_ROLE_TEXT, api.base_url)


def _send(api: _Api, key: str, records: Sequence[dict[str, Any]], concurrency: int) -> _Tally:
    """Score every record: the first alone (a refused key or a wrong URL stops the run with
    one line), then the rest over `concurrency` connections, with a progress line a step."""
    tally = _Tally()
    first = api.call("POST", SCORE_PATH, key, records[0])
    if not first.ok:
        raise _refused(f"POST {SCORE_PATH}", first, SCORING_ROLE_TEXT, api.base_url)
    tally.add(0, first)
    step = max(len(records) // PROGRESS_STEPS, 1)
    started = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="simulate")
    try:
        futures = {
            pool.submit(api.call, "POST", SCORE_PATH, key, record): position
            for position, record in enumerate(records[1:], start=1)
        }
        for future in as_completed(futures):
            tally.add(futures[future], future.result())
            done = tally.answered + tally.unanswered
            if done % step == 0 or done == len(records):
                rate = done / max(time.perf_counter() - started, 1e-9)
                print(f"  {done}/{len(records)} sent, {rate:.0f} requests/s", flush=True)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return tally


def _summary(
    tally: _Tally,
    base_url: str,
    elapsed: float,
    concurrency: int,
    seed: int,
    first_id: int,
    drift: dict[str, float],
) -> str:
    sent = tally.answered + tally.unanswered
    statuses = ", ".join(f"{count} x {status}" for status, count in sorted(tally.statuses.items()))
    failed = {s: n for s, n in tally.statuses.items() if not 200 <= s < 300}
    failed_text = ", ".join(f"{n} x {s}" for s, n in sorted(failed.items())) or "none"
    scored = len(tally.scored)
    approval = f"{tally.approved / scored:.1%} of {scored} decisions" if scored else "no decisions"
    drift_text = ", ".join(f"{c} x {f:g}" for c, f in drift.items()) or "none"
    return "\n".join(
        [
            f"Sent {sent} simulated applicants to {base_url}{SCORE_PATH} in {elapsed:.1f} s "
            f"({sent / max(elapsed, 1e-9):.1f} requests/s, {concurrency} at a time).",
            f"  answers: {statuses or 'none'}; 4xx/5xx: {failed_text}; "
            f"no answer: {tally.unanswered}",
            f"  approval rate: {approval}",
            f"  seed {seed} (SK_ID_CURR {first_id} to {first_id + sent - 1}); drift: {drift_text}",
        ]
    )


def _record_outcomes(api: _Api, key: str, outcomes: Sequence[tuple[int, bool]]) -> None:
    """Post the outcomes in chunks; the clients are named by SK_ID_CURR as text."""
    for start in range(0, len(outcomes), OUTCOMES_PER_REQUEST):
        chunk = outcomes[start : start + OUTCOMES_PER_REQUEST]
        body = {"outcomes": [{"client": str(i), "defaulted": d} for i, d in chunk]}
        answer = api.call("POST", OUTCOMES_PATH, key, body)
        if not answer.ok:
            raise _refused(f"POST {OUTCOMES_PATH}", answer, OUTCOMES_ROLE_TEXT, api.base_url)
