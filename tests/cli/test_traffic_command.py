"""`credit-app simulate-traffic` refuses bad arguments and an unreachable app with one line
on stderr and exit status 2, before sending anything (no server needed)."""

from __future__ import annotations

import socket

import pytest

from credit_app.cli import main
from credit_app.cli.traffic import ID_RANGE_TEXT
from credit_app.ml import simulation


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    url = f"http://127.0.0.1:{_closed_port()}"
    code = main(["simulate-traffic", "--url", url, "--api-key", "k", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--drift", "AMT_CREDIT"], "--drift: expected FEATURE=FACTOR (e.g. AMT_CREDIT=1.3)"),
        (["--drift", "AMT_CREDIT=big"], "--drift: expected FEATURE=FACTOR"),
        (["--drift", "NO_SUCH=1.2"], "--drift: NO_SUCH is not an application column"),
        (["--drift", "CODE_GENDER=1.2"], "--drift: CODE_GENDER is a categorical column"),
        (["--drift", "AMT_CREDIT=-2"], "--drift: the factor of AMT_CREDIT must be a positive"),
        (["--requests", "0"], "--requests must be from 1 to 100,000, not 0"),
        (["--concurrency", "0"], "--concurrency must be from 1 to 32, not 0"),
        (["--outcome-delay", "-1"], "--outcome-delay must be 0 or more seconds, not -1.0"),
    ],
)
def test_bad_arguments_stop_with_one_line(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(["--requests", "5", *args], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line.startswith(f"credit-app: error: {expected}")


def test_an_unreachable_app_stops_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["--requests", "5"], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line.startswith("credit-app: error: cannot reach http://127.0.0.1:")
    assert "ConnectError" in line


def test_a_url_without_its_scheme_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--url", "localhost:3000", "--api-key", "k", "--requests", "1"]
    code = main(["simulate-traffic", *args])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "credit-app: error: --url must start with http:// or https://, not 'localhost:3000'"
    )


def test_the_help_says_the_ids_simulation_gives(capsys: pytest.CaptureFixture[str]) -> None:
    """The help cannot import the simulation (pandas): its words must match the code."""
    with pytest.raises(SystemExit):
        main(["simulate-traffic", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert ID_RANGE_TEXT in help_text
    assert simulation.run_first_id(7) == 1_000_000_000 + 7 * 1_000_000
    assert simulation.run_first_id(1_007) == simulation.run_first_id(7)
    assert f"modulo {simulation.RUN_SLOTS}" in help_text
