"""The knowledge base on disk: file rules, YAML reading, the loader and its JSON Schema."""
