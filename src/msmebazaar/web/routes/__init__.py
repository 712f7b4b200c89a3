"""The portal's pages, one module per audience, gathered into one router."""

from __future__ import annotations

from fastapi import APIRouter

from msmebazaar.web.routes import (
    account,
    admin,
    buyer,
    deals,
    notifications,
    owner_listings,
    owner_profiles,
    public,
    signin,
    valuations,
)


def build_router() -> APIRouter:
    """Every page of the portal (fixed paths before parameterised ones within each module)."""
    router = APIRouter(include_in_schema=False)
    for module_router in (
        public.router,
        signin.router,
        account.router,
        valuations.router,
        owner_profiles.router,
        owner_profiles.documents_router,
        owner_listings.router,
        buyer.router,
        deals.router,
        notifications.router,
        admin.router,
    ):
        router.include_router(module_router)
    return router
