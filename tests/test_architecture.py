"""Service boundaries: a service reaches another only through its `service` and `schemas` modules
(CONVENTIONS.md habit 1). import-linter (in `make test`) checks the kernel and cycles; this test
checks the rule for every service that exists, with no list to keep up to date."""

from __future__ import annotations

import grimp

from msmebazaar.services import SERVICE_NAMES, available_services

PUBLIC_MODULES = ("service", "schemas")


def _service_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SERVICE_NAMES else None


def boundary_violations(graph: grimp.ImportGraph) -> list[str]:
    """Imports from one service into another's private modules, as `importer -> imported`."""
    violations = []
    for importer in sorted(graph.modules):
        source = _service_of(importer)
        if source is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            target = _service_of(imported)
            if target is None or target == source:
                continue
            public = {f"msmebazaar.{target}.{name}" for name in PUBLIC_MODULES}
            if imported not in public:
                violations.append(f"{importer} -> {imported}")
    return violations


def test_services_import_each_other_only_through_service_and_schemas() -> None:
    graph = grimp.build_graph("msmebazaar")

    assert boundary_violations(graph) == []


def test_the_boundary_check_catches_a_private_import() -> None:
    graph = grimp.ImportGraph()
    graph.add_import(importer="msmebazaar.msme.service", imported="msmebazaar.auth.service")
    graph.add_import(importer="msmebazaar.msme.router", imported="msmebazaar.auth.models")
    graph.add_import(importer="msmebazaar.msme.router", imported="msmebazaar.shared.db")

    assert boundary_violations(graph) == ["msmebazaar.msme.router -> msmebazaar.auth.models"]


def test_every_built_service_is_one_of_the_six() -> None:
    assert set(available_services()) <= set(SERVICE_NAMES)
