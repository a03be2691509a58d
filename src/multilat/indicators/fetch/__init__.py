"""Online fetchers (World Bank API v2, IMF JSON web service) with a cache and polite retries."""

from ..._http import HttpClient, default_cache_dir
from .imf import fetch_imf_dots
from .worldbank import fetch_worldbank_indicator

__all__ = ["HttpClient", "default_cache_dir", "fetch_imf_dots", "fetch_worldbank_indicator"]
