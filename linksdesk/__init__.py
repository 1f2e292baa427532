"""LinksDesk: offline-first case recording for links workers."""

__version__ = "0.1.0"
