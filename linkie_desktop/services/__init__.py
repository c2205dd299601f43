"""Application services over the database and the network. No Qt here."""
