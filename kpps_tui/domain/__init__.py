"""Pure rules and nouns of KPPS formation: no I/O, no Textual, no TinyDB."""
