"""The Gradio app: search, compare, browse and add documents in a browser."""
