"""Prediction records, outcomes, the model card, readiness, export and erasure."""

from __future__ import annotations

import json

from sqlmodel import select

from credit_app.api.app import create_api
from credit_app.db.models import AuditEvent, Client, Outcome, Prediction
from credit_app.domain import Role
from credit_app.ml.artifacts import CARD_FILE
from credit_app.services.container import build_services
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error
from tests.api.test_scoring import APPLICANT


def score_client(world: ApiWorld, sk_id: int) -> dict:
    response = world.client.post(
        f"/api/v1/clients/{sk_id}/score", headers=world.as_role(Role.officer)
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_analysts_see_pseudonyms_and_can_filter(world: ApiWorld) -> None:
    sk_id = world.sk_ids[0]
    scored = score_client(world, sk_id)
    world.client.post("/api/v1/score", json=APPLICANT, headers=world.as_role(Role.officer))
    analyst = world.as_role(Role.analyst)
    page = world.client.get("/api/v1/predictions", headers=analyst).json()
    assert page["total"] == 2
    assert str(sk_id) not in str(page)
    pseudonym = next(p["client"] for p in page["items"] if p["client"])
    assert pseudonym.startswith("c-")
    by_client = world.client.get(f"/api/v1/predictions?client={pseudonym}", headers=analyst).json()
    assert [p["prediction_id"] for p in by_client["items"]] == [scored["prediction_id"]]
    by_decision = world.client.get(
        f"/api/v1/predictions?decision={scored['decision']}&channel=api&limit=1", headers=analyst
    ).json()
    assert by_decision["limit"] == 1 and len(by_decision["items"]) == 1
    future = world.client.get("/api/v1/predictions?since=2999-01-01T00:00:00Z", headers=analyst)
    assert future.json()["total"] == 0
    bad = world.client.get("/api/v1/predictions?limit=0&decision=maybe", headers=analyst)
    fields = {d["field"] for d in assert_error(bad, 422, "invalid_input")["details"]}
    assert fields == {"limit", "decision"}
    assert_error(world.client.get("/api/v1/predictions/nope", headers=analyst), 404, "not_found")


def test_outcomes_are_recorded_all_or_nothing(world: ApiWorld) -> None:
    analyst = world.as_role(Role.analyst)
    sk_id = world.sk_ids[1]
    with world.services.session() as session:
        pseudonym = session.exec(select(Client.pseudonym).where(Client.sk_id_curr == sk_id)).one()
        before = len(session.exec(select(Outcome)).all())
    good = {"outcomes": [{"client": str(sk_id), "defaulted": True}]}
    good["outcomes"].append({"client": pseudonym, "defaulted": False})
    response = world.client.post("/api/v1/outcomes", json=good, headers=analyst)
    assert response.status_code == 201 and response.json() == {"recorded": 2}
    mixed = {"outcomes": [{"client": str(sk_id), "defaulted": True}, {"client": "c-unknown"}]}
    assert_error(
        world.client.post("/api/v1/outcomes", json=mixed, headers=analyst), 422, "invalid_input"
    )
    for client in ("999999999", "9" * 40):  # unknown; too large for any id column
        unknown = {"outcomes": [{"client": client, "defaulted": True}]}
        response = world.client.post("/api/v1/outcomes", json=unknown, headers=analyst)
        error = assert_error(response, 422, "invalid_input")
        assert error["details"][0]["field"] == "0.client"
    with world.services.session() as session:
        assert len(session.exec(select(Outcome)).all()) == before + 2


def test_export_then_erase_keeps_pseudonymised_decisions(world: ApiWorld) -> None:
    admin = world.as_role(Role.admin)
    sk_id = world.sk_ids[2]
    scored = score_client(world, sk_id)
    export = world.client.get(f"/api/v1/clients/{sk_id}/export", headers=admin).json()
    assert export["sk_id_curr"] == sk_id and export["application"]
    assert [p["prediction_id"] for p in export["predictions"]] == [scored["prediction_id"]]
    erased = world.client.delete(f"/api/v1/clients/{sk_id}", headers=admin)
    assert erased.status_code == 200 and erased.json()["erased"] is True
    assert_error(world.client.get(f"/api/v1/clients/{sk_id}", headers=admin), 404, "not_found")
    assert_error(world.client.delete(f"/api/v1/clients/{sk_id}", headers=admin), 404, "not_found")
    with world.services.session() as session:
        prediction = session.get(Prediction, scored["prediction_id"])
        assert prediction.inputs is None and prediction.decision == scored["decision"]
        client = session.get(Client, prediction.client_id)
        assert client.sk_id_curr is None and client.application is None
        assert client.pseudonym == erased.json()["pseudonym"]
        actions = {e.action for e in session.exec(select(AuditEvent))}
    assert {"client.export", "client.erase"} <= actions
    record = world.client.get(
        f"/api/v1/predictions/{scored['prediction_id']}", headers=admin
    ).json()
    assert record["decision"] == scored["decision"] and record["client"] != str(sk_id)
    # No field holds the id (a substring test once matched the digits of a latency).
    assert str(sk_id) not in {str(value) for value in record.values()}
    assert record.get("inputs") is None


def test_model_card_and_readiness(world: ApiWorld, tmp_path) -> None:  # type: ignore[no-untyped-def]
    card = world.client.get("/api/v1/model", headers=world.as_role(Role.analyst)).json()
    stored = json.loads((world.services.settings.model_dir / CARD_FILE).read_text())
    assert card == {key: value for key, value in stored.items() if key != "reference"}
    ready = world.client.get("/api/v1/ready")
    assert ready.status_code == 200 and ready.json()["model_version"] == card["version"]
    settings = world.services.settings.__class__(
        **{**vars(world.services.settings), "model_dir": tmp_path / "empty"}
    )
    empty = build_services(settings)
    from fastapi.testclient import TestClient

    no_model = TestClient(create_api(lambda: empty)).get("/api/v1/ready")
    assert_error(no_model, 503, "model_unavailable")


def test_client_search_paginates_and_filters(world: ApiWorld) -> None:
    officer = world.as_role(Role.officer)
    first = world.client.get("/api/v1/clients?limit=50", headers=officer).json()
    second = world.client.get("/api/v1/clients?limit=50&offset=50", headers=officer).json()
    assert first["total"] == len(world.sk_ids)
    ids = [c["sk_id_curr"] for c in first["items"] + second["items"]]
    assert ids == sorted(world.sk_ids)[:100]
    revolving = world.client.get(
        "/api/v1/clients?contract_type=Revolving loans&limit=200", headers=officer
    ).json()
    assert all(c["contract_type"] == "Revolving loans" for c in revolving["items"])
    rich = world.client.get("/api/v1/clients?min_income=200000&limit=200", headers=officer).json()
    assert all(c["income_total"] >= 200000 for c in rich["items"])
    detail = world.client.get(f"/api/v1/clients/{ids[0]}", headers=officer).json()
    assert detail["sk_id_curr"] == ids[0] and "AMT_CREDIT" in detail["application"]
    bad = world.client.get("/api/v1/clients/abc", headers=officer)
    assert assert_error(bad, 422, "invalid_input")["details"][0]["field"] == "sk_id_curr"


def test_ids_and_offsets_out_of_range_are_refused_clearly(world: ApiWorld) -> None:
    """Numbers the database columns cannot hold get a 422 naming the parameter (found by
    fuzzing the API: they used to reach the database and come back as 500s)."""
    admin = world.as_role(Role.admin)
    huge = "9" * 40
    for method, path in [
        ("GET", f"/api/v1/clients/{huge}"),
        ("POST", f"/api/v1/clients/{huge}/score"),
        ("GET", f"/api/v1/clients/{huge}/export"),
        ("DELETE", f"/api/v1/clients/{huge}"),
        ("GET", "/api/v1/clients/0"),
        ("GET", f"/api/v1/clients?offset={huge}"),
        ("GET", f"/api/v1/predictions?offset={huge}"),
    ]:
        error = assert_error(
            world.client.request(method, path, headers=admin), 422, "invalid_input"
        )
        assert {d["field"] for d in error["details"]} & {"sk_id_curr", "offset"}, (path, error)
    largest = world.client.get("/api/v1/clients/2147483647", headers=admin)
    assert_error(largest, 404, "not_found")  # in range: simply not there


def test_an_applicant_scored_by_id_becomes_a_client(world: ApiWorld) -> None:
    """POST /score with an SK_ID_CURR: the lender can then record the outcome by that id,
    export the person's data and erase it, the scored application included."""
    officer, admin = world.as_role(Role.officer), world.as_role(Role.admin)
    new_id = 456_789
    first = world.client.post(
        "/api/v1/score", json={**APPLICANT, "SK_ID_CURR": new_id}, headers=officer
    )
    assert first.status_code == 200, first.text
    again = {**APPLICANT, "SK_ID_CURR": new_id, "AMT_CREDIT": 250_000.0}
    second = world.client.post("/api/v1/score", json=again, headers=officer).json()
    known = world.client.get(f"/api/v1/clients/{new_id}", headers=officer).json()
    assert known["application"]["AMT_CREDIT"] == 250_000.0  # the latest application wins
    assert known["last_decision"] == second["decision"]
    recorded = world.client.post(
        "/api/v1/outcomes",
        json={"outcomes": [{"client": str(new_id), "defaulted": False}]},
        headers=admin,
    )
    assert recorded.status_code == 201, recorded.text
    export = world.client.get(f"/api/v1/clients/{new_id}/export", headers=admin).json()
    assert {p["prediction_id"] for p in export["predictions"]} == {
        first.json()["prediction_id"],
        second["prediction_id"],
    }
    assert world.client.delete(f"/api/v1/clients/{new_id}", headers=admin).status_code == 200
    with world.services.session() as session:
        prediction = session.get(Prediction, second["prediction_id"])
        assert prediction is not None and prediction.inputs is None
    # Without an id, a new applicant is scored and recorded but registers no one.
    with world.services.session() as session:
        before = len(session.exec(select(Client)).all())
    anonymous = world.client.post("/api/v1/score", json=APPLICANT, headers=officer)
    assert anonymous.status_code == 200
    with world.services.session() as session:
        assert len(session.exec(select(Client)).all()) == before
