"""Spec-driven generator of the Inference Gateway Python SDK (a dev tool; see docs/ARCHITECTURE.md)."""
