"""The API's own routes and error shape, in-process through httpx."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from credit_app import __version__
from credit_app.api.app import create_api


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_api())


def test_health_answers(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_unknown_route_uses_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_and_docs_are_versioned(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/health" in spec["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # Everything the page loads comes from this server: no CDN on an offline network.
    loaded = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert loaded and all(url.startswith("/api/v1/docs/assets/") for url in loaded), loaded
    for url in loaded:
        asset = client.get(url)
        assert asset.status_code == 200 and asset.content, url
    assert "swagger" in client.get("/api/v1/docs/oauth2-redirect").text.lower()
