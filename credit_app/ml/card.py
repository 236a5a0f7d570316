"""The model card: what a trained model is, how it was trained and how well it did.

Written as `model_card.json` beside the model and validated whenever a model loads.
`PublicCard` is what people and callers may read; `ModelCard` adds the reference
distributions of the training data, which stay on the server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    model_validator,
)
from pydantic.dataclasses import dataclass

Share = Annotated[float, Field(ge=0, le=1)]
# "+00:00" as the training wrote it, where pydantic would write "Z".
Timestamp = Annotated[
    AwareDatetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")
]


class _Section(BaseModel):
    """A part of the card: unknown keys and changes after loading are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class CostConfig:
    """Cost of a missed default (fn) and of a refused good payer (fp)."""

    fn: float = Field(default=10.0, gt=0)
    fp: float = Field(default=1.0, gt=0)


class Metrics(_Section):
    """Out-of-fold quality of the model and its business cost at the chosen threshold."""

    auc: Share
    baseline_logistic_auc: Share
    business_cost: float = Field(ge=0)
    business_cost_per_applicant: float = Field(ge=0)
    business_cost_at_0_5: float = Field(ge=0)
    folds: int = Field(ge=2)


class TrainingData(_Section):
    """The labelled rows the model learnt from."""

    rows: int = Field(gt=0)
    default_rate: Share
    sha256: str | None = Field(pattern="^[0-9a-f]{64}$")


class NumericReference(_Section):
    """Quantile bin edges, the share of present values per bin (outer bins open) and missing."""

    kind: Literal["numeric"] = "numeric"
    edges: list[float]
    proportions: list[Share]
    missing: Share

    @model_validator(mode="after")
    def _one_share_per_bin(self) -> Self:
        if len(self.proportions) != max(len(self.edges) - 1, 0):
            raise ValueError("needs one proportion per bin between consecutive edges")
        if self.edges != sorted(self.edges):
            raise ValueError("edges must be in ascending order")
        return self


class CategoricalReference(_Section):
    """The share of each category (by name) and the share of missing values."""

    kind: Literal["categorical"] = "categorical"
    frequencies: dict[str, Share]
    missing: Share


FeatureReference = Annotated[NumericReference | CategoricalReference, Field(discriminator="kind")]


class ScoreReference(_Section):
    """Histogram and quantiles of the out-of-fold probabilities of default."""

    edges: list[float]
    proportions: list[Share]
    quantiles: list[Share]


class Reference(_Section):
    """The training population, for drift monitoring and population charts."""

    features: dict[str, FeatureReference]
    oof_scores: ScoreReference


class PublicCard(_Section):
    """Everything on the card but the reference distributions."""

    card_schema: Literal[1] = 1
    version: str = Field(min_length=1)
    created_at: Timestamp
    threshold: Share
    decision_rule: str
    costs: CostConfig
    metrics: Metrics
    data: TrainingData
    features: list[str]
    categorical_features: list[str]
    params: dict[str, JsonValue]
    libraries: dict[str, str]
    importance: dict[str, float]
    training_seconds: float = Field(ge=0)
    model_file: str
    model_sha256: str = Field(pattern="^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _about_its_own_features(self) -> Self:
        if not set(self.categorical_features) <= set(self.features):
            raise ValueError("categorical_features names features the model lacks")
        if set(self.importance) != set(self.features):
            raise ValueError("importance must rank exactly the model's features")
        return self


class ModelCard(PublicCard):
    """The whole card, as stored beside the model."""

    reference: Reference

    @model_validator(mode="after")
    def _references_every_feature(self) -> Self:
        if set(self.reference.features) != set(self.features):
            raise ValueError("reference.features must describe exactly the model's features")
        return self

    def public(self) -> PublicCard:
        """The card without its reference distributions (sections shared, not copied)."""
        return PublicCard.model_validate(
            {name: getattr(self, name) for name in PublicCard.model_fields}
        )
