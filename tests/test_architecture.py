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


DIALECT_MODULES = ("sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.sqlite")
# `shared.db.dialect_insert` is the one place an insert is picked by dialect; migrations are
# written per revision and may spell their dialect's types.
DIALECT_ALLOWED = ("msmebazaar.shared.db", "msmebazaar.migrations")


def dialect_importers(graph: grimp.ImportGraph) -> list[str]:
    """Modules outside `DIALECT_ALLOWED` that import a SQL dialect's own module."""
    # grimp keeps an external package as its top-level name only ("sqlalchemy"), so which of
    # its modules is imported is read from the import line itself.
    found = []
    for importer in sorted(graph.find_modules_that_directly_import("sqlalchemy")):
        if importer.startswith(DIALECT_ALLOWED):
            continue
        details = graph.get_import_details(importer=importer, imported="sqlalchemy")
        lines = [str(detail["line_contents"]) for detail in details]
        if any(
            f"from {name} " in line
            or f"import {name}" in line
            or "sqlalchemy.dialects import" in line
            for line in lines
            for name in DIALECT_MODULES
        ):
            found.append(importer)
    return found


def test_only_shared_db_picks_an_insert_by_dialect() -> None:
    graph = grimp.build_graph("msmebazaar", include_external_packages=True)

    assert dialect_importers(graph) == []


def test_the_dialect_check_catches_a_dialect_import() -> None:
    graph = grimp.ImportGraph()
    for importer, line in [
        ("msmebazaar.match.vectors", "from sqlalchemy.dialects.postgresql import insert"),
        ("msmebazaar.match.served", "from sqlalchemy.dialects import postgresql, sqlite"),
        ("msmebazaar.shared.db", "from sqlalchemy.dialects import postgresql, sqlite"),
        ("msmebazaar.auth.otp", "from sqlalchemy import select"),
    ]:
        graph.add_import(
            importer=importer, imported="sqlalchemy", line_number=1, line_contents=line
        )

    assert dialect_importers(graph) == ["msmebazaar.match.served", "msmebazaar.match.vectors"]
