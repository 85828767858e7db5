"""Bearer tokens for schemathesis, loaded through SCHEMATHESIS_HOOKS by e2e/fuzz/fuzz.ts.

Operations whose spec asks for a token get one, chosen by path (the first provider whose filter
matches wins):
- /auth/logout and /users/me/sessions[/{id}]: a session of a third account, signed in afresh for
  every case, straight at identity (the gateway's login limit is part of what is fuzzed and must not
  be spent here). Logout ends the session it is called with, and the stateful phase revokes the
  sessions that the list shows: with the user's token, every later case would only test the 401.
- /admin/...: the admin's token, so admin routes are fuzzed past the 403.
- everything else: the verified user's token. change-password, request-deletion and the 2FA routes
  keep it: they need the current password or a TOTP code, which the fuzzer cannot know, so their
  cases reach validation, the lock (423) and the policy, never a change that would end the token.
Admin actions that change an account (disable, delete, end its sessions, ...) never reach the three
accounts the run stands on: the stateful phase finds their ids in the admin's user list, and would
otherwise sign them out for the rest of the run. Such a call goes to an unknown id instead, which
still fuzzes the route (its 404).
The user's and the admin's tokens are fetched from the driver (FUZZ_TOKEN_URL/user, /admin), which
renews them at half their life; they are fetched again every few seconds, so a run longer than
ACCESS_TOKEN_TTL keeps sending live tokens. The driver passes the third account in FUZZ_* variables.
"""

import json
import os
import urllib.request
import uuid

import schemathesis


def _needs_token(ctx) -> bool:
    return bool(ctx.operation.definition.raw.get("security"))


def _ends_sessions(ctx) -> bool:
    path = ctx.operation.path
    return path == "/auth/logout" or path.startswith("/users/me/sessions")


def _is_admin(ctx) -> bool:
    return ctx.operation.path.startswith("/admin/")


def _bearer(case, token: str) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


# Well inside the half-life at which the driver renews: a token handed out is never near its expiry.
RENEWED_EVERY_SECONDS = 5


def _renewed(name: str) -> str:
    with urllib.request.urlopen(f"{os.environ['FUZZ_TOKEN_URL']}/{name}", timeout=30) as response:
        return response.read().decode()


@schemathesis.auth(refresh_interval=None).apply_to(_ends_sessions)
class FreshSession:
    def get(self, case, ctx):
        body = json.dumps({"email": os.environ["FUZZ_SESSIONS_EMAIL"], "password": os.environ["FUZZ_SESSIONS_PASSWORD"]})
        request = urllib.request.Request(
            f"{os.environ['FUZZ_IDENTITY_URL']}/auth/login",
            data=body.encode(),
            headers={"content-type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["access_token"]

    def set(self, case, data, ctx):
        _bearer(case, data)


@schemathesis.auth(refresh_interval=RENEWED_EVERY_SECONDS).apply_to(lambda ctx: _is_admin(ctx) and _needs_token(ctx))
class AdminToken:
    def get(self, case, ctx):
        return _renewed("admin")

    def set(self, case, data, ctx):
        _bearer(case, data)


@schemathesis.auth(refresh_interval=RENEWED_EVERY_SECONDS).apply_to(_needs_token)
class UserToken:
    def get(self, case, ctx):
        return _renewed("user")

    def set(self, case, data, ctx):
        _bearer(case, data)


PROTECTED_IDS = frozenset(filter(None, os.environ.get("FUZZ_PROTECTED_IDS", "").split(",")))


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    parameters = case.path_parameters or {}
    changes_account = case.method.upper() != "GET" and case.operation.path.startswith("/admin/users/{")
    if changes_account and parameters.get("id") in PROTECTED_IDS:
        case.path_parameters = {**parameters, "id": str(uuid.uuid4())}
