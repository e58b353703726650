"""Identity providers: OpenID Connect sign-in (Google, Microsoft, any OIDC issuer)."""
