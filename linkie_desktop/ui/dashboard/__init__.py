"""The Dashboard tab: this week at a glance, from the database, updated live."""
