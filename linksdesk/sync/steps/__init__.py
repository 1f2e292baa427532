"""The steps of one sync, one job each; ``linksdesk.sync.engine`` runs them in order."""
