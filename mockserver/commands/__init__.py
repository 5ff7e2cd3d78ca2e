"""The `mockserver` subcommands, one module each; mockserver.cli wires them into one parser."""
