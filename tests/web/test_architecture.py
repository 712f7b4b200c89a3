"""The portal's boundaries: it reaches services only through their `service` and `schemas`
modules, and nothing imports it (checked on the real import graph)."""

from __future__ import annotations

import grimp

from msmebazaar.services import SERVICE_NAMES

WEB = "msmebazaar.web"


def test_the_portal_uses_only_the_services_public_modules() -> None:
    graph = grimp.build_graph("msmebazaar")
    reached = {
        imported
        for module in graph.modules
        if module == WEB or module.startswith(WEB + ".")
        for imported in graph.find_modules_directly_imported_by(module)
    }
    private = sorted(
        module
        for module in reached
        if module.split(".")[1] in SERVICE_NAMES
        and module.split(".")[1] != "web"
        and module.split(".")[2:3] not in (["service"], ["schemas"])
    )

    assert private == []


def test_nothing_imports_the_portal() -> None:
    graph = grimp.build_graph("msmebazaar")
    importers = {
        importer
        for module in graph.modules
        if module == WEB or module.startswith(WEB + ".")
        for importer in graph.find_modules_that_directly_import(module)
        if not (importer == WEB or importer.startswith(WEB + "."))
    }

    assert importers == set()
