"""The citizen-report endpoint: an Open311 GeoReport v2 service that loses nothing.

``create_app`` (in ``app``) builds the ASGI application; ``cli`` has the commands.
"""
