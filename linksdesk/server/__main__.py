"""Run the server's command line with ``python -m linksdesk.server`` (as ``linksdesk-server``)."""

from linksdesk.server.cli import main

raise SystemExit(main())
