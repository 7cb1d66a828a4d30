"""The messaging kit: transactional outbox, idempotent consumer, reclaimer and dead letters."""

from shared.messaging.errors import PermanentError
from shared.messaging.tables import KitTables, kit_tables
from shared.messaging.uow import UnitOfWork

__all__ = ["KitTables", "PermanentError", "UnitOfWork", "kit_tables"]
