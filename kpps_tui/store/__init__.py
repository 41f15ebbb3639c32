"""The workspace on disk: TinyDB JSON files, durable writes, locking, change detection."""
