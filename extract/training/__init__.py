"""Training scripts for the models shipped in models/ (run with python -m)."""
