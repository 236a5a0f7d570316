"""The Reflex application: pages, and the REST API on the same port."""

from __future__ import annotations

import reflex as rx

from credit_app.api.app import create_api
from credit_app.background import close_services_on_stop, roll_up_log
from credit_app.pages import (  # noqa: F401  (registers the pages)
    batch,
    client,
    clients,
    home,
    login,
    monitoring_decisions,
    monitoring_drift,
    monitoring_fairness,
    monitoring_model,
    monitoring_overview,
    monitoring_performance,
    monitoring_service,
    score_new,
)

# assets/contrast.css: Radix colours darkened to meet WCAG AA contrast.
app = rx.App(api_transformer=create_api(), stylesheets=["/contrast.css"])
app.register_lifespan_task(roll_up_log)
app.register_lifespan_task(close_services_on_stop)
