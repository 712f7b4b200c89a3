"""The notifications service: what happened that concerns a user, stored as an inbox, streamed
live to the portal, and sent on the channels the user chose (DESIGN.md §3 "Notifications")."""
