"""benchmarks/profile_scoring.py on a small real model: its report has every scenario,
timed and profiled by both profilers, with the scoring path's own functions in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "profile_scoring.py"
#: The scenarios and the service each one's requests reach.
SCENARIOS = {
    "client": "score_client",
    "client-explain": "score_client",
    "applicant": "score_applicant",
    "applicant-explain": "score_applicant",
}


def test_the_profile_reports_every_scenario(model_dir: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--requests", "8", "--explained-requests", "4",
         "--model-dir", str(model_dir), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    (report,) = tmp_path.iterdir()
    summary = (report / "summary.md").read_text()
    assert "| sqlalchemy |" in summary and "| lightgbm |" in summary
    for scenario, service in SCENARIOS.items():
        assert f"## {scenario}: " in summary
        # The top functions by own time include the product's own (the narrow client read
        # no longer puts SQLAlchemy among them).
        assert "credit_app/" in (report / f"{scenario}.cprofile.txt").read_text()
        # The route bodies ran where the profilers look, not in a worker thread.
        assert service in (report / f"{scenario}.pyinstrument.txt").read_text()
        html = (report / f"{scenario}.pyinstrument.html").read_text()
        assert html.lstrip().lower().startswith("<!doctype html>")
