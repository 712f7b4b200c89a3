"""The web portal: server-rendered pages for owners, buyers and admins over the services'
Python functions (never the app's own HTTP API)."""
