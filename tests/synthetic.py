"""Values every test kit shares: the passphrases of the synthetic vaults tests make."""

PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "lantern otter meadow quartz"  # what a test changes a passphrase to
