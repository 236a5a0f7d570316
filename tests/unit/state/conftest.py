"""The services page-state tests drive: the small real model, 30 clients, an officer
(olivia) and an analyst (arthur), installed as the process's services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.services import clients, users
from credit_app.services.actors import SYSTEM
from credit_app.services.container import Services, use_services

PASSWORD = "a long enough password"


@pytest.fixture
def app_services(model_services: Services) -> Iterator[Services]:
    built = model_services
    with built.session() as session:
        clients.import_clients(session, SYSTEM, synth.generate(30, seed=4), secret="s" * 40)
        for name, role in (("olivia", Role.officer), ("arthur", Role.analyst)):
            users.create_user(session, SYSTEM, username=name, password=PASSWORD, role=role)
    with use_services(built):
        yield built
