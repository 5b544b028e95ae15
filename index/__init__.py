"""Index: chunks → dense and Swedish-aware sparse vectors in Qdrant → hybrid search hits."""
