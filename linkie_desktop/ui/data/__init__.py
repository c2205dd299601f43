"""Your data: the Trash, backups and their restore, export and import (File menu, issue 17)."""
