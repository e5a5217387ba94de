"""factcheck: find attributed claims in a news article and check them against the cited originals.

The pipeline's stages, in order, are listed in :mod:`factcheck.pipeline`.
"""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/factcheck-dev/factcheck"
