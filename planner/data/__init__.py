"""Made-up data: the bundled demo district and synthetic cities of any size."""
