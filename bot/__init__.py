"""Parallax: multilingual news summaries and claim-by-claim cross-checks by a panel of models."""

__version__ = "0.1.0"
