"""What the tracker already knows, as plain data the analysis reads: names folded to simplified script."""

from dataclasses import dataclass, field

from partnerships.text import to_simplified


@dataclass(frozen=True)
class KnownRegion:
    code: str
    name: str
    level: str
    parent_name: str = ""


@dataclass(frozen=True)
class KnownInstitution:
    id: int
    name: str
    kind: str = ""


@dataclass(frozen=True)
class KnownPerson:
    id: int
    name: str


@dataclass
class Snapshot:
    """Names the analysis matches against, each folded to simplified script."""

    regions: dict[str, list[KnownRegion]] = field(default_factory=dict)
    institutions: dict[str, KnownInstitution] = field(default_factory=dict)
    people: dict[str, KnownPerson] = field(default_factory=dict)
    project_types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        regions=(),
        institutions=(),
        aliases=(),
        people=(),
        person_aliases=(),
        project_types=(),
    ) -> "Snapshot":
        """Build a snapshot from rows: regions, institutions, (alias, institution) pairs, people, (alias, person) pairs, (code, name)."""
        snapshot = cls()
        for region in regions:
            snapshot.regions.setdefault(region.name, []).append(region)
        for region in [region for found in snapshot.regions.values() for region in found]:
            # A county made a county-level city (潜山县 → 潜山市, 2018) keeps its old name in older news:
            # the old name is read as the region under that name, where no region bears it.
            if region.level == "county" and region.name.endswith("市") and len(region.name) >= 3:
                former = region.name[:-1] + "县"
                if former not in snapshot.regions:
                    snapshot.regions[former] = [KnownRegion(region.code, former, region.level, region.parent_name)]
        for institution in institutions:
            snapshot.institutions[to_simplified(institution.name)] = institution
        for alias, institution in aliases:
            snapshot.institutions.setdefault(to_simplified(alias), institution)
        named: dict[str, KnownPerson | None] = {}
        for person in people:
            # Two recorded people with one name cannot be told apart by the text: match neither.
            key = to_simplified(person.name)
            named[key] = None if key in named else person
        for alias, person in person_aliases:
            named.setdefault(to_simplified(alias), person)
        snapshot.people = {name: person for name, person in named.items() if person is not None}
        for code, name in project_types:
            snapshot.project_types[to_simplified(name)] = code
        return snapshot
