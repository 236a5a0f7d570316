"""Data, training and scoring commands: `data synth`, `train`, `score`."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ML sub-commands (filled in by the scoring-engine work)."""
