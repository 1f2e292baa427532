"""Run LinksDesk with ``python -m linksdesk``."""

from linksdesk.app import main

raise SystemExit(main())
