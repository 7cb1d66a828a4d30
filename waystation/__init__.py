"""The `waystation` command line: run the system, load demo data, operate the streams."""
