"""The served app (`credit-app serve`, SQLite, one worker) under scoring load: every 2xx
answer's record is in the log, also when the server is stopped with SIGTERM mid-load."""

from __future__ import annotations

from tests.load.conftest import LoadTarget
from tests.load.driver import Load

REQUESTS = 10_000


def test_10000_scores_leave_exactly_as_many_records(sqlite_target: LoadTarget) -> None:
    before = sqlite_target.recorded()
    answers = Load(
        sqlite_target.app.base_url, sqlite_target.key, sqlite_target.client_ids, REQUESTS
    ).run()
    assert len(answers) == REQUESTS
    failed = [(a.status, a.code) for a in answers if not a.ok]
    assert not failed, f"{len(failed)} failures, first {failed[:5]}"
    new = {i: s for i, s in sqlite_target.recorded().items() if i not in before}
    given = {a.prediction_id for a in answers}
    assert len(new) == len(given) == REQUESTS
    assert set(new) == given and set(new.values()) == {200}


def test_sigterm_mid_load_keeps_every_answered_score(sqlite_target: LoadTarget) -> None:
    load = Load(
        sqlite_target.app.base_url,
        sqlite_target.key,
        sqlite_target.client_ids,
        total=50_000,
        stop_on_refusal=True,
    ).start()
    load.wait_for(500)
    sqlite_target.app.stop()  # SIGTERM to the server's process group, mid-load
    answers = load.join()
    answered = {a.prediction_id for a in answers if a.ok}
    assert len(answered) >= 500 and len(answers) < 50_000
    sqlite_target.restart()  # on the same database
    recorded = sqlite_target.recorded()
    missing = answered - recorded.keys()
    assert not missing, f"{len(missing)} of {len(answered)} answered scores are not in the log"
