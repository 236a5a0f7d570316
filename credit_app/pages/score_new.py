"""/score/new: score a new applicant from a form; what is wrong is said next to each field."""

from __future__ import annotations

import reflex as rx

from credit_app import routes
from credit_app.components.layout import page_title, signed_in_page
from credit_app.components.score_view import decision_summary, explanation_cards
from credit_app.components.text import Key, t
from credit_app.components.ui import alert, card, labelled, page_heading, select_control
from credit_app.domain import Channel
from credit_app.services.actors import Permission
from credit_app.services.errors import InvalidInput
from credit_app.state.applicant_fields import (
    NEW_APPLICANT_CATEGORIES,
    NEW_APPLICANT_NUMBERS,
    ApplicantField,
    parse_all,
    service_errors,
)
from credit_app.state.page import PageState, page_event
from credit_app.state.score_result import ScoreResultMixin
from credit_app.state.session import SessionState

NOT_GIVEN = "not-given"


class NewApplicantState(ScoreResultMixin, PageState, SessionState):
    permission = Permission.score
    errors: dict[str, str] = {}
    busy: bool = False

    @page_event
    async def submit(self, form: dict):  # type: ignore[no-untyped-def]
        words = self._words
        texts = {
            k: v for k, v in (form if isinstance(form, dict) else {}).items() if v != NOT_GIVEN
        }
        fields = (*NEW_APPLICANT_CATEGORIES, *NEW_APPLICANT_NUMBERS)
        applicant, errors = parse_all(words, fields, texts)
        self.errors, self.error, self.scored = errors, "", False
        if errors:
            self.error = words("field.error.correct_fields")
            return
        self.busy = True
        yield
        try:
            outcome = await self._run(
                self._services().scoring.score_applicant,
                applicant,
                channel=Channel.ui,
                explain=True,
            )
        except InvalidInput as exc:
            self.errors = service_errors(words, exc.details)
            self.error = words("field.error.correct_fields")
        else:
            self._show_score(words, outcome)
        finally:
            self.busy = False


def _field(field: ApplicantField) -> rx.Component:
    label = t(field.label_key, label=Key(f"feature.{field.column}"))
    if field.unit == "category":
        options = [(code, t(f"category.{field.column}.{code}")) for code in field.options]
        control = select_control(
            field.column, [(NOT_GIVEN, t("field.not_given")), *options], NOT_GIVEN
        )
    else:
        control = rx.input(
            id=field.column,
            name=field.column,
            input_mode="decimal",
            width="100%",
            aria_describedby=f"{field.column}-error",
        )
    return labelled(label, control, field.column, NewApplicantState.errors.get(field.column, ""))


def _section(title: rx.Var, fields: list[ApplicantField]) -> rx.Component:
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
            _section(t("new.applicant"), NEW_APPLICANT_CATEGORIES),
            _section(t("new.numbers"), NEW_APPLICANT_NUMBERS),
            rx.button(
                rx.icon("gauge", size=16, aria_hidden="true"),
                t("new.submit"),
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


@rx.page(route=routes.SCORE_NEW, title=page_title("new.title"), on_load=NewApplicantState.load)
def score_new_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            page_heading(t("new.title"), t("new.intro")),
            alert(NewApplicantState.error),
            rx.cond(
                NewApplicantState.permissions.contains(Permission.score.value),
                rx.vstack(
                    rx.card(_form(), width="100%"),
                    rx.cond(
                        NewApplicantState.scored,
                        rx.vstack(
                            card(t("new.result"), decision_summary(NewApplicantState)),
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
