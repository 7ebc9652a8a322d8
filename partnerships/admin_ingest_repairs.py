"""Repairs on the review page: an agreement's parties and signing day, a post's institution, names the engine missed.

Fields only, added to the review form (admin_ingest.ReviewForm) and read back into the
edits services.ingest_review_apply applies; the page stays one form, so a repaired article
still takes three page loads. A party or a post names an institution found in the text (by
its proposal's index) or any existing institution, through the admin's own autocomplete
(select2, shipped with django.contrib.admin), which wins where both are given. A missed name is a quote with its offsets,
which the page's script fills from a selection in the text; by hand, a quote alone is found
at its first occurrence. The server checks every one: text[start:end] must be the quote.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.choices import AgreementPartyRoleChoices
from partnerships.ingest.proposals import missed_name
from partnerships.models import AgreementParty, Institution, Post
from partnerships.models.institutions import generic_name
from partnerships.services import PartyEdit

# Blank party rows offered under each agreement, to add parties without leaving the page.
EXTRA_PARTIES = 1
# Names the engine missed that one review can add.
MISSED_SLOTS = 3
# A choice keeping what the engine proposed where it names nothing the review lists.
KEPT = "kept"
MISSED_KIND_CHOICES = [("institution", gettext_lazy("institution")), ("person", gettext_lazy("person"))]


class AutocompleteInstitutionField(forms.ModelChoiceField):
    """Any existing institution, found as one types (the admin's autocomplete view: InstitutionAdmin.search_fields)."""

    def __init__(self, *, through, admin_site, **kwargs):
        widget = forms.widgets.Select()
        if admin_site is not None:
            from django.contrib.admin.widgets import AutocompleteSelect

            widget = AutocompleteSelect(through._meta.get_field("institution"), admin_site, attrs={"data-width": "16em"})
        super().__init__(queryset=Institution.objects.all(), required=False, widget=widget, **kwargs)


class RepairFields(forms.Form):
    """The review form's repair fields: built per proposal, cleaned together, read back as edits."""

    proposals: list[dict]
    text: str
    admin_site: object

    # ----- building --------------------------------------------------------------------------------
    def _found(self, kind: str) -> list[tuple[str, str]]:
        """Return the choices of the article's proposals of one kind: (index, name)."""
        return [(str(index), proposal["name"]) for index, proposal in enumerate(self.proposals) if proposal["kind"] == kind]

    def _chosen(self, choices: list[tuple[str, str]], name: str | None) -> str:
        """Return the choice whose name is the given one, or "" for none."""
        return next((value for value, label in choices if label == name), "")

    def add_repair_fields(self, index: int, proposal: dict) -> None:
        if proposal["kind"] == "agreement":
            self._agreement_fields(index, proposal)
        elif proposal["kind"] == "post":
            self._post_fields(index, proposal)

    def _agreement_fields(self, index: int, proposal: dict) -> None:
        name = proposal["name"]
        earliest, latest = proposal.get("signed_earliest"), proposal.get("signed_latest")
        # A date, not its ISO string: the field tells a change by comparing the two.
        exact = datetime.date.fromisoformat(earliest) if earliest and earliest == latest else None
        self.fields[f"p{index}_signed"] = forms.DateField(
            label=_("Signing date of “%(name)s”") % {"name": name},
            required=False,
            initial=exact,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        )
        institutions, people = self._found("institution"), self._found("person")
        parties = proposal.get("parties") or []
        for row in range(len(parties) + EXTRA_PARTIES):
            party = parties[row] if row < len(parties) else {}
            labels = {"number": row + 1, "name": name}
            prefix = f"p{index}_party{row}"
            if party:
                self.fields[f"{prefix}_remove"] = forms.BooleanField(
                    label=_("Remove party %(number)d of “%(name)s”") % labels, required=False
                )
            found = [("", "—"), *institutions]
            if party and not self._chosen(institutions, party["name"]):
                found.append((KEPT, party["name"]))
            self.fields[f"{prefix}_found"] = forms.ChoiceField(
                label=_("Party %(number)d of “%(name)s”: an institution found in the text") % labels,
                required=False,
                choices=found,
                initial=(self._chosen(institutions, party["name"]) or KEPT) if party else "",
            )
            self.fields[f"{prefix}_record"] = AutocompleteInstitutionField(
                label=_("Party %(number)d of “%(name)s”: or an existing institution") % labels,
                through=AgreementParty,
                admin_site=self.admin_site,
            )
            # Not required, as no repair field is: a review posted without them saves as proposed.
            self.fields[f"{prefix}_role"] = forms.ChoiceField(
                label=_("Role of party %(number)d of “%(name)s”") % labels,
                required=False,
                choices=AgreementPartyRoleChoices.choices,
                initial=party.get("role") or AgreementPartyRoleChoices.PARTNER,
            )
            signatories = [("", "—"), *people]
            if party.get("signatory") and not self._chosen(people, party["signatory"]):
                signatories.append((KEPT, party["signatory"]))
            self.fields[f"{prefix}_signatory"] = forms.ChoiceField(
                label=_("Signatory of party %(number)d of “%(name)s”") % labels,
                required=False,
                choices=signatories,
                initial=(self._chosen(people, party.get("signatory")) or KEPT) if party.get("signatory") else "",
            )

    def _post_fields(self, index: int, proposal: dict) -> None:
        institutions = self._found("institution")
        chosen = self._chosen(institutions, proposal.get("institution"))
        if not chosen:
            institutions.append((KEPT, proposal.get("institution") or "—"))
        self.fields[f"p{index}_institution"] = forms.ChoiceField(
            label=_("Institution of the post “%(name)s”") % {"name": proposal["name"]},
            required=False,
            choices=institutions,
            initial=chosen or KEPT,
        )
        self.fields[f"p{index}_record"] = AutocompleteInstitutionField(
            label=_("Institution of the post “%(name)s”: or an existing one") % {"name": proposal["name"]},
            through=Post,
            admin_site=self.admin_site,
        )

    def add_missed_fields(self) -> None:
        for slot in range(MISSED_SLOTS):
            number = {"number": slot + 1}
            self.fields[f"m{slot}_quote"] = forms.CharField(
                label=_("Missed name %(number)d: as the text writes it") % number,
                required=False,
                strip=False,
                max_length=300,
                widget=forms.TextInput(attrs={"size": 20, "data-missed-quote": slot}),
            )
            self.fields[f"m{slot}_start"] = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
            self.fields[f"m{slot}_end"] = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
            self.fields[f"m{slot}_kind"] = forms.ChoiceField(
                label=_("Missed name %(number)d: kind") % number, required=False, choices=MISSED_KIND_CHOICES, initial="institution"
            )
            self.fields[f"m{slot}_name"] = forms.CharField(
                label=_("Missed name %(number)d: full name, if the text shortens it") % number,
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"size": 24}),
            )

    # ----- cleaning --------------------------------------------------------------------------------
    def clean_repairs(self, cleaned: dict) -> None:
        """Check every repair and keep what it becomes: self.repairs (edits by index) and self.added (new proposals)."""
        self.repairs: dict[int, dict] = {}
        for index, proposal in enumerate(self.proposals):
            if not cleaned.get(f"p{index}_accept"):
                continue
            if proposal["kind"] == "agreement":
                self.repairs[index] = self._clean_agreement(cleaned, index, proposal)
            elif proposal["kind"] == "post":
                self.repairs[index] = self._clean_post(cleaned, index)
        self.added = [proposal for slot in range(MISSED_SLOTS) if (proposal := self._clean_missed(cleaned, slot))]

    def _accepted_choice(self, cleaned: dict, field: str) -> dict | None:
        """Return the proposal a choice field names, adding an error when that proposal is rejected."""
        value = cleaned.get(field)
        if not value or value == KEPT:
            return None
        proposal = self.proposals[int(value)]
        if not cleaned.get(f"p{value}_accept"):
            self.add_error(field, _("“%(name)s” is not accepted: tick it above, or choose another.") % {"name": proposal["name"]})
        return proposal

    def _changed(self, prefix: str) -> bool:
        return any(name.startswith(prefix) for name in self.changed_data)

    def _clean_agreement(self, cleaned: dict, index: int, proposal: dict) -> dict:
        repair = {}
        if f"p{index}_signed" in self.changed_data:
            signed = cleaned.get(f"p{index}_signed")
            repair["signed"] = signed.isoformat() if signed else ""
        if self._changed(f"p{index}_party"):
            repair["parties"] = self._clean_parties(cleaned, index, proposal)
        return repair

    def _clean_parties(self, cleaned: dict, index: int, proposal: dict) -> tuple[PartyEdit, ...]:
        parties, seen = [], set()
        engine = proposal.get("parties") or []
        last = f"p{index}_party{len(engine) + EXTRA_PARTIES - 1}_found"
        for row in range(len(engine) + EXTRA_PARTIES):
            party = self._clean_party(cleaned, index, row, proposal)
            if party is None:
                continue
            key = party.record if party.record is not None else party.name
            if key in seen:
                self.add_error(f"p{index}_party{row}_found", _("“%(name)s” is a party already.") % {"name": party.name})
            seen.add(key)
            parties.append(party)
        if len(parties) < 2:
            self.add_error(last, _("An agreement needs two parties at least: add one, or untick “accept”."))
        return tuple(parties)

    def _clean_party(self, cleaned: dict, index: int, row: int, agreement: dict) -> PartyEdit | None:
        prefix = f"p{index}_party{row}"
        engine = (agreement.get("parties") or [])[row] if row < len(agreement.get("parties") or []) else None
        found, record = cleaned.get(f"{prefix}_found"), cleaned.get(f"{prefix}_record")
        if cleaned.get(f"{prefix}_remove") or not (found or record):
            if engine is None and cleaned.get(f"{prefix}_signatory"):
                self.add_error(f"{prefix}_found", _("Choose the institution this signatory signed for, or clear the signatory."))
            return None
        signatory = self._accepted_choice(cleaned, f"{prefix}_signatory")
        kept = engine.get("signatory") if engine and cleaned.get(f"{prefix}_signatory") == KEPT else None
        role, signatory_name = cleaned.get(f"{prefix}_role") or AgreementPartyRoleChoices.PARTNER, signatory["name"] if signatory else kept
        if record is not None:
            cited = {"quote": agreement["quote"], "start": agreement["start"], "end": agreement["end"]}
            return PartyEdit(name=record.name, record=record.pk, role=role, signatory=signatory_name, **cited)
        institution = self._accepted_choice(cleaned, f"{prefix}_found")
        name = institution["name"] if institution is not None else engine["name"]
        return PartyEdit(name=name, role=role, signatory=signatory_name, **self._party_quote(agreement, name, institution))

    def _party_quote(self, agreement: dict, name: str, institution: dict | None) -> dict:
        """Return what a party's citation quotes: the engine's party mention, else the name inside the agreement's sentence, else the sentence."""
        for party in agreement.get("parties") or ():
            if party["name"] == name:
                return {"quote": party["quote"], "start": party["start"], "end": party["end"]}
        mentions = (institution or {}).get("mentions") or ()
        for start, end in mentions:
            if agreement["start"] <= start and end <= agreement["end"]:
                return {"quote": self.text[start:end], "start": start, "end": end}
        return {"quote": agreement["quote"], "start": agreement["start"], "end": agreement["end"]}

    def _clean_post(self, cleaned: dict, index: int) -> dict:
        record = cleaned.get(f"p{index}_record")
        if record is not None:
            return {"institution_record": record.pk}
        if f"p{index}_institution" in self.changed_data:
            institution = self._accepted_choice(cleaned, f"p{index}_institution")
            if institution is not None:
                return {"institution": institution["name"]}
        return {}

    def _clean_missed(self, cleaned: dict, slot: int) -> dict | None:
        quote, name = cleaned.get(f"m{slot}_quote") or "", (cleaned.get(f"m{slot}_name") or "").strip()
        if not quote.strip():
            if name:
                self.add_error(f"m{slot}_quote", _("Select the name in the text, or type it as the text writes it."))
            return None
        try:
            start, end = self._offsets(quote, cleaned.get(f"m{slot}_start"), cleaned.get(f"m{slot}_end"))
        except ValidationError as error:
            self.add_error(f"m{slot}_quote", error)
            return None
        name = name or quote.strip()
        kind = cleaned.get(f"m{slot}_kind") or "institution"
        if kind == "institution" and generic_name(name):
            field = f"m{slot}_name" if cleaned.get(f"m{slot}_name") else f"m{slot}_quote"
            self.add_error(field, _("“%(name)s” names no particular body: give its full name (茌平区人民政府).") % {"name": name})
            return None
        return missed_name(text=self.text, kind=kind, name=name, start=start, end=end).as_dict()

    def _offsets(self, quote: str, start: int | None, end: int | None) -> tuple[int, int]:
        """Return where the quote stands in the text: at the offsets given, else at its first occurrence."""
        if start is None and end is None:
            found = self.text.find(quote)
            if found < 0:
                raise ValidationError(_("“%(quote)s” is not in the text: select it there, or copy it exactly.") % {"quote": quote})
            return found, found + len(quote)
        if start is None or end is None or self.text[start:end] != quote:
            raise ValidationError(
                _("“%(quote)s” is not the text at %(start)s–%(end)s: select it in the text again.")
                % {"quote": quote, "start": start, "end": end}
            )
        return start, end

    # ----- reading back ----------------------------------------------------------------------------
    def repair_of(self, index: int) -> dict:
        """Return the ProposalEdit fields a proposal's repairs set."""
        return getattr(self, "repairs", {}).get(index, {})

    def repair_rows(self, index: int, proposal: dict) -> dict | None:
        """Return the bound fields of an agreement's repairs, for the rows under it: the signing day and the parties.

        A post's institution fields are columns of its own row (ReviewForm.groups).
        """
        if proposal["kind"] == "agreement":
            rows = []
            for row in range(len(proposal.get("parties") or []) + EXTRA_PARTIES):
                prefix = f"p{index}_party{row}"
                parts = ("remove", "found", "record", "role", "signatory")
                rows.append([self[f"{prefix}_{name}"] if f"{prefix}_{name}" in self.fields else None for name in parts])
            return {"signed": self[f"p{index}_signed"], "parties": rows}
        return None

    def missed_rows(self) -> list[dict]:
        return [
            {part: self[f"m{slot}_{part}"] for part in ("quote", "start", "end", "kind", "name")} for slot in range(MISSED_SLOTS)
        ]
