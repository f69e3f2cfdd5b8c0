"""Enquiries handed to hotline staff. ``records``: the ticket model and its tables;
``desk``: routing, the relay and staff actions; ``hours``: when a desk answers;
``wording``: how a ticket reads to staff."""

from bot.core.tickets.desk import TicketDesk
from bot.core.tickets.hours import office_hours
from bot.core.tickets.records import Ticket
from bot.core.tickets.wording import STATUS_NAMES, ticket_card

__all__ = ["STATUS_NAMES", "Ticket", "TicketDesk", "office_hours", "ticket_card"]
