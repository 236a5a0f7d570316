"""Credit Risk Desk: default-risk scoring, explanations and monitoring for a lender."""

__version__ = "0.1.0"
