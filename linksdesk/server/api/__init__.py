"""HTTP layer of the sync server: dependencies, routes and the body-size guard."""
