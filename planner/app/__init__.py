"""What the app shows, without streamlit: maps, tables, controls, report, words and uploads."""
