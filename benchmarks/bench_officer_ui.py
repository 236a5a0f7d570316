"""Benchmark: from clicking Score on a client's page to the decision and chart on screen.

Needs the app served in production mode (`credit-app serve`) with clients and a model, for
example the demo data of `credit-app demo prepare` (see docs/benchmarks.md).

Each round opens the client's page afresh and waits until it is drawn (it opens on the
unrecorded score of the client as on file), then moves a what-if field so that the page
shows another score, then clicks Score, which records the client as on file. The clock
runs inside the page, from the click to the first frame in which the decision badge reads
Approve or Refuse, the badge says "Recorded", and the gauge shows the recorded probability
(the chart redrawn with the new value). Timing in the page keeps Playwright's round trips
out of the number.

With `--batch-rows N --api-key KEY` the clicks are timed twice in the same run: first
alone, then while another caller keeps the server busy with batch files of N synthetic
rows sent to POST /api/v1/score/batch one after another (the key needs a role that may
score batches). The output then gives both medians, their ratio and the batches' rows/s.

Run: .venv/bin/python benchmarks/bench_officer_ui.py --base-url http://127.0.0.1:3000 \
       --credentials "$CREDIT_APP_DATA_DIR/demo_credentials.json" [--clicks 30] \
       [--batch-rows 20000 --api-key KEY]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import threading
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect, sync_playwright

from credit_app.ml import synth

TIMEOUT_MS = 15_000
WHAT_IF_FIELD = "#what-if-EXT_SOURCE_2"
# Resolves with the milliseconds from the click to the first frame showing the result.
CLICK_TO_RESULT = """
([expected, timeoutMs]) => new Promise((resolve, reject) => {
  const shown = () => {
    const decision = document.querySelector("#decision");
    const recorded = document.querySelector("#recorded-badge");
    const gauge = document.querySelector("#gauge text.number");
    return decision && /Approve|Refuse/.test(decision.textContent) && recorded
      && gauge && gauge.textContent.trim() === expected;
  };
  const observer = new MutationObserver(() => {
    if (!shown()) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - started));
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  setTimeout(() => { observer.disconnect(); reject(new Error("no result")); }, timeoutMs);
  const started = performance.now();
  document.querySelector("#score-button").click();
})
"""


def _sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()


def _open_client(page: Page, url: str) -> str:
    """Open the page, move a what-if field; the gauge text of the client as on file."""
    page.goto(url)
    gauge = page.locator("#gauge text.number")
    expect(gauge).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#population .main-svg").first).to_be_visible(timeout=TIMEOUT_MS)
    on_file = (gauge.text_content() or "").strip()
    field = page.locator(WHAT_IF_FIELD)
    field.fill("0.01" if field.input_value() != "0.010" else "0.99")
    expect(gauge).not_to_have_text(on_file, timeout=TIMEOUT_MS)
    return on_file


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class BatchLoad:
    """Sends the same batch file again and again until stopped; times each batch."""

    def __init__(self, base_url: str, api_key: str, rows: int) -> None:
        frame = synth.generate(rows, seed=7).drop(columns="TARGET")
        self.content = frame.to_csv(index=False).encode()
        self.url = f"{base_url}/api/v1/score/batch"
        self.headers = {"X-API-Key": api_key}
        self.rows = rows
        self.seconds: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=600) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                files = {"file": ("batch.csv", self.content, "text/csv")}
                response = client.post(self.url, headers=self.headers, files=files)
                response.raise_for_status()
                self.seconds.append(time.perf_counter() - started)

    def __enter__(self) -> BatchLoad:
        self._thread.start()
        while not self.seconds and self._thread.is_alive():  # one whole batch first: warm
            time.sleep(0.2)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _time_clicks(page: Page, url: str, clicks: int, warm_up: int) -> list[float]:
    timings: list[float] = []
    for round_number in range(warm_up + clicks):
        on_file = _open_client(page, url)
        elapsed = page.evaluate(CLICK_TO_RESULT, [on_file, TIMEOUT_MS])
        if round_number >= warm_up:
            timings.append(elapsed)
    return timings


def _report(label: str, timings: list[float]) -> None:
    print(f"{label}: {len(timings)} clicks")
    print(f"  median: {statistics.median(timings):.0f} ms")
    print(f"  p95:    {_percentile(timings, 0.95):.0f} ms")
    print(f"  min/max: {min(timings):.0f} / {max(timings):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument(
        "--credentials", type=Path, required=True, help="demo_credentials.json of the server"
    )
    parser.add_argument("--username", default="officer", help="an officer in the credentials")
    parser.add_argument("--client", type=int, default=100_002, help="SK_ID_CURR to score")
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--batch-rows", type=int, help="also time clicks during batches")
    parser.add_argument("--api-key", help="key of a caller that may score batches")
    args = parser.parse_args()
    if args.batch_rows and not args.api_key:
        parser.error("--batch-rows needs --api-key")
    base_url = args.base_url.rstrip("/")
    password = json.loads(args.credentials.read_text())[args.username]
    executable = os.environ.get("CREDIT_APP_CHROMIUM") or shutil.which("chromium")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _sign_in(page, base_url, args.username, password)
        url = f"{base_url}/clients/{args.client}"
        alone = _time_clicks(page, url, args.clicks, args.warm_up)
        _report(f"alone (after {args.warm_up} warm-up)", alone)
        if args.batch_rows:
            with BatchLoad(base_url, args.api_key, args.batch_rows) as load:
                busy = _time_clicks(page, url, args.clicks, 0)
            batches = load.seconds
            _report(f"during batches of {args.batch_rows:,} rows", busy)
            ratio = statistics.median(busy) / statistics.median(alone)
            print(f"  median during batches / alone: {ratio:.2f}x")
            seconds = statistics.median(batches)
            rate = args.batch_rows / seconds
            print(f"batches: {len(batches)}, median {seconds:.1f} s each ({rate:,.0f} rows/s)")
        browser.close()


if __name__ == "__main__":
    main()
