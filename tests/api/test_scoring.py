"""Scoring over HTTP: new applicants, known clients, explanations, batches, bad input."""

from __future__ import annotations

import io
import math

import pandas as pd
from sqlmodel import select

from credit_app.api.schemas import ScoreOut
from credit_app.db.models import Prediction
from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.services.batches import UploadRule
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error

APPLICANT = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "AMT_INCOME_TOTAL": 150000.0,
    "AMT_CREDIT": 500000.0,
    "AMT_ANNUITY": 25000.0,
    "DAYS_BIRTH": -12000,
    "EXT_SOURCE_2": 0.4,
}


def predictions(world: ApiWorld) -> list[Prediction]:
    with world.services.session() as session:
        return list(session.exec(select(Prediction).order_by(Prediction.created_at)))


def test_new_applicant_is_scored_recorded_and_readable(world: ApiWorld) -> None:
    officer = world.as_role(Role.officer)
    response = world.client.post("/api/v1/score", json=APPLICANT, headers=officer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert 0 < body["probability"] < 1
    assert body["decision"] == ("refuse" if body["probability"] >= body["threshold"] else "approve")
    assert body["contributions"] is None
    [record] = predictions(world)
    assert record.id == body["prediction_id"] and record.channel == "api"
    assert record.actor_name == "officer-system" and record.model_version == body["model_version"]
    assert record.inputs["AMT_CREDIT"] == 500000.0 and record.latency_ms > 0
    analyst = world.as_role(Role.analyst)
    read = world.client.get(f"/api/v1/predictions/{body['prediction_id']}", headers=analyst)
    assert read.status_code == 200 and read.json()["probability"] == body["probability"]


def test_explanation_adds_up_to_the_log_odds(world: ApiWorld) -> None:
    response = world.client.post(
        "/api/v1/score?explain=true", json=APPLICANT, headers=world.as_role(Role.officer)
    )
    body = response.json()
    log_odds = body["base_value"] + sum(c["contribution"] for c in body["contributions"])
    assert math.isclose(1 / (1 + math.exp(-log_odds)), body["probability"], rel_tol=1e-9)
    assert {c["feature"] for c in body["contributions"]} >= set(APPLICANT)
    assert body["reasons"] and all(r["text"] for r in body["reasons"])


def test_unknown_fields_and_wrong_types_are_named_and_logged(world: ApiWorld) -> None:
    bad = {**APPLICANT, "FAVOURITE_COLOUR": "blue", "AMT_CREDIT": "lots", "CODE_GENDER": "Q"}
    response = world.client.post("/api/v1/score", json=bad, headers=world.as_role(Role.officer))
    error = assert_error(response, 422, "invalid_input")
    assert {d["field"] for d in error["details"]} == {
        "FAVOURITE_COLOUR",
        "AMT_CREDIT",
        "CODE_GENDER",
    }
    not_object = world.client.post("/api/v1/score", json=[1], headers=world.as_role(Role.officer))
    assert_error(not_object, 422, "invalid_input")
    statuses = [(p.status, p.probability) for p in predictions(world)]
    assert statuses == [(422, None), (422, None)]


def test_known_client_scoring_and_missing_client(world: ApiWorld) -> None:
    officer = world.as_role(Role.officer)
    sk_id = world.sk_ids[3]
    response = world.client.post(f"/api/v1/clients/{sk_id}/score?explain=true", headers=officer)
    assert response.status_code == 200, response.text
    assert response.json()["sk_id_curr"] == sk_id and response.json()["reasons"]
    missing = world.client.post("/api/v1/clients/1/score", headers=officer)
    assert_error(missing, 404, "not_found")
    page = world.client.get(f"/api/v1/clients?q={sk_id}", headers=officer).json()
    assert page["items"][0]["last_decision"] == response.json()["decision"]
    assert [p.status for p in predictions(world)] == [200, 404]


def test_json_batch_scores_good_rows_and_reports_bad_ones(world: ApiWorld) -> None:
    rows = [APPLICANT, {"AMT_CREDIT": -5.0}, "not an object", {**APPLICANT, "SK_ID_CURR": 7}]
    response = world.client.post(
        "/api/v1/score/batch", json=rows, headers=world.as_role(Role.officer)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scored"] == 2 and body["rejected_rows"] == 2
    assert [r["line"] for r in body["results"]] == [1, 4]
    assert body["results"][1]["sk_id_curr"] == 7
    assert {(e["line"], e["field"]) for e in body["errors"]} == {(2, "AMT_CREDIT"), (3, None)}
    logged = predictions(world)
    assert sorted(p.status for p in logged) == [200, 200, 422, 422]
    assert {p.batch_id for p in logged} == {body["batch_id"]}


def test_csv_batch_reports_bad_lines(world: ApiWorld) -> None:
    frame = synth.generate(5, seed=3)
    frame.loc[2, "AMT_INCOME_TOTAL"] = -1
    content = frame.to_csv(index=False).encode()
    response = world.client.post(
        "/api/v1/score/batch",
        files={"file": ("applicants.csv", io.BytesIO(content), "text/csv")},
        headers=world.as_role(Role.officer),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scored"] == 4
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(4, "AMT_INCOME_TOTAL")]
    # Every row is recorded: the scored ones with the file's values, the bad one as a 422.
    stored = {p.id: p for p in predictions(world)}
    assert len(stored) == 5 and len({p.batch_id for p in stored.values()}) == 1
    (failure,) = [p for p in stored.values() if p.status == 422]
    assert failure.batch_line == 4 and "AMT_INCOME_TOTAL" in (failure.error or "")
    good = frame.drop(index=2).drop(columns="TARGET").reset_index(drop=True)
    for result, row in zip(body["results"], good.to_dict(orient="records"), strict=True):
        record = stored[result["prediction_id"]]
        expected = {k: v for k, v in row.items() if not pd.isna(v)}  # missing: left out
        assert record.inputs == expected
        assert (record.channel, record.actor_kind, record.status) == ("api", "api_client", 200)
        assert record.probability == result["probability"] and record.latency_ms > 0


def test_batch_refuses_bad_bodies_clearly(world: ApiWorld) -> None:
    officer = world.as_role(Role.officer)
    post = world.client.post
    garbage = post(
        "/api/v1/score/batch",
        content=b"{not json",
        headers={**officer, "Content-Type": "application/json"},
    )
    assert "not valid JSON" in assert_error(garbage, 422, "invalid_input")["message"]
    plain = post(
        "/api/v1/score/batch", content=b"a,b", headers={**officer, "Content-Type": "text/plain"}
    )
    assert_error(plain, 422, "invalid_input")
    empty_file = post(
        "/api/v1/score/batch",
        files={"file": ("x.csv", io.BytesIO(b""), "text/csv")},
        headers=officer,
    )
    assert_error(empty_file, 422, "invalid_input")
    no_file = post("/api/v1/score/batch", files={"other": ("x", b"1")}, headers=officer)
    assert "`file`" in assert_error(no_file, 422, "invalid_input")["message"]
    assert all(p.status == 422 for p in predictions(world))
    assert len(predictions(world)) == 4


def test_batch_above_the_size_limit_gets_413(world: ApiWorld) -> None:
    world.services.batches.rule = UploadRule(max_bytes=1_000, max_rows=2)
    officer = world.as_role(Role.officer)
    big = world.client.post("/api/v1/score/batch", json=[APPLICANT] * 40, headers=officer)
    assert "MB limit" in assert_error(big, 413, "too_large")["message"]
    many = world.client.post("/api/v1/score/batch", json=[{}, {}, {}], headers=officer)
    assert "rows" in assert_error(many, 413, "too_large")["message"]
    assert [p.status for p in predictions(world)] == [413, 413]


def test_score_answers_have_exactly_the_documented_shape(world: ApiWorld) -> None:
    """The score routes write their JSON themselves: it must be what ScoreOut documents."""
    officer = world.as_role(Role.officer)
    sk_id = world.sk_ids[5]
    for path in ("/api/v1/score", "/api/v1/score?explain=true"):
        response = world.client.post(path, json=APPLICANT, headers=officer)
        assert response.headers["content-type"] == "application/json"
        assert ScoreOut.model_validate_json(response.text).model_dump(mode="json") == (
            response.json()
        )
    for path in (f"/api/v1/clients/{sk_id}/score", f"/api/v1/clients/{sk_id}/score?explain=1"):
        response = world.client.post(path, headers=officer)
        assert ScoreOut.model_validate_json(response.text).model_dump(mode="json") == (
            response.json()
        )
    assert response.json()["contributions"] and response.json()["sk_id_curr"] == sk_id
