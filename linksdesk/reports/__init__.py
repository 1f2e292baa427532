"""Read-only aggregates for supervisors and their CSV/XLSX/PDF writers."""
