"""The ``linksdesk`` verbs: a module for each verb or family of verbs (parsers and ``cmd_*``)."""
