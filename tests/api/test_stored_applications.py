"""A client's stored application is validated once, when stored: scoring trusts what carries
today's schema stamp, validates what does not (an older version's data) and always
validates what-if changes."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import update
from sqlmodel import select

from credit_app.db.models import Client
from credit_app.domain import Channel, Role
from credit_app.ml.schema import SCHEMA_STAMP
from credit_app.services.actors import SYSTEM
from credit_app.services.errors import InvalidInput
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error
from tests.api.test_scoring import predictions

CLIENTS = Client.__table__  # type: ignore[attr-defined]


def set_stored(world: ApiWorld, sk_id: int, **values: object) -> None:
    """Write a client's columns as an older version or a direct import could have."""
    with world.services.session() as session:
        session.execute(update(CLIENTS).where(CLIENTS.c.sk_id_curr == sk_id).values(**values))


def application(world: ApiWorld, sk_id: int) -> dict:
    """The client's stored application, which the import stamped with today's rules."""
    with world.services.session() as session:
        client = session.exec(select(Client).where(Client.sk_id_curr == sk_id)).one()
    assert client.application is not None and client.application_schema == SCHEMA_STAMP
    return dict(client.application)


@pytest.mark.parametrize("stamp", [None, "an-older-schema"])
def test_an_unstamped_or_stale_application_is_validated(world: ApiWorld, stamp: str | None) -> None:
    sk_id = world.sk_ids[0]
    broken = {**application(world, sk_id), "AMT_CREDIT": -5.0, "CODE_GENDER": "Q"}
    set_stored(world, sk_id, application=broken, application_schema=stamp)
    response = world.client.post(
        f"/api/v1/clients/{sk_id}/score", headers=world.as_role(Role.officer)
    )
    error = assert_error(response, 422, "invalid_input")
    assert {d["field"] for d in error["details"]} == {"AMT_CREDIT", "CODE_GENDER"}
    [record] = predictions(world)
    assert record.status == 422 and record.inputs["AMT_CREDIT"] == -5.0


def test_a_stamped_application_scores_as_if_validated_again(world: ApiWorld) -> None:
    sk_id = world.sk_ids[1]
    fields = application(world, sk_id)
    scoring = world.services.scoring
    with world.services.session() as session:
        known = scoring.score_client(session, SYSTEM, sk_id, channel=Channel.api)
        fresh = scoring.score_applicant(session, SYSTEM, fields, channel=Channel.api)
    assert known.probability == fresh.probability and known.bins == fresh.bins
    set_stored(world, sk_id, application_schema=None)  # the same values, validated again
    with world.services.session() as session:
        again = scoring.score_client(session, SYSTEM, sk_id, channel=Channel.api)
    assert again.probability == known.probability


def test_what_if_changes_are_validated_and_can_clear_a_field(world: ApiWorld) -> None:
    sk_id = world.sk_ids[2]
    fields = application(world, sk_id)
    scoring = world.services.scoring
    with world.services.session() as session, pytest.raises(InvalidInput) as refused:
        scoring.score_client(
            session,
            SYSTEM,
            sk_id,
            channel=Channel.ui,
            changes={"AMT_CREDIT": -1.0, "NAME_CONTRACT_TYPE": 3},
            record=False,
        )
    assert {d["field"] for d in refused.value.details} == {"AMT_CREDIT", "NAME_CONTRACT_TYPE"}
    changes = {"AMT_CREDIT": 2 * fields["AMT_CREDIT"], "EXT_SOURCE_2": None}
    expected = {k: v for k, v in {**fields, **changes}.items() if v is not None}
    with world.services.session() as session:
        what_if = scoring.score_client(
            session, SYSTEM, sk_id, channel=Channel.ui, changes=changes, record=False
        )
        direct = scoring.score_applicant(session, SYSTEM, expected, channel=Channel.api)
    assert math.isclose(what_if.probability, direct.probability, rel_tol=0, abs_tol=0)
