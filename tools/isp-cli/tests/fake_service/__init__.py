"""A stand-in service package for the isp-cli tests."""
