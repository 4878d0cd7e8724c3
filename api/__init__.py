"""The HTTP API (FastAPI), mounted in the BentoML API service. It never imports torch."""
