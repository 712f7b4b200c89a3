"""Mandates: create, read, update (optimistic locking), delete, list; each saved with its vector.

A mandate is private to its owner and admins: anyone else asking for it gets 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from msmebazaar.auth.service import Principal, UserRole
from msmebazaar.match.embedders import Embedder
from msmebazaar.match.engine import MandateTerms
from msmebazaar.match.models import MANDATE, Mandate
from msmebazaar.match.schemas import MandateCreate, MandateRead, MandateUpdate
from msmebazaar.match.vectors import delete_vectors, embed_and_save
from msmebazaar.msme.service import get_sector
from msmebazaar.shared.exceptions import ConflictError, NotFoundError, ValidationError
from msmebazaar.shared.india import get_state
from msmebazaar.shared.pagination import PageParams, paginate

_RANGES = (
    ("ticket_min", "ticket_max"),
    ("revenue_min", "revenue_max"),
    ("stake_min", "stake_max"),
)


class MandateNotFoundError(NotFoundError):
    default_code = "MANDATE_NOT_FOUND"
    default_message = "No such mandate."


class VersionConflictError(ConflictError):
    default_code = "VERSION_CONFLICT"
    default_message = (
        "This was changed by someone else since you loaded it. Reload it and apply your change "
        "again."
    )


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """Sector codes known, states canonical, every min ≤ max; 422 naming each bad field."""
    failures: list[tuple[str, str, str]] = []
    for name in ("sectors", "exclude_sectors"):
        for position, code in enumerate(fields[name]):
            if get_sector(code) is None:
                message = f"Unknown sector {code!r}; see GET /msmes/sectors."
                failures.append((f"{name}.{position}", message, "SECTOR_UNKNOWN"))
    states = []
    for position, name in enumerate(fields["states"]):
        state = get_state(name)
        if state is None:
            failures.append((f"states.{position}", "Unknown state or UT.", "STATE_UNKNOWN"))
        else:
            states.append(state.name)
    for low, high in _RANGES:
        if fields[low] is not None and fields[high] is not None and fields[low] > fields[high]:
            failures.append((low, f"{low} is above {high}.", "RANGE_INVALID"))
    if set(fields["sectors"]) & set(fields["exclude_sectors"]):
        failures.append(
            ("exclude_sectors", "A sector is both wanted and excluded.", "RANGE_INVALID")
        )
    if failures:
        code = failures[0][2] if len(failures) == 1 else None
        details = [{"field": field, "message": message} for field, message, _ in failures]
        raise ValidationError(failures[0][1], code=code, details=details)
    deal_types = list(dict.fromkeys(str(getattr(d, "value", d)) for d in fields["deal_types"]))
    unique = {key: list(dict.fromkeys(fields[key])) for key in ("sectors", "exclude_sectors")}
    return fields | unique | {"states": list(dict.fromkeys(states)), "deal_types": deal_types}


def terms_of(mandate: Mandate) -> MandateTerms:
    """The engine's view of a stored mandate."""
    return MandateTerms(
        id=mandate.id,
        deal_types=frozenset(mandate.deal_types),
        sectors=frozenset(mandate.sectors),
        exclude_sectors=frozenset(mandate.exclude_sectors),
        states=frozenset(mandate.states),
        ticket_min=mandate.ticket_min,
        ticket_max=mandate.ticket_max,
        revenue_min=mandate.revenue_min,
        revenue_max=mandate.revenue_max,
        ebitda_positive_only=mandate.ebitda_positive_only,
        min_years=mandate.min_years,
        stake_min=mandate.stake_min,
        stake_max=mandate.stake_max,
        thesis=mandate.thesis,
    )


def thesis_text(mandate: Mandate) -> str:
    """What a mandate's vector embeds: its title and thesis."""
    return f"{mandate.title}\n{mandate.thesis}".strip() if mandate.thesis.strip() else ""


async def _save_vector(session: AsyncSession, embedder: Embedder, mandate: Mandate) -> None:
    text = thesis_text(mandate)
    if text:
        await embed_and_save(session, MANDATE, embedder, [(mandate.id, text)])
    else:
        await delete_vectors(session, MANDATE, mandate.id)


async def create_mandate(
    session: AsyncSession, user: Principal, data: MandateCreate, embedder: Embedder
) -> MandateRead:
    """Store a new mandate of the caller and its thesis vector."""
    fields = _checked(data.model_dump())
    mandate = Mandate(id=uuid.uuid4(), owner_id=user.id, version=1, **fields)
    session.add(mandate)
    await session.flush()
    await _save_vector(session, embedder, mandate)
    return MandateRead.model_validate(mandate)


async def load_mandate(session: AsyncSession, user: Principal, mandate_id: uuid.UUID) -> Mandate:
    """The mandate if the caller owns it or is an admin; 404 `MANDATE_NOT_FOUND` otherwise."""
    mandate = await session.get(Mandate, mandate_id)
    if mandate is None or (user.role != UserRole.ADMIN and mandate.owner_id != user.id):
        raise MandateNotFoundError()
    return mandate


async def get_mandate(session: AsyncSession, user: Principal, mandate_id: uuid.UUID) -> MandateRead:
    """One mandate the caller owns (or any, for an admin)."""
    return MandateRead.model_validate(await load_mandate(session, user, mandate_id))


async def update_mandate(
    session: AsyncSession,
    user: Principal,
    mandate_id: uuid.UUID,
    changes: MandateUpdate,
    embedder: Embedder,
) -> MandateRead:
    """Apply the fields sent; 409 `VERSION_CONFLICT` when `version` is stale."""
    mandate = await load_mandate(session, user, mandate_id)
    if changes.version is not None and changes.version != mandate.version:
        raise VersionConflictError()
    sent = changes.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("title", "deal_types", "sectors", "exclude_sectors", "states", "thesis"):
        if name in sent and sent[name] is None:
            raise ValidationError.for_field(name, f"{name} cannot be null.")
    current = MandateRead.model_validate(mandate).model_dump()
    fields = _checked({key: current[key] for key in MandateCreate.model_fields} | sent)
    old_text = thesis_text(mandate)
    for name, value in fields.items():
        setattr(mandate, name, value)
    try:
        await session.flush()
    except StaleDataError as exc:
        raise VersionConflictError() from exc
    if thesis_text(mandate) != old_text:
        await _save_vector(session, embedder, mandate)
    await session.refresh(mandate)
    return MandateRead.model_validate(mandate)


async def delete_mandate(session: AsyncSession, user: Principal, mandate_id: uuid.UUID) -> None:
    """Delete a mandate and its vectors."""
    mandate = await load_mandate(session, user, mandate_id)
    await delete_vectors(session, MANDATE, mandate.id)
    await session.delete(mandate)
    await session.flush()


async def list_mine(
    session: AsyncSession, user: Principal, params: PageParams
) -> tuple[list[MandateRead], int]:
    """The caller's mandates, newest first, one page."""
    statement = (
        select(Mandate)
        .where(Mandate.owner_id == user.id)
        .order_by(Mandate.created_at.desc(), Mandate.id)
    )
    rows, total = await paginate(session, statement, params)
    return [MandateRead.model_validate(row) for row in rows], total


async def active_mandates(session: AsyncSession) -> list[Mandate]:
    """Every active mandate (the seller's view and notifications score these)."""
    return list(await session.scalars(select(Mandate).where(Mandate.active.is_(True))))
