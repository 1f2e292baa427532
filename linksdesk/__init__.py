"""LinksDesk: offline-first case recording for links workers."""

__version__ = "0.1.0"
APP_NAME = "LinksDesk"  # also the name of its folders for data, settings and logs
