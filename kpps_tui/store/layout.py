"""Names of the files and folders inside a workspace folder."""

WORKSPACE_FILE = "workspace.json"  # written last when a workspace is made: it marks one
LOCK_FILE = ".lock"
AUDIT_DIR = "audit"
BACKUP_DIR = "backups"
