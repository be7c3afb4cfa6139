"""Presentation: the same Report rendered for people (terminal, Discord) and machines (JSON)."""
