"""WhatsApp endpoints (DESIGN.md §3 "WhatsApp"): the providers' webhooks and the simulator.

Webhooks need no sign-in; each checks its provider's signature over the raw body. They store
what arrived and answer at once; the conversation runs after the answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse

from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.responses import DataResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep
from msmebazaar.whatsapp import service
from msmebazaar.whatsapp.schemas import SimulateRequest, SimulateResult, WebhookReceipt

router = APIRouter(prefix="/whatsapp", tags=["whatsapp"])
SIMULATE_PATH = "/whatsapp/simulate"

# Twilio reads the webhook's answer as TwiML: an empty one means "no reply here" (ours go
# through the outbox and Twilio's Messages API).
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_TWIML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/xml": {"example": EMPTY_TWIML}}, "description": "Empty TwiML"}
}


def public_url(request: Request, settings: Settings) -> str:
    """The URL the provider called, as the public sees it (`PUBLIC_BASE_URL` + path + query)."""
    base = settings.app.public_base_url.rstrip("/")
    query = request.url.query
    return f"{base}{request.url.path}" + (f"?{query}" if query else "")


@router.get(
    "/webhook",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, **error_responses(403)},
)
async def meta_handshake(
    runtime: RuntimeDep,
    mode: Annotated[str | None, Query(alias="hub.mode", max_length=32)] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token", max_length=256)] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=256)] = None,
) -> PlainTextResponse:
    """Meta's subscription handshake: echoes `hub.challenge` when the verify token matches."""
    handshake = service.meta_handshake(runtime.settings, mode, token, challenge)
    return PlainTextResponse(handshake)


@router.post(
    "/webhook", response_model=DataResponse[WebhookReceipt], responses=error_responses(400, 403)
)
async def meta_webhook(
    request: Request, session: SessionDep, background: BackgroundTasks, runtime: RuntimeDep
) -> DataResponse[WebhookReceipt]:
    """Meta Cloud API webhook (`X-Hub-Signature-256`): messages are stored, statuses recorded."""
    receipt, phones = await service.receive_meta(
        session,
        runtime.settings,
        await request.body(),
        request.headers.get("x-hub-signature-256"),
    )
    if phones:
        background.add_task(service.handle_in_background, runtime, phones)
    return ok(receipt, "Received.")


@router.post("/twilio", response_class=Response, responses={**_TWIML, **error_responses(400, 403)})
async def twilio_webhook(
    request: Request, session: SessionDep, background: BackgroundTasks, runtime: RuntimeDep
) -> Response:
    """Twilio WhatsApp webhook (form-encoded, `X-Twilio-Signature` over the public URL)."""
    _, phones = await service.receive_twilio(
        session,
        runtime.settings,
        await request.body(),
        public_url(request, runtime.settings),
        request.headers.get("x-twilio-signature"),
    )
    if phones:
        background.add_task(service.handle_in_background, runtime, phones)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post(
    "/twilio/status", response_class=Response, responses={**_TWIML, **error_responses(400, 403)}
)
async def twilio_status(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    ref: Annotated[str | None, Query(max_length=64, description="Our message id.")] = None,
) -> Response:
    """Twilio status callback (`StatusCallback` of our messages): sent, delivered, read, failed."""
    await service.receive_twilio_status(
        session,
        runtime.settings,
        body=await request.body(),
        url=public_url(request, runtime.settings),
        signature=request.headers.get("x-twilio-signature"),
        ref=ref,
    )
    return Response(EMPTY_TWIML, media_type="text/xml")


async def not_in_production(runtime: RuntimeDep) -> None:
    """The simulator does not exist in production."""
    if runtime.settings.is_production:
        raise NotFoundError("Not found.")


@router.post(
    SIMULATE_PATH.removeprefix(router.prefix),
    response_model=DataResponse[SimulateResult],
    responses=error_responses(404, 503),
    dependencies=[Depends(not_in_production)],
)
async def simulate(body: SimulateRequest, runtime: RuntimeDep) -> DataResponse[SimulateResult]:
    """Send one message to the bot and get its replies (for demos and tests; not in production)."""
    return ok(await service.simulate(runtime, body))
