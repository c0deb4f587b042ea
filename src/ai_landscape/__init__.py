"""ai-landscape: a versioned, validated record of the AI model landscape."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ai-landscape")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
