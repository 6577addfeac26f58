"""Reading what editors write: YAML that remembers where each value was written, and the
typed fields (the schema) that check it and describe it as JSON Schema.

A foundation of the pipeline: it may import only ``sitegen.errors`` and its own modules.
"""
