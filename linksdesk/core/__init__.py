"""Stdlib-only base: vocabulary, errors, ids, clocks, settings and measure scoring."""
