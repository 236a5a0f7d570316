"""The REST API as an external system meets it: mounted in the production-mode app, one port."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

from tests.e2e.conftest import ServedApp


def _request(app: ServedApp, method: str, path: str, body: object, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{app.base_url}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_key_from_the_cli_scores_and_explains_over_http(served_app: ServedApp) -> None:
    created = subprocess.run(
        [sys.executable, "-m", "credit_app.cli", "apikeys", "create", "--name", "e2e-system",
         "--role", "officer"],
        env=served_app.env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    key = created.stdout.strip().splitlines()[-1]
    applicant = {"AMT_INCOME_TOTAL": 120000.0, "AMT_CREDIT": 600000.0, "EXT_SOURCE_3": 0.3}
    status, body = _request(served_app, "POST", "/api/v1/score?explain=true", applicant, key)
    assert status == 200, body
    assert body["decision"] in ("approve", "refuse") and body["reasons"]
    assert len(body["contributions"]) > 100
    status, error = _request(served_app, "POST", "/api/v1/score", {"AMT_CREDIT": "x"}, key)
    assert status == 422 and error["error"]["details"][0]["field"] == "AMT_CREDIT"
    status, error = _request(served_app, "GET", "/api/v1/predictions", None, key)
    assert status == 403 and error["error"]["code"] == "forbidden"
