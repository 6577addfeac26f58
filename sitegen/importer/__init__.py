"""``sitegen import``: turn a city's open-data export into name cards, driven by a mapping file."""
