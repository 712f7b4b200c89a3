"""The msme service's routers, one module per area; `msme/api.py` mounts them in order."""
