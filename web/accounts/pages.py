"""The account pages: log in, create an account, log out (/login, /signup, /logout)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.accounts.rules import MIN_PASSWORD
from web import session
from web.pages import call_api, language_of, passing_on, redirect, render

blueprint = faust_web.Blueprint("account_pages")


@blueprint.route("/login", name="login")
class Login(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if session.token_of(request):
            return redirect("/")
        return await _login_page(request, {}, {"next": request.query.get("next", "/")})

    async def post(self, request: web.Request) -> web.Response:
        form = await request.post()
        values = {"email": form.get("email", ""), "next": form.get("next", "/")}
        answer = await call_api(request, "POST", "/api/v1/auth/login",
                                {"email": values["email"], "password": form.get("password", "")})
        if not answer.ok:
            return passing_on(await _login_page(request, {}, values, answer, status=answer.status), answer)
        session.sign_in(request, answer.body)
        return redirect(_local(values["next"]))


@blueprint.route("/signup", name="signup")
class Signup(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        values = {"invitation": request.query.get("invitation", ""), "email": request.query.get("email", "")}
        return render(request, "accounts/signup.html", errors={}, values=values, min_password=MIN_PASSWORD,
                      message=None)

    async def post(self, request: web.Request) -> web.Response:
        form = await request.post()
        values = {k: str(form.get(k, "")).strip() for k in ("name", "email", "time_zone", "invitation")}
        body = {"name": values["name"], "email": values["email"], "password": form.get("password", ""),
                "locale": language_of(request)}
        body |= {k: values[k] for k in ("time_zone", "invitation") if values[k]}
        answer = await call_api(request, "POST", "/api/v1/auth/signup", body)
        if answer.ok:
            answer = await call_api(request, "POST", "/api/v1/auth/login",
                                    {"email": values["email"], "password": body["password"]})
        if not answer.ok:
            return passing_on(render(request, "accounts/signup.html", status=answer.status,
                                     errors=answer.field_errors(), values=values, min_password=MIN_PASSWORD,
                                     message=answer.title), answer)
        session.sign_in(request, answer.body)
        return redirect("/")


@blueprint.route("/logout", name="logout")
class Logout(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        if refresh := session.refresh_token_of(request):
            await call_api(request, "POST", "/api/v1/auth/logout", {"refresh_token": refresh})
        session.sign_out(request)
        return redirect("/login")


async def _login_page(request: web.Request, errors: dict, values: dict, answer=None, status: int = 200):
    providers = await call_api(request, "GET", "/api/v1/auth/providers")
    message = answer.title if answer is not None else None
    return render(request, "accounts/login.html", status=status, errors=errors, values=values,
                  next=values.get("next"), message=message, password_reset=request.query.get("reset") == "done",
                  providers=providers.body.get("items", []) if providers.ok and providers.body else [])


def _local(target: str) -> str:
    """Only a path on this site: an open redirect would let a phishing link borrow our login page."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"
