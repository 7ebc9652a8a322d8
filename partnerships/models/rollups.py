"""Rollups: what broad filters and the stats need from an agreement's parties and links, kept on the agreement
row, each institution's number of partners (InstitutionPartners) and each project type's number of
agreements (ProjectTypeAgreements), kept on rows of their own.

One module holds all of it: the derivation (party kinds and names, signing month, the region
filed under), its
recomputation from the database, the deferral that makes one pass of many writes, and the
receivers that follow every write the rollups depend on (connected in PartnershipsConfig.ready()).
It imports no model module: the models come from the app registry when a receiver runs, and the
data migration that filled the rollups passes its historical models to rollups_compute().
"""

import contextlib
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from django.apps import apps
from django.db import connections

# Names are joined by a newline, so a search text without one matches the rollup exactly where
# it matches one of the names.
NAMES_SEPARATOR = "\n"
ROLLUP_FIELDS = ("party_kinds", "party_names", "party_names_folded", "signed_month", "effective_region", "has_project_type")
# The institution fields the rollups hold: a save that changes none of them changes no rollup.
INSTITUTION_FIELDS = frozenset({"name", "name_en", "kind", "region"})
# The agreement's own fields the region it is filed under follows.
AGREEMENT_FIELDS = frozenset({"region", "event"})


class PartyNames(NamedTuple):
    """What an agreement's rollups take from one party's institution."""

    kind: str
    name: str
    name_en: str
    name_folded: str
    aliases: tuple[tuple[str, str], ...]  # (name, name in simplified script)
    region_chain: tuple[int, ...] = ()  # its region and that region's ancestors, itself first


def kinds_rollup(kinds: Iterable[str]) -> str:
    """Return the parties' institution kinds as one text, ",enterprise,government_body,", sorted."""
    kinds = sorted(set(kinds))
    return f",{','.join(kinds)}," if kinds else ""


def kinds_of(rollup: str) -> list[str]:
    """Return the kinds a kinds rollup holds."""
    return [kind for kind in rollup.split(",") if kind]


def kind_pattern(kind: str) -> str:
    """Return the text that a kinds rollup contains when a party has this kind."""
    return f",{kind},"


def names_rollup(names: Iterable[str]) -> str:
    """Return names as one text, sorted, the empty ones left out."""
    return NAMES_SEPARATOR.join(sorted({name for name in names if name}))


def month_rollup(earliest: datetime.date | None, latest: datetime.date | None) -> datetime.date | None:
    """Return the signing month (its first day) when both bounds lie within it, else None."""
    if earliest is None or latest is None or (earliest.year, earliest.month) != (latest.year, latest.month):
        return None
    return earliest.replace(day=1)


def lowest_common_region(chains: Iterable[tuple[int, ...]]) -> int | None:
    """Return the deepest region every chain holds (a chain: a region and its ancestors, itself first), or None."""
    chains = [chain for chain in chains if chain]
    if not chains:
        return None
    common = set(chains[0]).intersection(*chains[1:])
    return next((region for region in chains[0] if region in common), None)


def region_rollup(given: int | None, party_chains: Iterable[tuple[int, ...]], event_region: int | None) -> int | None:
    """Return the region an agreement is filed under: the one given, else its parties' lowest common one, else its event's."""
    if given is not None:
        return given
    found = lowest_common_region(party_chains)
    return found if found is not None else event_region


def rollups_derive(
    parties: Iterable[PartyNames],
    earliest: datetime.date | None,
    latest: datetime.date | None,
    *,
    region: int | None = None,
    event_region: int | None = None,
    has_project_type: bool = False,
) -> dict[str, Any]:
    """Return an agreement's rollups from its parties, signing bounds, own region, event's region and
    whether it plans a project type: the one derivation."""
    parties = list(parties)
    return {
        "party_kinds": kinds_rollup(party.kind for party in parties),
        "party_names": names_rollup(
            name for party in parties for name in (party.name, party.name_en, *(alias for alias, _ in party.aliases))
        ),
        "party_names_folded": names_rollup(
            name for party in parties for name in (party.name_folded, *(folded for _, folded in party.aliases))
        ),
        "signed_month": month_rollup(earliest, latest),
        "effective_region_id": region_rollup(region, (party.region_chain for party in parties), event_region),
        "has_project_type": has_project_type,
    }


def region_chains(region_model, regions: set[int]) -> dict[int, tuple[int, ...]]:
    """Return each region with its ancestors, itself first (three levels at most: county, prefecture, province)."""
    rows = region_model.objects.filter(pk__in=regions).values_list("pk", "parent_id", "parent__parent_id") if regions else ()
    return {pk: tuple(region for region in (pk, parent, grandparent) if region is not None) for pk, parent, grandparent in rows}


