"""sitegen: a static, multilingual, offline-capable city facility map generator."""

__version__ = "0.1.0"
