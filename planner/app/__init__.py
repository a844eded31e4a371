"""What the app shows, without streamlit: maps, tables, report, translations and upload state."""
