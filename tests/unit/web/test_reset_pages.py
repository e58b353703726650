"""The forgotten-password pages render their states, escape what they show and keep the token out of links."""

from __future__ import annotations

from web.pages import environment


def _render(template: str, **context) -> str:
    base = {"csrf_token": "t", "signed_in": False, "path": "/", "errors": {}, "values": {}, "message": None}
    return environment("en").get_template(template).render(**{**base, **context})


def test_the_request_page_says_the_same_whatever_the_address():
    html = _render("accounts/forgot.html", sent=True, values={"email": "<b>x</b>@example.com"})
    assert "If an account uses &lt;b&gt;x&lt;/b&gt;@example.com, we have sent it a link" in html
    assert "<form" not in html.split("<main")[1]


def test_the_new_password_page_carries_the_token_in_a_hidden_field_only():
    html = _render("accounts/reset.html", token='abc"><script>', min_password=10,
                   errors={"password": "must be 10 to 256 characters"})
    assert 'name="token" value="abc&#34;&gt;&lt;script&gt;"' in html
    assert "must be 10 to 256 characters" in html and 'aria-invalid="true"' in html


def test_the_request_page_is_in_spanish_for_a_spanish_reader():
    html = environment("es").get_template("accounts/forgot.html").render(
        csrf_token="t", signed_in=False, path="/", errors={}, values={}, message=None, sent=False)
    assert 'lang="es"' in html and "¿Olvidaste tu contraseña?" in html and "Enviar el enlace" in html
    assert "Forgot your password?" not in html
