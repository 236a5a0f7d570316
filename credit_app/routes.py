"""Every page route in one place."""

HOME = "/"
LOGIN = "/login"
CLIENTS = "/clients"
CLIENT = "/clients/[client_id]"
SCORE_NEW = "/score/new"
BATCH = "/batch"


def client(sk_id_curr: int | str) -> str:
    """The page of one client."""
    return f"{CLIENTS}/{sk_id_curr}"


MONITORING_SERVICE = "/monitoring/service"
MONITORING_DECISIONS = "/monitoring/decisions"
MONITORING_MODEL = "/monitoring/model"
MONITORING_OVERVIEW = "/monitoring"
MONITORING_DRIFT = "/monitoring/drift"
MONITORING_PERFORMANCE = "/monitoring/performance"
MONITORING_FAIRNESS = "/monitoring/fairness"
