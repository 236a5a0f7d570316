"""The batch service the page and the API share: the upload rule, parts with progress, bad
rows by file line, a record found by id, the scored CSV in file order (real database, small
real model)."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from credit_app.config import load_settings
from credit_app.domain import Channel, Role
from credit_app.ml import synth
from credit_app.services.actors import user_actor
from credit_app.services.batches import BatchScoring, UploadRule
from credit_app.services.container import Services, build_services
from credit_app.services.errors import NotFound, PermissionDenied, TooLarge

OFFICER = user_actor(1, "olivia", Role.officer)
OTHER_OFFICER = user_actor(2, "oscar", Role.officer)
ANALYST = user_actor(3, "arthur", Role.analyst)
ROWS = 23
BAD_LINE = 7  # file line of the row with an impossible credit amount


@pytest.fixture
def services(settings_env: dict[str, str], model_dir: Path) -> Services:  # type: ignore[override]
    built = build_services(load_settings({**settings_env, "CREDIT_APP_MODEL_DIR": str(model_dir)}))
    built.batches = BatchScoring(
        built.database, built.scoring, UploadRule(max_bytes=10**6, max_rows=100), rows_per_part=5
    )
    yield built
    built.close()


def applications(rows: int = ROWS) -> bytes:
    frame = synth.generate(rows, seed=3).drop(columns=["TARGET"])
    frame["AMT_CREDIT"] = frame["AMT_CREDIT"].astype(object)
    if rows > BAD_LINE - 2:
        frame.loc[BAD_LINE - 2, "AMT_CREDIT"] = -5
    out = io.StringIO()
    frame.to_csv(out, index=False)
    return out.getvalue().encode()


def test_parts_report_progress_and_bad_rows_keep_their_file_line(services: Services) -> None:
    seen: list[int] = []
    with services.session() as session:
        outcome = services.batches.score_csv(
            session, OFFICER, applications(), channel=Channel.batch, progress=seen.append
        )
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) == 5  # 23 rows, parts of 5
    assert [(e.line, e.field) for e in outcome.errors] == [(BAD_LINE, "AMT_CREDIT")]
    assert sorted(line for line, _ in outcome.results) == [
        line for line in range(2, ROWS + 2) if line != BAD_LINE
    ]
    with services.session() as session:
        summary = services.batches.summary(session, OFFICER, outcome.batch_id)
        scored = services.batches.scored_csv(session, OFFICER, outcome.batch_id)
    assert (summary.status, summary.scored, summary.rejected_rows) == ("done", ROWS - 1, 1)
    assert summary.row_errors[0]["line"] == BAD_LINE and sum(summary.histogram) == ROWS - 1
    rows = list(csv.reader(io.StringIO(scored)))
    assert rows[0] == ["SK_ID_CURR", "probability", "decision"] and len(rows) == ROWS
    ids = [int(r[0]) for r in rows[1:]]
    file_ids = [int(line.split(b",")[0]) for line in applications().splitlines()[1:]]
    assert ids == [i for n, i in enumerate(file_ids, start=2) if n != BAD_LINE]  # file order


def test_the_upload_rule_counts_bytes_and_rows(services: Services) -> None:
    services.batches.rule = UploadRule(max_bytes=10**6, max_rows=10)
    with services.session() as session, pytest.raises(TooLarge) as many:
        services.batches.score_csv(session, OFFICER, applications(), channel=Channel.api)
    assert many.value.key == "error.too_many_rows" and many.value.params["rows"] == ROWS
    services.batches.rule = UploadRule(max_bytes=100, max_rows=10)
    with services.session() as session, pytest.raises(TooLarge) as big:
        services.batches.score_csv(session, OFFICER, applications(), channel=Channel.api)
    assert big.value.key == "error.file_too_large"
    # A megabyte is 10^6 bytes, for the page and the API alike.
    assert UploadRule.of(load_settings({"CREDIT_APP_MAX_UPLOAD_MB": "2"})).max_bytes == 2_000_000


def test_a_batch_in_the_background_is_followed_by_its_id(services: Services) -> None:
    with services.session() as session:
        batch_id = services.batches.start_csv(
            session, OFFICER, applications(), channel=Channel.batch, file_name="f.csv"
        )
    deadline = time.monotonic() + 60
    while True:
        with services.session() as session:
            summary = services.batches.summary(session, OFFICER, batch_id)
        if summary.status != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert summary.status == "done" and summary.scored == ROWS - 1 and summary.progress == 100
    assert summary.file_name == "f.csv"


def test_a_batch_is_its_senders_own(services: Services) -> None:
    with services.session() as session:
        outcome = services.batches.score_csv(
            session, OFFICER, applications(5), channel=Channel.batch
        )
    admin = user_actor(9, "ada", Role.admin)
    with services.session() as session:
        assert services.batches.summary(session, admin, outcome.batch_id).scored == 5
        with pytest.raises(NotFound):
            services.batches.summary(session, OTHER_OFFICER, outcome.batch_id)
        with pytest.raises(PermissionDenied):
            services.batches.scored_csv(session, ANALYST, outcome.batch_id)
        with pytest.raises(NotFound):
            services.batches.summary(session, OFFICER, "0" * 32)
