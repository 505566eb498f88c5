"""Sign in at the demo clinic's SMART authorization server the way a browser does, over plain HTTP.

Tests, benchmarks and scripts need real patient tokens without a browser: ``sign_in`` follows the same
redirects, fills the same login form and presses the same "Allow" button a person would (cookies and
all), then swaps the code for tokens with ``SmartPatientLaunch`` (PKCE S256). Nothing here bypasses the
server; a wrong password or a refusal fails exactly as it would in a browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from fhir_client.auth import AuthorizationRequest, SmartPatientLaunch, TokenResponse

APP_CLIENT_ID = "health-assistant-app"
PATIENT_SCOPES = (
    "openid",
    "fhirUser",
    "launch/patient",
    "offline_access",
    "patient/*.rs",
    "patient/Consent.cu",
)
# A loopback redirect (any port is accepted) that nothing listens on: the flow stops at it.
CALLBACK = "http://127.0.0.1:9/"
_FORM = re.compile(r'<form method="post" action="([^"]+)"')
_RADIO = re.compile(r'<input type="radio" name="patient" value="([^"]+)"')


class SignInFailed(RuntimeError):
    """The server did not hand out a code: wrong password, refusal, or an error page (message says which)."""


@dataclass(frozen=True)
class Redirect:
    """Where the authorization server sent the browser back to the app, with its query parameters."""

    url: str
    params: dict[str, str]


def _form_action(html: str, base: str) -> str:
    match = _FORM.search(html)
    if match is None:
        raise SignInFailed(f"the sign-in page has no form: {_text(html)[:300]}")
    return urljoin(base, unescape(match.group(1)))


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def authorize_in_browser(
    request: AuthorizationRequest,
    username: str,
    password: str,
    *,
    patient: str | None = None,
    approve: bool = True,
    timeout: float = 30.0,
) -> Redirect:
    """Open ``request.url``, sign in, pick ``patient`` (the first offered when None) and allow or deny;
    returns the redirect back to the app (``code``+``state``, or ``error``)."""
    with httpx.Client(timeout=timeout, follow_redirects=False) as browser:
        url = request.url
        for _ in range(12):
            response = browser.get(url)
            if response.is_redirect:
                url = urljoin(url, response.headers["location"])
                if url.startswith(request.redirect_uri):  # back at the app: never fetched
                    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
                    return Redirect(url, query)
                continue
            html = response.text
            if response.status_code >= 400 or "<form" not in html:
                raise SignInFailed(f"HTTP {response.status_code}: {_text(html)[:300]}")
            action = _form_action(html, url)
            if action.endswith("/login"):
                answer = browser.post(action, data={"username": username, "password": password})
                if answer.status_code == 200 and 'role="alert"' in answer.text:
                    raise SignInFailed(
                        f"the sign-in was refused for {username!r}: {_text(answer.text)[:200]}"
                    )
            elif action.endswith("/confirm"):
                offered = _RADIO.findall(html)
                chosen = patient if patient is not None else (offered[0] if offered else "")
                if patient is not None and patient not in offered:
                    raise SignInFailed(f"{patient} is not offered to {username!r} (offered: {offered})")
                answer = browser.post(
                    action, data={"patient": chosen, "decision": "allow" if approve else "deny"}
                )
            else:
                raise SignInFailed(f"unexpected form at {action}")
            if not answer.is_redirect:
                raise SignInFailed(f"HTTP {answer.status_code}: {_text(answer.text)[:300]}")
            url = urljoin(action, answer.headers["location"])
            if url.startswith(request.redirect_uri):
                return Redirect(url, {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()})
        raise SignInFailed("too many redirects during sign-in")


def sign_in(
    fhir_base_url: str,
    username: str,
    password: str,
    *,
    patient: str | None = None,
    scopes: Sequence[str] = PATIENT_SCOPES,
    client_id: str = APP_CLIENT_ID,
    redirect_uri: str = CALLBACK,
    launch: SmartPatientLaunch | None = None,
    clock: Callable[[], float] | None = None,
) -> TokenResponse:
    """Tokens for ``username`` (and the picked ``patient`` for a parent), by the standalone launch."""
    own = launch is None
    if launch is None:
        if clock is None:
            raise ValueError("sign_in needs a launch or a clock (seconds since the epoch) to judge tokens by")
        launch = SmartPatientLaunch(fhir_base_url, client_id, redirect_uri=redirect_uri, clock=clock)
    try:
        request = launch.authorization_url(list(scopes))
        back = authorize_in_browser(request, username, password, patient=patient)
        if "error" in back.params:
            raise SignInFailed(f"{back.params['error']}: {back.params.get('error_description', '')}")
        return launch.exchange_code(back.params["code"], back.params["state"])
    finally:
        if own:
            launch.close()
