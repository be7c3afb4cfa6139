"""The one exception tree of Parallax.

::

    ParallaxError                 base of everything Parallax raises on purpose
    ├── InputError                the user's input is unusable; carries a one-line reason (exit 2)
    │   ├── SourceError           the source cannot be read: missing file, unsupported scheme
    │   ├── FetchError            a URL was refused or failed: private address, too large, bad type
    │   ├── DecodeError           the bytes are not text (binary, undecodable)
    │   ├── EmptyArticleError     no text once extracted and normalized
    │   └── ArticleTooLargeError  longer than the configured maximum
    ├── LimitError                a server's limit refuses the request (daily budget, cooldown)
    ├── ConfigError               parallax.toml or the environment is wrong (file, line, reason)
    ├── StoreError                the database cannot be opened or written
    ├── ProviderError             a model call failed (recorded as an ``error`` verdict)
    │   └── EndpointDown          the endpoint did not answer (refused, unreachable, no answer in
    │                             time): the check asks it nothing more
    └── SearchError               a search backend failed: HTTP status, rate limit, timeout,
                                  malformed answer (its results are lost, the others count)

Every message is one line, safe to show a user, and never contains a secret.
"""

from __future__ import annotations

from bot.redact import mask


class ParallaxError(Exception):
    """Base class: catch this to catch everything Parallax raises on purpose."""

    exit_code = 1

    def __init__(self, reason: str) -> None:
        # One line, always: multi-line reasons break terminal output and Discord embeds.
        # Masked here, once for every path: reasons are printed, logged, stored and shown.
        self.reason = mask(" ".join(str(reason).split()))
        super().__init__(self.reason)


class InputError(ParallaxError):
    """The input is unusable; the user can fix it. Exit status 2."""

    exit_code = 2


class SourceError(InputError):
    """The source cannot be read (missing file, unsupported scheme, unreadable path)."""


class FetchError(InputError):
    """A URL was refused before or during fetching (private address, size, type, redirects)."""


class DecodeError(InputError):
    """The bytes are not text."""


class EmptyArticleError(InputError):
    """No text is left after extraction and normalization."""


class ArticleTooLargeError(InputError):
    """The article is longer than the configured maximum."""


class LimitError(ParallaxError):
    """A limit set by the server or the operator refuses the request for now."""

    exit_code = 2


class ConfigError(ParallaxError):
    """The configuration file or environment is invalid."""

    exit_code = 2


class StoreError(ParallaxError):
    """The database cannot be opened, migrated or written."""


class ProviderError(ParallaxError):
    """A model call failed: API error, timeout, refusal, or invalid output after the retry."""


class EndpointDown(ProviderError):
    """The model's endpoint did not answer at all: connection refused, unreachable, or no
    answer within the call's timeout. Unlike a refusal or an invalid answer, asking the same
    endpoint again within one check would only wait again."""


class SearchError(ParallaxError):
    """A search backend gave no usable answer: an HTTP error status, a rate limit that lasts
    longer than the wait allowed, no answer within the call's timeout, or a body that is not
    the service's JSON. The reason names the backend and never contains its key."""
