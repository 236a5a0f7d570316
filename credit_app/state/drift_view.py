"""The data drift page's words, rows, chart and exports, in the reader's language.

One row per feature, said the same way on the page, in the CSV and in the HTML report:
the report is the page on paper (self-contained, its charts drawn as inline SVG, no
script), for a committee or an auditor who will not sign in."""

from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from credit_app.i18n import Words
from credit_app.ml.drift import DISTANCE_THRESHOLD, PSI_ACT, PSI_WATCH, FeatureDrift, ScoreDrift
from credit_app.services.monitoring_drift import DataDrift, Distribution
from credit_app.state.figures import ACCENT_COLOUR, NEUTRAL_COLOUR, Figure, layout
from credit_app.state.sorting import SORT

#: Columns of the table (page, CSV, report), by key: what each is sorted by.
COLUMNS = ("rank", "name", "psi", "noise", "distance", "missing", "unseen", "importance", "verdict")
#: Features drawn in the HTML report: every drifted one and the most important others.
REPORT_CHARTS = 12


def level_of(row: FeatureDrift | ScoreDrift) -> str:
    """ok / watch / act, or none when the window is too small to say (not a green light)."""
    return "none" if row.reason_code == "not_enough_data" else row.level


def score_verdict(words: Words, score: ScoreDrift) -> str:
    """The score's stability against training in a sentence: its PSI, the noise level."""
    f = words.formats
    return words(
        f"monitoring.score_{score.reason_code}",
        psi=f.number(score.psi, 3),
        noise=f.number(score.psi_critical, 3),
        n=f.number(score.n),
    )


def verdict(words: Words, row: FeatureDrift) -> str:
    """Why a feature is flagged or not, in a sentence."""
    f = words.formats
    return words(
        f"monitoring.drift_reason_{row.reason_code}",
        psi=f.number(row.psi, 3),
        noise=f.number(row.psi_critical, 3),
        distance=f.number(row.distance, 3),
        sources=", ".join(words.name(s) for s in row.derived_from),
        n=f.number(row.n),
    )


def table_rows(words: Words, found: DataDrift) -> list[dict[str, Any]]:
    """The table's rows, most important drift first; their values under `SORT` for sorting."""
    f = words.formats
    rows = []
    for rank, row in enumerate(found.features.rows, start=1):
        test = words(f"monitoring.drift_test_{row.distance_test}")
        unseen = "" if row.unseen_share is None else f.percent(row.unseen_share)
        rows.append(
            {
                "feature": row.feature,
                "rank": rank,
                "name": words.name(row.feature),
                "psi": f.number(row.psi, 3),
                "noise": f.number(row.psi_critical, 3),
                "distance": f"{f.number(row.distance, 3)} ({test})",
                "missing": f.signed(row.missing_change * 100, 1) + " pt",
                "unseen": unseen,
                "importance": f.percent(row.importance),
                "level": level_of(row),
                "level_text": words(f"monitoring.level_{level_of(row)}"),
                "verdict": verdict(words, row),
                SORT: {
                    "rank": rank,
                    "name": words.name(row.feature),
                    "psi": row.psi,
                    "noise": row.psi_critical,
                    "distance": row.distance,
                    "missing": row.missing_change,
                    "unseen": row.unseen_share,
                    "importance": row.importance,
                    "verdict": {"none": 0, "ok": 1, "watch": 2, "act": 3}[level_of(row)],
                },
            }
        )
    return rows


def summary(words: Words, found: DataDrift) -> str:
    """The page's verdict on the window in a sentence."""
    report, f = found.features, words.formats
    if not report.enough_data:
        return words(
            "monitoring.drift_summary_not_enough",
            n=f.number(report.n),
            needed=f.number(report.min_rows),
        )
    drifted = [row for row in report.rows if row.drifted]
    return words(
        f"monitoring.drift_summary_{report.level}",
        count=len(drifted),
        total=len(report.rows),
        share=f.percent(report.drifted_importance_share),
        n=f.number(report.n),
        top=", ".join(words.name(row.feature) for row in drifted[:3]),
    )


def bin_labels(words: Words, shown: Distribution) -> list[str]:
    """Each bin in words: a category, or the range of values it holds."""
    labels = []
    for position, item in enumerate(shown.bins):
        if isinstance(item, str):
            labels.append(
                words("monitoring.drift_unseen")
                if item == "unseen"
                else words.category(shown.feature, item)
            )
            continue
        low, high = item
        if math.isnan(low):
            labels.append(words("monitoring.drift_any_value"))
        elif low == high:
            labels.append(words.value(shown.feature, low))
        elif position == 0:
            labels.append(words("monitoring.drift_below", value=words.value(shown.feature, high)))
        elif position == len(shown.bins) - 1:
            labels.append(words("monitoring.drift_from", value=words.value(shown.feature, low)))
        else:
            labels.append(
                words(
                    "monitoring.drift_between",
                    low=words.value(shown.feature, low),
                    high=words.value(shown.feature, high),
                )
            )
    return [*labels, words("value.not_provided")]


