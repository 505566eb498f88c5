"""One module per CLI command group; each exposes ``register(app)`` so commands stay independent."""
