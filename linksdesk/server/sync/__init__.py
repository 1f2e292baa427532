"""The server's side of sync, one step a module: handshake, push, pull, verify, consent."""
