"""Help for the user: access keys, the keyboard shortcuts list, diagnostics and About."""
