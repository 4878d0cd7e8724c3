"""Kinds every package may import (api, auth, jobs, storage, runner): no imports from them."""
