"""The `isp` command: migrate, token, run, up, events-doc."""
