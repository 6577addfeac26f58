"""Languages: localized text, Chinese script conversion, and the search keys of names.

A foundation of the pipeline: it may import ``sitegen.errors``, ``sitegen.workers`` and its
own modules, nothing of the stages.
"""
