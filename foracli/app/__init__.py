"""The application: Typer commands, completion and the presenter."""