def _parties_read(party_model, alias_model, ids: list[int]) -> dict[int, list[PartyNames]]:
    """Return each agreement's parties as the rollups read them."""
    rows = party_model.objects.filter(agreement__in=ids).values_list(
        "agreement_id", "institution_id", "institution__kind", "institution__name", "institution__name_en",
        "institution__name_folded", "institution__region_id",
    )
    rows = list(rows)
    region_model = party_model._meta.get_field("institution").related_model._meta.get_field("region").related_model
    chains = region_chains(region_model, {row[6] for row in rows if row[6] is not None})
    aliases = defaultdict(list)
    institutions = {row[1] for row in rows}
    for institution_id, name, folded in alias_model.objects.filter(institution__in=institutions).values_list(
        "institution_id", "name", "name_folded"
    ):
        aliases[institution_id].append((name, folded))
    parties = defaultdict(list)
    for agreement_id, institution_id, kind, name, name_en, folded, region in rows:
        parties[agreement_id].append(
            PartyNames(kind, name, name_en, folded, tuple(aliases[institution_id]), chains.get(region, ()))
        )
    return parties


def rollups_compute(agreement_model, party_model, alias_model, ids: Iterable[int]) -> int:
    """Recompute the rollups of these agreements from their parties; return how many rows changed.

    Takes the models, so the data migration that fills the rollups runs the same code.
    """
    changed = 0
    ids = sorted(set(ids))
    # A migration before 0017 (0024) runs this on a model without the region rollup (the project type's): it fills the others.
    fields = [name for name in ROLLUP_FIELDS if any(field.name == name for field in agreement_model._meta.fields)]
    links = agreement_model._meta.get_field("project_types").remote_field.through
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        rows = list(
            agreement_model.objects.filter(pk__in=chunk).only(
                "pk", *fields, "signed_earliest", "signed_latest", "region", "event"
            )
        )
        parties = _parties_read(party_model, alias_model, chunk)
        event_regions = _event_regions(agreement_model, rows)
        typed = set(links.objects.filter(agreement__in=chunk).values_list("agreement_id", flat=True))
        stale = []
        for agreement in rows:
            values = rollups_derive(
                parties.get(agreement.pk, []), agreement.signed_earliest, agreement.signed_latest,
                region=agreement.region_id, event_region=event_regions.get(agreement.event_id),
                has_project_type=agreement.pk in typed,
            )
            values = {name: value for name, value in values.items() if name.removesuffix("_id") in fields}
            if any(getattr(agreement, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(agreement, name, value)
                stale.append(agreement)
        # bulk_update: a plain UPDATE, so derived values neither make history nor change the version.
        agreement_model.objects.bulk_update(stale, fields, batch_size=500)
        changed += len(stale)
    return changed


def _event_regions(agreement_model, agreements: list) -> dict[int, int | None]:
    """Return the region of each event these agreements were signed at."""
    events = {agreement.event_id for agreement in agreements if agreement.event_id is not None}
    if not events:
        return {}
    event_model = agreement_model._meta.get_field("event").related_model
    return dict(event_model.objects.filter(pk__in=events).values_list("pk", "region_id"))


_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("agreement_rollups_pending", default=None)
# The partner counts to recompute: (agreements whose parties' counts, institutions whose counts).
_partners_pending: contextvars.ContextVar[tuple[set[int], set[int]] | None] = contextvars.ContextVar(
    "institution_partners_pending", default=None
)
# The project types whose agreement counts to recompute.
_types_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("project_type_counts_pending", default=None)
# Institutions (project types) per statement when a few partner (agreement) counts are recomputed.
PARTNERS_CHUNK = 500


def _counts_replace(rollup_model, counted: str, counted_key: str, keys: Iterable[int] | None) -> None:
    """Replace a count rollup's rows (its key, then its count) for these keys (all when None) with `counted`.

    `counted` selects (key, count) rows, with a `{where}` slot for "WHERE <counted_key> IN (...)";
    a key it selects no row for is left without one.
    """
    rollup = rollup_model._meta.db_table
    key, count = (field.column for field in rollup_model._meta.concrete_fields)
    # ON CONFLICT: another transaction may have written the row since the delete.
    upsert = f"""INSERT INTO {rollup} ({key}, {count}) {{select}}
        ON CONFLICT ({key}) DO UPDATE SET {count} = excluded.{count}"""
    with connections[rollup_model.objects.db].cursor() as cursor:
        if keys is None:
            cursor.execute(f"DELETE FROM {rollup}")
            cursor.execute(upsert.format(select=counted.format(where="")))
            return
        ids = sorted(set(keys))
        for start in range(0, len(ids), PARTNERS_CHUNK):
            chunk = ids[start : start + PARTNERS_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {rollup} WHERE {key} IN ({marks})", chunk)
            cursor.execute(upsert.format(select=counted.format(where=f"WHERE {counted_key} IN ({marks})")), chunk)


def partners_compute(party_model, partners_model, institutions: Iterable[int] | None = None) -> None:
    """Recompute the partner counts of these institutions (of every one when None) from the parties, in SQL.

    An institution's count: the distinct other institutions party to one of its agreements,
    as stats?group_by=partners counts them; a row only when there is one. Set-based (one
    grouped self-join of the parties), so the data migration fills a million agreements'
    institutions in seconds; takes the models, so it runs the historical ones too.
    """
    party = party_model._meta.db_table
    counted = f"""SELECT p.institution_id, count(DISTINCT q.institution_id) FROM {party} p
        JOIN {party} q ON q.agreement_id = p.agreement_id AND q.institution_id <> p.institution_id
        {{where}} GROUP BY p.institution_id"""
    _counts_replace(partners_model, counted, "p.institution_id", institutions)


def project_types_compute(link_model, counts_model, project_types: Iterable[int] | None = None) -> None:
    """Recompute the agreement counts of these project types (of every one when None) from the links, in SQL.

    A type's count: the agreements linked to it (a link is unique per agreement and type), as
    stats?group_by=project_type counts them; a row only when there is one. One count from the
    links' index per type; takes the models, so the data migration runs the historical ones.
    """
    counted = f"SELECT projecttype_id, count(*) FROM {link_model._meta.db_table} {{where}} GROUP BY projecttype_id"
    _counts_replace(counts_model, counted, "projecttype_id", project_types)


def partners_refresh(agreements: Iterable[int], institutions: Iterable[int]) -> None:
    """Recompute the partner counts of these institutions and of every institution party to these agreements."""
    party_model = apps.get_model("partnerships", "AgreementParty")
    touched = set(institutions)
    agreements = sorted(set(agreements))
    for start in range(0, len(agreements), PARTNERS_CHUNK):
        chunk = agreements[start : start + PARTNERS_CHUNK]
        touched.update(party_model.objects.filter(agreement__in=chunk).values_list("institution_id", flat=True))
    if touched:
        partners_compute(party_model, apps.get_model("partnerships", "InstitutionPartners"), touched)


def partners_touch(agreements: Iterable[int] = (), institutions: Iterable[int] = ()) -> None:
    """Mark partner counts that a change of parties may have changed: the institutions party to these
    agreements, and these institutions (a party's before the change). Refreshed now, or at the end
    of rollups_deferred()."""
    pending = _partners_pending.get()
    if pending is None:
        partners_refresh(agreements, institutions)
    else:
        pending[0].update(agreements)
        pending[1].update(institutions)


def project_types_refresh(project_types: Iterable[int]) -> None:
    """Recompute the agreement counts of these project types now."""
    if project_types := set(project_types):
        model = apps.get_model
        project_types_compute(
            model("partnerships", "AgreementProjectType"), model("partnerships", "ProjectTypeAgreements"), project_types
        )


def project_types_touch(agreements: Iterable[int], project_types: Iterable[int]) -> None:
    """Mark links of these agreements to these project types as added or removed: the agreements'
    has_project_type and the types' counts are refreshed now, or at the end of rollups_deferred()."""
    rollups_touch(agreements)
    pending = _types_pending.get()
    if pending is None:
        project_types_refresh(project_types)
    else:
        pending.update(project_types)


def rollups_refresh(ids: Iterable[int]) -> int:
    """Recompute the rollups of these agreements now; return how many rows changed."""
    model = apps.get_model
    return rollups_compute(
        model("partnerships", "Agreement"), model("partnerships", "AgreementParty"),
        model("partnerships", "InstitutionAlias"), ids,
    )


def rollups_touch(ids: Iterable[int]) -> None:
    """Mark agreements whose parties changed: refreshed now, or at the end of rollups_deferred()."""
    pending = _pending.get()
    if pending is None:
        rollups_refresh(ids)
    else:
        pending.update(ids)


def rollups_touch_institution(institution_id: int) -> None:
    """Mark the agreements an institution is party to: its names, kind or aliases changed."""
    parties = apps.get_model("partnerships", "AgreementParty").objects.filter(institution=institution_id)
    rollups_touch(parties.values_list("agreement_id", flat=True))


@contextlib.contextmanager
def rollups_deferred() -> Iterator[None]:
    """Refresh the rollups of every agreement touched inside once, when the block ends without error."""
    if _pending.get() is not None:  # an outer block refreshes them
        yield
        return
    token = _pending.set(set())
    partners_token = _partners_pending.set((set(), set()))
    types_token = _types_pending.set(set())
    try:
        yield
        pending = _pending.get()
        partners = _partners_pending.get()
        project_types = _types_pending.get()
    finally:
        _types_pending.reset(types_token)
        _partners_pending.reset(partners_token)
        _pending.reset(token)
    rollups_refresh(pending or ())
    partners_refresh(*(partners or ((), ())))
    project_types_refresh(project_types or ())


# Receivers. Saves through a queryset (update(), bulk_create()) send no signal and are not followed.


def party_before_save(sender, instance, **kwargs) -> None:
    """Note the agreement and institution of a party as read, before a save that may change them."""
    loaded = getattr(instance, "_loaded_values", {})
    instance._rollups_agreement_before = loaded.get("agreement_id")
    instance._rollups_institution_before = loaded.get("institution_id")


def party_saved(sender, instance, **kwargs) -> None:
    """Refresh the rollups of a party's agreement, and of the agreement it moved from; and the partner counts."""
    agreements = {instance.agreement_id, getattr(instance, "_rollups_agreement_before", None)} - {None}
    rollups_touch(agreements)
    institutions = {instance.institution_id, getattr(instance, "_rollups_institution_before", None)} - {None}
    if agreements != {instance.agreement_id} or institutions != {instance.institution_id} or kwargs.get("created"):
        partners_touch(agreements, institutions)


def party_deleted(sender, instance, **kwargs) -> None:
    """Refresh an agreement's rollups and partner counts when a party goes, also by a queryset delete (no delete())."""
    rollups_touch([instance.agreement_id])
    partners_touch([instance.agreement_id], [instance.institution_id])


def institution_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Refresh the rollups of an institution's agreements when its names, kind or region may have changed.

    A tracked record saves only its changed fields (TrackedModel.save), so update_fields says
    what changed; without it, anything may have.
    """
    if created or (update_fields is not None and not INSTITUTION_FIELDS & set(update_fields)):
        return
    rollups_touch_institution(instance.pk)


def agreement_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Refresh the region an agreement is filed under when it is new or its own region or event may have changed."""
    if not created and update_fields is not None and not AGREEMENT_FIELDS & set(update_fields):
        return
    rollups_touch([instance.pk])


def event_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Refresh the agreements signed at an event when its region may have changed: those without one are filed under it."""
    if created or (update_fields is not None and "region" not in update_fields):
        return
    agreements = apps.get_model("partnerships", "Agreement").objects.filter(event=instance.pk)
    rollups_touch(agreements.values_list("pk", flat=True))


def alias_before_save(sender, instance, **kwargs) -> None:
    """Note the institution an alias belonged to, before a save that may move it to another."""
    stored = sender.objects.filter(pk=instance.pk).values_list("institution_id", flat=True)
    instance._rollups_institution_before = None if instance._state.adding else stored.first()


def alias_saved(sender, instance, **kwargs) -> None:
    """Refresh the rollups of the agreements of an alias's institution, and of the one it moved from."""
    for institution in {instance.institution_id, getattr(instance, "_rollups_institution_before", None)} - {None}:
        rollups_touch_institution(institution)


def alias_deleted(sender, instance, **kwargs) -> None:
    """Refresh the rollups of an institution's agreements when one of its aliases goes."""
    rollups_touch_institution(instance.institution_id)


def type_link_saved(sender, instance, **kwargs) -> None:
    """Refresh an agreement's has_project_type and its type's count when a link is saved on its own.

    A link is added or removed, never moved: the API, the admin and the seeds replace an
    agreement's types, which adds and deletes links.
    """
    project_types_touch([instance.agreement_id], [instance.projecttype_id])


def type_links_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Refresh after links added by add() or set(), which inserts them in bulk without save() (m2m_changed).

    Their removal deletes each link with its signal (type_link_deleted), as a queryset delete and an
    agreement's delete do.
    """
    if action != "post_add" or not pk_set:
        return
    if reverse:  # project_type.agreements.add(...)
        project_types_touch(pk_set, [instance.pk])
    else:
        project_types_touch([instance.pk], pk_set)


def type_link_deleted(sender, instance, **kwargs) -> None:
    """Refresh an agreement's has_project_type and its type's count when a link goes, also with its agreement."""
    project_types_touch([instance.agreement_id], [instance.projecttype_id])
