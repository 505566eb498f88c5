"""Composition root: the CLI and the settings. Only this package (and the api/ui/evals roots) reads settings."""
