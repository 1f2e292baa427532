"""Tracebacks fit for logs: exception type and frames, never the message (it may quote people)."""

from __future__ import annotations

import traceback


def safe_traceback(exc: BaseException) -> str:
    """Exception type and stack frames without the message, which may hold personal data."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"{type(exc).__module__}.{type(exc).__qualname__}"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    return "\n".join(lines)
