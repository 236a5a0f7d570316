"""/score/new: score a new applicant from a form; what is wrong is said next to each field."""

from __future__ import annotations

import asyncio

import reflex as rx

from credit_app import routes
from credit_app.components.layout import APP_TITLE, signed_in_page
from credit_app.components.score_view import decision_summary, explanation_cards
from credit_app.components.ui import alert, card, labelled, page_heading, select_control
from credit_app.db.models import Channel
from credit_app.services.actors import Permission
from credit_app.services.container import get_services
from credit_app.services.errors import InvalidInput, ServiceError
from credit_app.state.applicant_fields import (
    NEW_APPLICANT_CATEGORIES,
    NEW_APPLICANT_NUMBERS,
    ApplicantField,
    parse_all,
    service_errors,
)
from credit_app.state.score_result import ScoreResultMixin
from credit_app.state.session import SessionState

NOT_GIVEN = "not-given"


class NewApplicantState(ScoreResultMixin, SessionState):
    errors: dict[str, str] = {}
    error: str = ""
    busy: bool = False

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.errors, self.error, self.scored = {}, "", False
        if not await self._resume():
            return rx.redirect(routes.LOGIN)
        if Permission.score not in self.permissions:
            self.error = f"The {self.role} role may not score applicants."
        return None

    @rx.event
    async def submit(self, form: dict):  # type: ignore[no-untyped-def]
        texts = {
            k: v for k, v in (form if isinstance(form, dict) else {}).items() if v != NOT_GIVEN
        }
        applicant, errors = parse_all((*NEW_APPLICANT_CATEGORIES, *NEW_APPLICANT_NUMBERS), texts)
        self.errors, self.error, self.scored = errors, "", False
        if errors:
            self.error = "Some fields need a correction: see the messages next to them."
            return
        self.busy = True
        yield
        scoring = get_services().scoring
        try:
            actor = await self._checked_actor()
            outcome = await asyncio.to_thread(
                scoring.score_applicant, actor, applicant, channel=Channel.ui, explain=True
            )
        except InvalidInput as exc:
            self.errors = service_errors(exc.details)
            self.error = "Some fields need a correction: see the messages next to them."
        except ServiceError as exc:
            self.error = str(exc).capitalize() + "."
        else:
            self._show(outcome)
        finally:
            self.busy = False


def _field(field: ApplicantField) -> rx.Component:
    if field.unit == "category":
        control = select_control(
            field.column, [(NOT_GIVEN, "Not given"), *field.options], NOT_GIVEN
        )
    else:
        control = rx.input(
            id=field.column,
            name=field.column,
            input_mode="decimal",
            width="100%",
            aria_describedby=f"{field.column}-error",
        )
    return labelled(
        field.label, control, field.column, NewApplicantState.errors.get(field.column, "")
    )


def _section(title: str, fields: list[ApplicantField]) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(title, font_weight="600", margin_bottom="0.5em"),
        rx.grid(
            *[_field(f) for f in fields],
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            gap="1em",
            width="100%",
        ),
        border="none",
        padding="0",
        margin="0",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _section("The applicant", NEW_APPLICANT_CATEGORIES),
            _section("Age, family, loan, income and scores", NEW_APPLICANT_NUMBERS),
            rx.button(
                rx.icon("gauge", size=16, aria_hidden="true"),
                "Score applicant",
                type="submit",
                size="3",
                loading=NewApplicantState.busy,
            ),
            spacing="5",
            width="100%",
        ),
        on_submit=NewApplicantState.submit,
        reset_on_submit=False,
        width="100%",
    )


@rx.page(
    route=routes.SCORE_NEW, title=f"New applicant · {APP_TITLE}", on_load=NewApplicantState.load
)
def score_new_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            page_heading(
                "New applicant",
                "Score an application that is not on file yet. Empty fields count as not given.",
            ),
            alert(NewApplicantState.error),
            rx.cond(
                NewApplicantState.permissions.contains("score"),
                rx.vstack(
                    rx.card(_form(), width="100%"),
                    rx.cond(
                        NewApplicantState.scored,
                        rx.vstack(
                            card("Result", decision_summary(NewApplicantState)),
                            explanation_cards(NewApplicantState),
                            spacing="4",
                            width="100%",
                            id="result",
                        ),
                    ),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
