"""Names of the files and folders inside a workspace folder."""

WORKSPACE_FILE = "workspace.json"  # written last when a workspace is made: it marks one
LOCK_FILE = ".lock"
AUDIT_DIR = "audit"
BACKUP_DIR = "backups"

SCHEMA_VERSION = 1  # in workspace.json, table meta: the layout of the files this program reads
