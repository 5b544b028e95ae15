"""regionplans: search and compare Swedish regions' health and life-science plans.

Stages, each a subpackage: ``ingest`` (files → documents → chunks), ``index``
(chunks → vectors in Qdrant → hits), ``compare`` (hits → region × aspect tables),
``eval`` (retrieval quality), ``ui`` (the Gradio app). The CLI is a thin layer
over these.
"""

__version__ = "0.1.0"
