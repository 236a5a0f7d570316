"""Data, training and scoring commands: `data synth`, `train`, `score`."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from credit_app.cli.common import CommandError
from credit_app.ml import use_scoring_threads

if TYPE_CHECKING:
    from credit_app.ml.loader import LoadResult

SHOWN_PROBLEMS = 20


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ML sub-commands."""
    data = commands.add_parser("data", help="synthetic Home Credit data")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="COMMAND")
    synth = data_commands.add_parser(
        "synth", help="write synthetic applications in the Home Credit format"
    )
    synth.add_argument("--rows", type=int, default=10_000, help="number of applications")
    synth.add_argument("--seed", type=int, default=0, help="same seed, same bytes")
    synth.add_argument("--out", type=Path, required=True, help="CSV file to write")
    synth.set_defaults(handler=_synth)

    train = commands.add_parser("train", help="cross-validate and train a model")
    train.add_argument("--data", type=Path, required=True, help="Home Credit CSV with TARGET")
    train.add_argument("--out", type=Path, required=True, help="model directory to write")
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    train.add_argument("--cost-fn", type=float, default=10.0, help="cost of a missed default")
    train.add_argument("--cost-fp", type=float, default=1.0, help="cost of a refused good payer")
    train.set_defaults(handler=_train)

    score = commands.add_parser("score", help="score every row of a Home Credit CSV")
    score.add_argument("--model", type=Path, required=True, help="model directory")
    score.add_argument("--data", type=Path, required=True, help="Home Credit CSV")
    score.add_argument("--out", type=Path, required=True, help="CSV to write")
    score.set_defaults(handler=_score)


def _synth(args: argparse.Namespace) -> int:
    """Write a synthetic data file."""
    from credit_app.ml import synth

    if args.rows < 1:
        raise CommandError("--rows must be at least 1")
    synth.write_csv(synth.generate(args.rows, args.seed), args.out)
    print(f"wrote {args.rows} synthetic applications to {args.out}", file=sys.stderr)
    return 0


def _load(path: Path, *, require_target: bool) -> LoadResult:
    """Load a data file, reporting bad rows on stderr; user errors become CommandError."""
    from credit_app.ml.loader import DataFileError, load_applications

    try:
        result = load_applications(path, require_target=require_target)
    except DataFileError as exc:
        if len(exc.problems) > 1:
            for problem in exc.problems[:SHOWN_PROBLEMS]:
                print(f"{path}: {problem}", file=sys.stderr)
        raise CommandError(f"{path}: {exc}") from None
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(f"{path}: {problem}", file=sys.stderr)
    hidden = len(result.problems) - SHOWN_PROBLEMS
    if hidden > 0 or result.truncated:
        print(f"{path}: ... and more problems not shown", file=sys.stderr)
    if result.problems:
        skipped = len({p.line for p in result.problems})
        print(
            f"{path}: skipped {skipped}{'+' if result.truncated else ''} bad rows", file=sys.stderr
        )
    if result.frame.empty:
        raise CommandError(f"{path}: no valid rows left")
    return result


def _train(args: argparse.Namespace) -> int:
    """Train a model from a labelled file."""
    from credit_app.ml.artifacts import sha256_bytes
    from credit_app.ml.card import CostConfig
    from credit_app.ml.train import train_model

    if args.folds < 2:
        raise CommandError("--folds must be at least 2")
    if args.cost_fn <= 0 or args.cost_fp <= 0:
        raise CommandError("--cost-fn and --cost-fp must be positive")
    result = _load(args.data, require_target=True)
    try:
        card = train_model(
            result.frame,
            args.out,
            costs=CostConfig(fn=args.cost_fn, fp=args.cost_fp),
            folds=args.folds,
            data_sha256=sha256_bytes(args.data.read_bytes()),
            progress=lambda message: print(message, file=sys.stderr),
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    metrics = card.metrics
    print(
        f"model {card.version} written to {args.out}: AUC {metrics.auc:.4f} "
        f"(logistic baseline {metrics.baseline_logistic_auc:.4f}), "
        f"threshold {card.threshold:.4f}"
    )
    return 0


def _score(args: argparse.Namespace) -> int:
    """Score a file into SK_ID_CURR,probability,decision."""
    use_scoring_threads()  # before lightgbm is imported
    from credit_app.ml.model import CreditModel, ModelError
    from credit_app.ml.schema import ID_COLUMN

    try:
        model = CreditModel.load(args.model)
    except ModelError as exc:
        raise CommandError(str(exc)) from None
    result = _load(args.data, require_target=False)
    probabilities = model.predict_frame(result.frame)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([ID_COLUMN, "probability", "decision"])
        for applicant, p in zip(
            result.frame[ID_COLUMN].astype("int64").tolist(), probabilities.tolist(), strict=True
        ):
            writer.writerow(
                [applicant, f"{p:.6f}", "refuse" if p >= model.threshold else "approve"]
            )
    print(f"scored {len(probabilities)} rows into {args.out}", file=sys.stderr)
    return 0
