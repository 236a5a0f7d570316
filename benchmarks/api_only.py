"""The product's REST API alone, as an ASGI app for benchmarks served by granian (the
routes, services and database of `credit-app serve`, without the Reflex frontend)."""

from credit_app.api.app import create_api

app = create_api()
