"""The partial-credit tables: sector groups over real codes, neighbours symmetric and real."""

from __future__ import annotations

from msmebazaar.match.taxonomy import NEIGHBOURS, RELATED_SECTORS, SECTOR_CODES, SECTOR_GROUPS
from msmebazaar.shared.india import STATE_NAMES


def test_sector_groups_use_only_taxonomy_codes() -> None:
    for members in SECTOR_GROUPS.values():
        assert members <= set(SECTOR_CODES)


def test_every_sector_has_at_least_one_related_sector() -> None:
    assert all(RELATED_SECTORS[code] for code in SECTOR_CODES)


def test_relatedness_is_symmetric_and_never_reflexive() -> None:
    for code, related in RELATED_SECTORS.items():
        assert code not in related
        assert all(code in RELATED_SECTORS[other] for other in related)


def test_neighbours_cover_every_state_with_real_names_symmetrically() -> None:
    assert set(NEIGHBOURS) == set(STATE_NAMES)
    for state, neighbours in NEIGHBOURS.items():
        assert neighbours <= set(STATE_NAMES)
        assert all(state in NEIGHBOURS[other] for other in neighbours)


def test_known_borders() -> None:
    assert "Gujarat" in NEIGHBOURS["Maharashtra"]
    assert "Karnataka" in NEIGHBOURS["Goa"]
    assert "Kerala" not in NEIGHBOURS["Maharashtra"]
    assert NEIGHBOURS["Andaman and Nicobar Islands"] == frozenset()