def distribution_figure(words: Words, shown: Distribution) -> Figure:
    """The training's and the window's shares per bin, side by side."""
    labels = bin_labels(words, shown)
    reference = [*shown.reference, shown.missing_reference]
    current = [*shown.current, shown.missing_current]
    return {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": [round(s * 100, 2) for s in reference],
                "name": words("monitoring.training"),
                "marker": {"color": NEUTRAL_COLOUR},
            },
            {
                "type": "bar",
                "x": labels,
                "y": [round(s * 100, 2) for s in current],
                "name": words("monitoring.this_window"),
                "marker": {"color": ACCENT_COLOUR},
            },
        ],
        "layout": layout(
            words,
            320,
            barmode="group",
            title={"text": words.name(shown.feature)},
            yaxis={"title": {"text": words("monitoring.share_axis")}, "ticksuffix": "%"},
            legend={"orientation": "h", "y": -0.35},
        ),
    }


def _headers(words: Words) -> list[str]:
    return [words(f"monitoring.drift_column_{column}") for column in COLUMNS]


def _cells(row: Mapping[str, Any]) -> list[str]:
    return [str(row[column] if column != "verdict" else row["verdict"]) for column in COLUMNS]


def export_csv(words: Words, found: DataDrift) -> str:
    """The table as CSV, with the machine values (feature code, raw statistics) too."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "feature",
            *_headers(words),
            "psi_value",
            "psi_noise_value",
            "distance_test",
            "distance_value",
            "q_value",
            "drifted",
            "level",
        ]
    )
    for table_row, row in zip(table_rows(words, found), found.features.rows, strict=True):
        writer.writerow(
            [
                row.feature,
                *_cells(table_row),
                f"{row.psi:.6f}",
                f"{row.psi_critical:.6f}",
                row.distance_test,
                f"{row.distance:.6f}",
                f"{row.q_value:.6g}",
                str(row.drifted).lower(),
                level_of(row),
            ]
        )
    return out.getvalue()


def _svg_bars(words: Words, shown: Distribution) -> str:
    """Grouped bars of the two distributions as an inline SVG with its own legend."""
    labels = bin_labels(words, shown)
    pairs = list(
        zip(
            [*shown.reference, shown.missing_reference],
            [*shown.current, shown.missing_current],
            strict=True,
        )
    )
    top = max((max(pair) for pair in pairs), default=0.0) or 1.0
    width, height, bar = 40 * len(pairs) + 40, 180, 15
    parts = [
        f'<svg role="img" aria-label="{html.escape(words.name(shown.feature))}" '
        f'width="{width}" height="{height + 60}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (reference, current) in enumerate(pairs):
        x = 30 + 40 * i
        for offset, share, colour in (
            (0, reference, NEUTRAL_COLOUR),
            (bar, current, ACCENT_COLOUR),
        ):
            h = share / top * height
            parts.append(
                f'<rect x="{x + offset}" y="{height - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{colour}"><title>{html.escape(labels[i])}: '
                f"{words.formats.percent(share)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar}" y="{height + 14}" font-size="9" text-anchor="middle">'
            f"{html.escape(labels[i][:12])}</text>"
        )
    legend_y = height + 40
    for x, colour, key in ((30, NEUTRAL_COLOUR, "training"), (180, ACCENT_COLOUR, "this_window")):
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{legend_y}" font-size="11">'
            f"{html.escape(words(f'monitoring.{key}'))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def export_html(
    words: Words, found: DataDrift, distributions: Sequence[Distribution], window_text: str
) -> str:
    """The whole page as one HTML file: verdict, score, table and the charts of the
    features that matter (`distributions`, already chosen)."""
    e = html.escape
    rows = table_rows(words, found)
    head = "".join(f"<th scope='col'>{e(h)}</th>" for h in _headers(words))
    body = "".join(
        f"<tr class='{e(row['level'])}'>"
        + "".join(f"<td>{e(cell)}</td>" for cell in _cells(row))
        + "</tr>"
        for row in rows
    )
    f = words.formats
    score_text = score_verdict(words, found.score)
    charts = "".join(
        f"<figure><figcaption>{e(words.name(d.feature))}</figcaption>{_svg_bars(words, d)}</figure>"
        for d in distributions
    )
    title = words("monitoring.drift_title")
    return f"""<!doctype html>
<html lang="{e(words.lang)}"><head><meta charset="utf-8">
<title>{e(title)} — {e(window_text)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #1f2328; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }}
tr.act td {{ background: #ffebe9; }} tr.watch td {{ background: #fff8c5; }}
figure {{ display: inline-block; margin: 1em; }}
</style></head><body>
<h1>{e(title)}</h1>
<p>{e(window_text)} · {e(words("monitoring.drift_model", version=found.model_version))}</p>
<p><strong>{e(summary(words, found))}</strong></p>
<p>{e(score_text)}</p>
<p>{
        e(
            words(
                "monitoring.drift_method",
                watch=f.number(PSI_WATCH, 2),
                act=f.number(PSI_ACT, 2),
                distance=f.number(DISTANCE_THRESHOLD, 1),
            )
        )
    }</p>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<h2>{e(words("monitoring.drift_distributions"))}</h2>
{charts}
</body></html>
"""
