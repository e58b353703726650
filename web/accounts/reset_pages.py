"""The forgotten-password pages: ask for a reset link (/forgot-password), set a new password (/reset-password)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.accounts.reset import PAGE_PATH
from domain.accounts.rules import MIN_PASSWORD
from web.pages import call_api, passing_on, redirect, render

blueprint = faust_web.Blueprint("reset_pages")


@blueprint.route("/forgot-password", name="forgot")
class Forgot(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        return render(request, "accounts/forgot.html", errors={}, values={}, message=None, sent=False)

    async def post(self, request: web.Request) -> web.Response:
        email = str((await request.post()).get("email", "")).strip()
        answer = await call_api(request, "POST", "/api/v1/auth/password-reset", {"email": email})
        if not answer.ok:
            page = render(request, "accounts/forgot.html", status=answer.status, errors=answer.field_errors(),
                          values={"email": email}, message=answer.title, sent=False)
            return passing_on(page, answer)
        # The same answer whether the address has an account or not, as the API's.
        return render(request, "accounts/forgot.html", errors={}, values={"email": email}, message=None, sent=True)


@blueprint.route(PAGE_PATH, name="reset")
class Reset(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        return _page(request, request.query.get("token", ""), {}, None)

    async def post(self, request: web.Request) -> web.Response:
        form = await request.post()
        token = str(form.get("token", ""))
        answer = await call_api(request, "POST", "/api/v1/auth/password-reset/confirm",
                                {"token": token, "password": form.get("password", "")})
        if not answer.ok:
            return passing_on(_page(request, token, answer.field_errors(), answer.title, answer.status), answer)
        return redirect("/login?reset=done")


def _page(request: web.Request, token: str, errors: dict, message: str | None, status: int = 200) -> web.Response:
    # The token stays out of the page's links: a no-referrer policy keeps it from leaving with a click.
    response = render(request, "accounts/reset.html", status=status, errors=errors, values={}, token=token,
                      message=message, min_password=MIN_PASSWORD)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
