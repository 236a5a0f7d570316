"""Small building blocks shared by the officer pages: fields, badges, cards, messages."""

from __future__ import annotations

import reflex as rx

from credit_app.components.text import t

Text = str | rx.Var


def _badge(icon: str, text: Text, color: str, size: str) -> rx.Component:
    return rx.badge(
        rx.icon(icon, size=16, aria_hidden="true"),
        text,
        color_scheme=color,
        size=size,
        variant="solid",
    )


def decision_badge(decision: rx.Var[str] | str, size: str = "3") -> rx.Component:
    """The decision in words with an icon: never conveyed by colour alone."""
    return rx.match(
        decision,
        ("approve", _badge("circle-check", t("decision.approve"), "green", size)),
        ("refuse", _badge("circle-x", t("decision.refuse"), "red", size)),
        rx.badge(t("decision.none"), color_scheme="gray", size=size, variant="soft"),
    )


def alert(message: rx.Var[str], color: str = "red") -> rx.Component:
    """A message shown only when there is one, announced to screen readers."""
    return rx.cond(
        message != "",
        rx.callout(
            message,
            icon="triangle-alert" if color == "red" else "info",
            color_scheme=color,
            role="alert",
            width="100%",
        ),
    )


def card(title: Text, *children: rx.Component, **props: object) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        min_width="0",
        **props,
    )


def labelled(
    label: Text, control: rx.Component, field_id: str, error: rx.Var[str] | None = None
) -> rx.Component:
    """A control with its visible label and, below it, its validation message if any."""
    parts = [
        rx.el.label(label, html_for=field_id, font_size="0.875rem", font_weight="500"),
        control,
    ]
    if error is not None:
        parts.append(
            rx.cond(
                error != "",
                rx.text(
                    rx.icon("circle-alert", size=14, aria_hidden="true"),
                    " ",
                    error,
                    color_scheme="red",
                    size="1",
                    id=f"{field_id}-error",
                    role="alert",
                    display="flex",
                    align_items="center",
                    gap="0.25em",
                ),
            )
        )
    return rx.flex(*parts, direction="column", gap="0.3em", width="100%")


def select_control(
    field_id: str, options: list[tuple[str, Text]], default: str, **props: object
) -> rx.Component:
    """A Radix select whose trigger carries the id its label points at."""
    return rx.select.root(
        rx.select.trigger(id=field_id, width="100%"),
        rx.select.content(*[rx.select.item(text, value=value) for value, text in options]),
        name=field_id,
        default_value=default,
        **props,
    )


def page_heading(title: Text, subtitle: Text) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="7", as_="h1"),
        rx.text(subtitle, color_scheme="gray"),
        spacing="1",
        width="100%",
    )


def hint(*children: rx.Component | Text, size: str = "2", **props: object) -> rx.Component:
    """A secondary text (explanations, counts) in a grey that keeps AA contrast."""
    return rx.text(*children, size=size, color=rx.color("gray", 11), **props)


def file_drop(*children: rx.Component, labelled_by: str, **props: object) -> rx.Component:
    """rx.upload whose file input is named by the elements with the ids in `labelled_by`.

    The input is hidden from sight but not from screen readers, and rx.upload passes no
    props to it: they are set on it here.
    """
    upload = rx.upload(*children, **props)
    zone = upload.children[0]
    file_input = zone.children[0]
    if getattr(file_input, "tag", None) != "input":
        raise TypeError("rx.upload no longer starts its drop zone with the file input")
    file_input.custom_attrs["aria-labelledby"] = labelled_by
    return upload


def stat(label: Text, value: rx.Var | str, stat_id: str) -> rx.Component:
    """A figure with its name above it, in a card of its own."""
    return rx.card(hint(label), rx.heading(value, size="6", id=stat_id), width="100%")


def stat_row(*stats: rx.Component) -> rx.Component:
    """Figures side by side (`stat`s), two a row on phones."""
    return rx.grid(
        *stats, columns=rx.breakpoints(initial="2", md=str(len(stats))), gap="1em", width="100%"
    )
