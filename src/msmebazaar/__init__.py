"""MSMEBazaar: a marketplace for Indian micro, small and medium enterprises."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("msmebazaar")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
