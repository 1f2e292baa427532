"""The programme's central sync server (FastAPI + SQLAlchemy)."""
