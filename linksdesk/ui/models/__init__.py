"""Qt item models over casework DTOs; they never call casework or SQL."""
