"""The GPU runner's side: request/result types shared with the API (no torch here) and the worker."""
