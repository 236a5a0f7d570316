"""Every page route in one place."""

HOME = "/"
LOGIN = "/login"
