"""Patient app (Streamlit). Arrives with issue #8."""
