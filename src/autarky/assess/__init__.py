"""Transitional: provenance records of the remaining hand-written API routes (chains, scenarios)."""
