"""Bearer authentication bound to one patient: API tokens (issued by the CLI) and SMART JWTs."""

from api.auth.authenticator import Authenticator
from api.auth.principal import Principal
from api.auth.scopes import API_TOKEN_SCOPES, grants, parse_scopes
from api.auth.smart import SmartConfig, SmartKeysUnavailable, SmartTokenInvalid, SmartVerifier
from api.auth.tokens import ApiTokenStore, IssuedToken, TokenInfo, TokenInvalid

__all__ = [
    "API_TOKEN_SCOPES",
    "ApiTokenStore",
    "Authenticator",
    "IssuedToken",
    "Principal",
    "SmartConfig",
    "SmartKeysUnavailable",
    "SmartTokenInvalid",
    "SmartVerifier",
    "TokenInfo",
    "TokenInvalid",
    "grants",
    "parse_scopes",
]
