"""Opening hours: the ``opening_hours`` grammar and its Chinese forms, the public-holiday
calendars, compiling into open intervals per day, and describing them in words.

A foundation of the pipeline: it imports nothing of sitegen but ``sitegen.errors`` and its
own modules.
"""
