"""Sync with the programme's central server: protocol, policy, merge, client, bundles."""
