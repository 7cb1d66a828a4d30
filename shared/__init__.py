"""Waystation's shared kernel: event contracts and the messaging kit every service uses."""
