"""Reflex configuration, derived from the validated CREDIT_APP_* settings."""

import os

import reflex as rx

from credit_app.config import load_settings
from credit_app.workers import respawn_dead_workers, state_store_url

os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
os.environ.setdefault("REFLEX_USE_NPM", "1")

settings = load_settings()
respawn_dead_workers()

config = rx.Config(
    app_name="credit_app",
    db_url=settings.database_url,
    redis_url=state_store_url(settings.redis_url),
    telemetry_enabled=False,
    frontend_port=settings.port,
    backend_port=settings.port,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                accent_color="teal", gray_color="slate", radius="medium", has_background=True
            )
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
