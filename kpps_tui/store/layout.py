"""Names of the files and folders inside a workspace folder."""

WORKSPACE_FILE = "workspace.json"  # written last when a workspace is made: it marks one
LOCK_FILE = ".lock"
GENERATION_FILE = ".generation"  # counts writes, so a writer knows at a glance if others wrote
JOURNAL_FILE = ".journal"  # a batch across several files while it is applied (store.journal)
AUDIT_DIR = "audit"
BACKUP_DIR = "backups"
CARDS_FILE = "cards.json"  # serial counter and printing settings
CARDS_DIR = "cards"  # issued cards per kecamatan
KEY_DIR = "keys"  # the card signing key
PRIVATE_KEY_FILE = "card-signing-key.pem"  # in KEY_DIR
USERS_FILE = "users.json"  # who may do what (table users); its presence says the log is chained

# Never rolled back by a restore: a revocation or a key must outlive any restore, or a
# withdrawn card would pass again and printed cards would no longer verify; a user removed
# must not come back with an old snapshot.
KEPT_ON_RESTORE = frozenset({CARDS_FILE, CARDS_DIR, KEY_DIR, USERS_FILE})

# Files whose loss is not damage: remembered import mappings, the demo's mark.
NOT_LISTED = frozenset({"imports.json", ".kpps-demo"})
FILES_TABLE = "files"  # in workspace.json: every data file the workspace holds (see Workspace)

SCHEMA_VERSION = 1  # in workspace.json, table meta: the layout of the files this program reads
