"""Access: how far people are from a place — straight-line and walking-network distances."""
