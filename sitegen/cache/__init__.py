"""Work kept between builds: the memo of one process and the build cache on disk.

Below the pipeline, so that every stage can keep its results here: it may import only
``sitegen.errors`` and its own modules.
"""
