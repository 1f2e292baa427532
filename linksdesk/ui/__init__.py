"""The PySide6 desktop: windows, views, item models, dialogs and background jobs."""
