"""Positions: the coordinate systems of Chinese web maps (WGS-84, GCJ-02, BD-09), where
mainland China is, and distances.

A foundation of the pipeline: it imports nothing of sitegen but its own modules.
"""
