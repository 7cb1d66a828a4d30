"""Authentication shared by every service: signed short-lived tokens naming an Actor."""
