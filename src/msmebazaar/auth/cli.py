"""Auth commands: `msmebazaar create-admin`, `msmebazaar reset-second-factor`."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from msmebazaar.auth.channels import find_user_by_phone
from msmebazaar.auth.otp import parse_phone
from msmebazaar.auth.second_factor import reset_for_user
from msmebazaar.auth.users import create_or_promote_admin
from msmebazaar.shared.cache import create_cache
from msmebazaar.shared.config import get_settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import mask_phone

app = typer.Typer(add_completion=False)
console = Console(stderr=True)


async def _reset_second_factor(phone: str) -> bool | None:
    settings = get_settings()
    database = Database.from_settings(settings.database)
    cache = create_cache(settings.redis)
    try:
        async with database.session() as session:
            user = await find_user_by_phone(session, phone)
            if user is None:
                return None
            return await reset_for_user(session, cache, user.id)
    finally:
        await cache.close()
        await database.dispose()


@app.command("reset-second-factor")
def reset_second_factor(
    phone: Annotated[str, typer.Option(help="The user's Indian mobile number.")],
) -> None:
    """Remove a user's two-step sign-in when they lost both their authenticator app and their
    recovery codes: check who they are first. Every sign-in of theirs ends; it is audited."""
    try:
        e164 = parse_phone(phone)
    except ValidationError as exc:
        raise typer.BadParameter(exc.message, param_hint="--phone") from exc
    outcome = asyncio.run(_reset_second_factor(e164))
    if outcome is None:
        console.print(f"No user has the number {mask_phone(e164)}.")
        raise typer.Exit(code=1)
    if not outcome:
        console.print(f"{mask_phone(e164)} has no two-step sign-in: nothing to remove.")
        return
    console.print(
        f"Removed two-step sign-in of {mask_phone(e164)} and ended their sign-ins. They sign in "
        "with the SMS code and set it up again (admins must before anything else)."
    )


async def _create_admin(phone: str, name: str) -> tuple[str, bool]:
    database = Database.from_settings(get_settings().database)
    try:
        async with database.session() as session:
            user, created = await create_or_promote_admin(session, phone=phone, name=name)
    finally:
        await database.dispose()
    return str(user.id), created


@app.command("create-admin")
def create_admin(
    phone: Annotated[str, typer.Option(help="The admin's Indian mobile number.")],
    name: Annotated[str, typer.Option(help="The admin's name.")],
) -> None:
    """Create an admin, or promote the user with this phone to admin."""
    try:
        e164 = parse_phone(phone)
    except ValidationError as exc:
        raise typer.BadParameter(exc.message, param_hint="--phone") from exc
    if not name.strip():
        raise typer.BadParameter("Give a name.", param_hint="--name")
    user_id, created = asyncio.run(_create_admin(e164, name.strip()[:120]))
    verb = "Created" if created else "Promoted"
    console.print(f"{verb} admin {mask_phone(e164)} (id {user_id}).")
    console.print(
        "Next: sign in with the SMS code, then set up two-step sign-in before anything else: "
        "admins need it. In the portal: My account, Two-step sign-in. Through the API: "
        "POST /api/v1/auth/2fa/totp/setup (scan its otpauth_uri), then "
        "POST /api/v1/auth/2fa/totp/enable {code}. Keep the ten recovery codes it shows."
    )
