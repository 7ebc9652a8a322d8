"""Synthetic national datasets: realistic institutions, officials and agreements at any scale.

The generator yields rows as dicts keyed by the models' field names (attnames), with primary
keys it assigns itself, so foreign keys are known without a round trip; a field a row leaves
out takes the model's default, and one with no default is an error (column_plan). A writer stores them:
COPY through psycopg on PostgreSQL (minutes for a million agreements), bulk_create
elsewhere (small sizes, for the tests). The same seed always gives the same rows.

History rows are not written: the synthetic records have no past worth keeping, and
simple_history's tables are only filled by edits made afterwards.
"""

import bisect
import datetime
import decimal
import functools
import hashlib
import itertools
import math
import operator
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import opencc
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils.translation import gettext

from partnerships import models as m
from partnerships.choices import (
    AgreementKindChoices,
    AgreementPartyRoleChoices,
    AgreementStatusChoices,
    DateBasisChoices,
    DatePrecisionChoices,
    EventKindChoices,
    EventParticipantRoleChoices,
    FundingKindChoices,
    InstitutionAliasKindChoices,
    InstitutionKindChoices,
    InstitutionRelationKindChoices,
    MemberCountCategoryChoices,
    MembershipRoleChoices,
    PersonAliasKindChoices,
    ProjectBuilderRoleChoices,
    ProjectQuantityMeasureChoices,
    ProjectStatusChoices,
    RegionLevelChoices,
)
from partnerships.models.rollups import PartyNames, partners_compute, project_types_compute, rollups_derive

# Default proportions from the national picture: 1,000,000 agreements hang on
# 100,000 institutions and 300,000 officials.
INSTITUTIONS_PER_AGREEMENT = 0.1
PEOPLE_PER_AGREEMENT = 0.3
AGREEMENTS_PER_SOURCE = 200
AGREEMENTS_PER_EVENT = 100
CHUNK = 20_000

# Where a term is also in the seed vocabulary (fixtures/10_taxonomy.json) it has the same code,
# so the seeds can load into a generated database and both speak of one 实习实训基地.
PROJECT_TYPES = (
    ("industry-college", "产业学院", "Industry college"),
    ("internship-training-base", "实习实训基地", "Internship and training base"),
    ("order-class", "订单班", "Order-based class"),
    ("modern-apprenticeship", "现代学徒制", "Modern apprenticeship"),
    ("joint-programme", "合作办学", "Joint programme"),
    ("training-centre", "公共实训中心", "Public training centre"),
    ("teacher-training", "师资培训", "Teacher training"),
    ("skills-competition", "技能竞赛", "Skills competition"),
    ("job-placement", "就业安置", "Job placement"),
    ("rd-platform", "技术研发平台", "Research and development platform"),
    ("joint-curriculum", "课程共建", "Joint curriculum"),
    ("1x-certificates", "1+X证书", "1+X certificates"),
)
INDUSTRIES = (
    ("intelligent-manufacturing", "智能制造", "Intelligent manufacturing"),
    ("integrated-circuits", "集成电路", "Integrated circuits"),
    ("new-energy-vehicles", "新能源汽车", "New-energy vehicles"),
    ("electronic-information", "电子信息", "Electronic information"),
    ("modern-agriculture", "现代农业", "Modern agriculture"),
    ("healthcare", "医疗卫生", "Healthcare"),
    ("culture-tourism", "文化旅游", "Culture and tourism"),
    ("modern-logistics", "现代物流", "Modern logistics"),
    ("construction", "建筑工程", "Construction"),
    ("rare-earth-materials", "稀土新材料", "Rare-earth materials"),
    ("biomedicine", "生物医药", "Biomedicine"),
    ("digital-economy", "数字经济", "Digital economy"),
    ("elderly-care", "养老服务", "Elderly care"),
    ("financial-services", "金融服务", "Financial services"),
    ("rail-transit", "轨道交通", "Rail transit"),
    ("aerospace", "航空航天", "Aerospace"),
)

# Resident population by province, millions (2020 census, rounded): institutions follow people.
PROVINCE_POPULATION = {
    "11": 22,
    "12": 14,
    "13": 75,
    "14": 35,
    "15": 24,
    "21": 43,
    "22": 24,
    "23": 32,
    "31": 25,
    "32": 85,
    "33": 65,
    "34": 61,
    "35": 42,
    "36": 45,
    "37": 102,
    "41": 99,
    "42": 58,
    "43": 66,
    "44": 126,
    "45": 50,
    "46": 10,
    "50": 32,
    "51": 84,
    "52": 39,
    "53": 47,
    "54": 4,
    "61": 40,
    "62": 25,
    "63": 6,
    "64": 7,
    "65": 26,
    "81": 1,
    "82": 0.5,
    "71": 0.5,
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌林辉鹏飞宇浩然晓东海波新春雪梅立军宏亮俊峰晨阳丹凤云龙佳琪德胜永福振兴家豪子涵思远明轩"
TRADE = "华瑞恒通达信鑫宏泰盛远新康安正和昌丰德立成海天金中博创智云光明高科合众美嘉永兴隆晟辉宇航腾飞宁峰源联汇力锦程赣鸿骏卓越"
SPECIALTIES = (
    "工业",
    "交通",
    "建筑",
    "医学",
    "农业",
    "商贸",
    "旅游",
    "信息",
    "电子",
    "机电",
    "财经",
    "艺术",
    "卫生",
    "体育",
    "轻工",
    "化工",
    "电力",
    "水利",
    "铁路",
    "航空",
    "经济",
    "科技",
    "工程",
    "城市",
    "工贸",
    "应用技术",
    "师范",
)
TRADES = (
    "科技",
    "电子",
    "机械",
    "汽车",
    "新能源",
    "智能制造",
    "信息技术",
    "软件",
    "建设",
    "物流",
    "医药",
    "生物",
    "化工",
    "食品",
    "纺织",
    "旅游",
    "电力",
    "通信",
    "环保",
    "农业发展",
    "文化传媒",
    "数字科技",
    "精密机械",
    "半导体",
)
PUBLISHERS = ("21世纪教育网", "中国教育新闻网", "中国职业教育网", "人民网", "新华网", "地方政府网站")

SCHOOL_KINDS = (
    InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE,
    InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL,
    InstitutionKindChoices.UNIVERSITY,
)
# Share of each kind among institutions.
KIND_WEIGHTS = {
    InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL: 22,
    InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE: 10,
    InstitutionKindChoices.UNIVERSITY: 3,
    InstitutionKindChoices.EDUCATION_GROUP: 3,
    InstitutionKindChoices.HOLDING_GROUP: 3,
    InstitutionKindChoices.ENTERPRISE: 42,
    InstitutionKindChoices.GOVERNMENT_BODY: 9,
    InstitutionKindChoices.DEVELOPMENT_ZONE: 3,
    InstitutionKindChoices.ALLIANCE: 2,
    InstitutionKindChoices.RESEARCH_INSTITUTE: 1,
    InstitutionKindChoices.INDUSTRY_ASSOCIATION: 1,
    InstitutionKindChoices.OTHER: 1,
}
TITLES = {
    InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL: ("校长", "党委书记", "副校长", "党委副书记"),
    InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE: ("党委书记", "院长", "副院长", "党委副书记"),
    InstitutionKindChoices.UNIVERSITY: ("党委书记", "校长", "副校长"),
    InstitutionKindChoices.EDUCATION_GROUP: ("董事长", "总裁", "副总裁", "总经理"),
    InstitutionKindChoices.HOLDING_GROUP: ("董事长", "总经理", "副总经理"),
    InstitutionKindChoices.ENTERPRISE: ("董事长", "总经理", "副总经理", "人力资源总监"),
    InstitutionKindChoices.GOVERNMENT_BODY: ("局长", "副局长", "主任", "副主任", "党组书记"),
    InstitutionKindChoices.DEVELOPMENT_ZONE: ("管委会主任", "党工委书记", "管委会副主任"),
    InstitutionKindChoices.ALLIANCE: ("理事长", "秘书长", "副理事长"),
    InstitutionKindChoices.RESEARCH_INSTITUTE: ("院长", "副院长", "首席科学家"),
    InstitutionKindChoices.INDUSTRY_ASSOCIATION: ("会长", "秘书长", "副会长"),
    InstitutionKindChoices.OTHER: ("负责人", "主任"),
}
# (title suffix, kind of agreement, project type codes it implies)
AGREEMENT_TEMPLATES = (
    ("校企合作协议", AgreementKindChoices.COOPERATION_AGREEMENT, ("internship-training-base", "order-class")),
    ("共建{industry}产业学院合作协议", AgreementKindChoices.COOPERATION_AGREEMENT, ("industry-college",)),
    ("共建实习实训基地协议", AgreementKindChoices.COOPERATION_AGREEMENT, ("internship-training-base",)),
    ("战略合作框架协议", AgreementKindChoices.FRAMEWORK_AGREEMENT, ()),
    ("产教融合战略合作意向书", AgreementKindChoices.STRATEGIC_INTENT, ()),
    ("{industry}订单班合作协议", AgreementKindChoices.COOPERATION_AGREEMENT, ("order-class", "job-placement")),
    ("现代学徒制试点合作协议", AgreementKindChoices.COOPERATION_AGREEMENT, ("modern-apprenticeship",)),
    ("合作办学协议", AgreementKindChoices.COOPERATION_AGREEMENT, ("joint-programme",)),
    ("{industry}人才培养合作备忘录", AgreementKindChoices.MEMORANDUM, ("joint-curriculum",)),
    ("共建{industry}技术研发中心协议", AgreementKindChoices.OTHER, ("rd-platform",)),
)
STATUS_WEIGHTS = (
    (AgreementStatusChoices.INTENT, 10),
    (AgreementStatusChoices.SIGNED, 45),
    (AgreementStatusChoices.IN_PROGRESS, 30),
    (AgreementStatusChoices.COMPLETED, 12),
    (AgreementStatusChoices.TERMINATED, 3),
)
FIRST_YEAR, LAST_YEAR = 2012, 2025
PROJECTS_PER_AGREEMENT = 0.1
# A date the source does not give: no bounds, precision unknown, nothing written.
UNKNOWN_DATE = (None, None, DatePrecisionChoices.UNKNOWN, "", "")
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@functools.cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Return a name in traditional script, as reposts on some sites write it."""
    return _s2t().convert(text)


def short_place(name: str) -> str:
    """Return a region's name as it appears inside institution names: 赣州市 → 赣州."""
    for prefix in ("内蒙古", "黑龙江"):
        if name.startswith(prefix):
            return prefix
    if "自治" in name or name.endswith("特别行政区"):
        return name[:2]
    for suffix in ("地区", "林区", "市", "省", "盟", "区", "县", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass
class Unit:
    """A prefecture (or a province-level city) and the county-level regions inside it."""

    province: tuple[int, str]
    prefecture: tuple[int, str]
    counties: list[tuple[int, str, str]]
    weight: float
    institutions: list[int] = field(default_factory=list)


def tracked(stamp: datetime.datetime) -> dict:
    """Return the fields every tracked record carries, as a first save would set them (version 1)."""
    return {"created": stamp, "last_updated": stamp, "version": 1}


def written_date(prefix: str, date: tuple = ()) -> dict:
    """Return one date as written (earliest, latest, precision, text, basis) under its fields' names."""
    parts = ("earliest", "latest", "precision", "text", "basis")
    return {f"{prefix}_{part}": value for part, value in zip(parts, date or UNKNOWN_DATE, strict=True)}


# The model each kind of generated row goes into. Rows are dicts keyed by the fields' attnames;
# a field a row leaves out takes the model's default (see Table.plan), so the rows never
# depend on the order of a table's columns.
TABLES = {
    "source": m.SourceDocument,
    "institution": m.Institution,
    "alias": m.InstitutionAlias,
    "institution_relation": m.InstitutionRelation,
    "membership": m.Membership,
    "member_count": m.MemberCount,
    "person": m.Person,
    "person_alias": m.PersonAlias,
    "post": m.Post,
    "event": m.Event,
    "event_kind": m.EventKind,
    "event_participant": m.EventParticipant,
    "agreement": m.Agreement,
    "agreement_project_type": m.Agreement.project_types.through,
    "agreement_industry": m.Agreement.industries.through,
    "party": m.AgreementParty,
    "project": m.Project,
    "project_agreement": m.Project.agreements.through,
    "project_builder": m.ProjectBuilder,
    "project_quantity": m.ProjectQuantity,
    "funding": m.Funding,
    "agreement_citation": m.AgreementCitation,
    "institution_citation": m.InstitutionCitation,
}
# Tables that must be empty before a run: the generator owns every row it writes there.
OWNED_MODELS = tuple(dict.fromkeys(TABLES.values()))


def database_fills(field: models.Field) -> bool:
    """Return whether the database gives the field its value: an automatic id, a database default."""
    return isinstance(field, AutoFieldMixin) or (field.has_db_default() and not field.has_default())


def has_default(field: models.Field) -> bool:
    """Return whether the model gives a field a valid value when none is written.

    An explicit default or database default, NULL where the field allows it, or the empty
    string where a blank text is allowed. Django would put "" or None in any other field
    too, which a NOT NULL column or full_clean() then refuses.
    """
    if field.has_default() or database_fills(field):
        return True
    if field.null:
        return True
    return field.blank and field.empty_strings_allowed


def missing_fields(model: type[models.Model], generated: Iterable[str]) -> list[str]:
    """Return the concrete fields of a model that have neither a generated value nor a default."""
    generated = set(generated)
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.attname not in generated and not field.generated and not has_default(field)
    ]


Rows = list[dict]


@dataclass
class Counts:
    agreements: int
    institutions: int
    people: int

    @classmethod
    def for_agreements(cls, agreements: int, institutions: int | None = None, people: int | None = None) -> "Counts":
        return cls(
            agreements=agreements,
            institutions=institutions or max(20, round(agreements * INSTITUTIONS_PER_AGREEMENT)),
            people=people or max(20, round(agreements * PEOPLE_PER_AGREEMENT)),
        )


# The kinds _school_name() names; every other kind is named by _body_name().
SCHOOL_NAME_KINDS = (
    InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE,
    InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL,
    InstitutionKindChoices.UNIVERSITY,
)


class Generator:
    """Make the rows of one synthetic dataset; every choice comes from one seeded random source."""

    def __init__(
        self,
        counts: Counts,
        seed: int,
        regions: Iterable[tuple[int, str, str, str, int | None]],
        project_types: dict[str, int],
        industries: dict[str, tuple[int, str]],
    ):
        self.counts = counts
        self.seed = seed
        self.random = random.Random(seed)
        # What the model holds since real articles (projects, funding, terms, relations) draws on its own
        # random source, so the rows generated before stay exactly as they were for the same seed.
        self.extra = random.Random(seed + 1_000_003)
        self.project_types = project_types
        self.industries = industries
        regions = list(regions)
        self.units = self._units(regions)
        parents = {r[0]: r[4] for r in regions}
        # Each region with its ancestors, itself first, for the region an agreement is filed under.
        self.region_chain = {
            pk: tuple(x for x in (pk, parents.get(pk), parents.get(parents.get(pk))) if x is not None) for pk in parents
        }
        self.unit_cum = list(itertools.accumulate(unit.weight for unit in self.units))
        self.names: set[str] = set()
        # Filled as institutions are made.
        self.inst_name: list[str] = [""]
        self.inst_alias: list[str | None] = [None]
        self.inst_kind: list[str] = [""]
        self.inst_party: list[PartyNames] = [PartyNames("", "", "", "", ())]  # what its agreements' rollups take
        self.inst_region: list[int] = [0]
        self.inst_unit: list[int] = [0]
        self.officials: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.cited_institutions: set[int] = set()
        self.type_names = {pk: name for code, name, _ in PROJECT_TYPES if (pk := project_types.get(code))}
        self.project_pk = self.builder_pk = self.quantity_pk = self.funding_pk = 0
        self.event_region: dict[int, int] = {}

    # Regions -----------------------------------------------------------------------------

    def _units(self, regions) -> list[Unit]:
        by_id = {r[0]: r for r in regions}
        children = defaultdict(list)
        for region in regions:
            if region[4] is not None:
                children[region[4]].append(region)
        units = []
        for province in sorted((r for r in regions if r[3] == RegionLevelChoices.PROVINCE), key=lambda r: r[1]):
            population = PROVINCE_POPULATION.get(province[1][:2], 5)
            prefectures, direct = [], []
            for child in sorted(children[province[0]], key=lambda r: r[1]):
                (prefectures if child[3] == RegionLevelChoices.PREFECTURE else direct).append(child)
            groups = [(p, sorted(children[p[0]], key=lambda r: r[1])) for p in prefectures]
            if direct:  # a province-level city, or counties under the province directly
                groups.append((province, direct))
            sizes = sum(max(1, len(counties)) for _, counties in groups)
            for prefecture, counties in groups:
                # Prefectures with more county-level divisions are more populous; city districts count double.
                size = sum(2 if c[2].endswith("区") else 1 for c in counties) or 1
                units.append(
                    Unit(
                        province=(province[0], short_place(province[2])),
                        prefecture=(prefecture[0], short_place(prefecture[2])),
                        counties=[(c[0], short_place(c[2]), c[2]) for c in counties]
                        or [(prefecture[0], short_place(prefecture[2]), prefecture[2])],
                        weight=population * size / sizes,
                    )
                )
        assert by_id and units, "load the regions first (manage.py load_regions)"
        return units

    def _pick_unit(self) -> int:
        return bisect.bisect(self.unit_cum, self.random.random() * self.unit_cum[-1])

    # Names -------------------------------------------------------------------------------

    def _trade_name(self) -> str:
        r = self.random
        return r.choice(TRADE) + r.choice(TRADE)

    def _institution_name(self, kind: str, unit: Unit, county: str, county_full: str) -> tuple[str, str | None]:
        """Return a plausible name and short name for an institution of a kind in a place."""
        r = self.random
        spec, trade = r.choice(SPECIALTIES), r.choice(TRADES)
        if kind in SCHOOL_NAME_KINDS:
            return self._school_name(kind, unit, county, spec)
        return self._body_name(kind, unit, county, county_full, trade)

    def _school_name(self, kind: str, unit: Unit, county: str, spec: str) -> tuple[str, str | None]:
        """Return a name and short name for a college, a secondary school or a university."""
        r, city, province = self.random, unit.prefecture[1], unit.province[1]
        K = InstitutionKindChoices
        if kind == K.HIGHER_VOCATIONAL_COLLEGE:
            place = r.choice((city, city, province))
            if spec == "师范":
                return f"{place}师范高等专科学校", f"{place}师专"
            return r.choice(
                (
                    (f"{place}职业技术学院", f"{place}职院"),
                    (f"{place}{spec}职业技术学院", f"{place}{spec[0]}职院"),
                    (f"{place}{spec}职业学院", f"{place}{spec[0]}职"),
                )
            )
        if kind == K.SECONDARY_VOCATIONAL_SCHOOL:
            return r.choice(
                (
                    (f"{county}职业中等专业学校", f"{county}职专"),
                    (f"{county}中等专业学校", f"{county}中专"),
                    (f"{city}{spec}职业学校", f"{city}{spec}职校"),
                    (f"{county}第{r.choice('一二三四五')}职业中学", None),
                    (f"{city}{spec}技工学校", f"{city}{spec}技校"),
                    (f"{county}职业技术学校", f"{county}职校"),
                )
            )
        return r.choice(
            ((f"{city}{spec}大学", f"{city[0]}{spec[0]}大"), (f"{city}学院", None), (f"{province}{spec}学院", None))
        )

    def _body_name(self, kind: str, unit: Unit, county: str, county_full: str, trade: str) -> tuple[str, str | None]:
        """Return a name and short name for any institution other than a school."""
        r, city, province = self.random, unit.prefecture[1], unit.province[1]
        K = InstitutionKindChoices
        if kind == K.EDUCATION_GROUP:
            name = self._trade_name()
            return r.choice(((f"{name}教育集团", f"{name}教育"), (f"{city}{name}教育科技集团有限公司", f"{name}教育")))
        if kind == K.HOLDING_GROUP:
            name = self._trade_name()
            return f"{city}{name}控股集团有限公司", f"{name}集团"
        if kind == K.ENTERPRISE:
            name = self._trade_name()
            return r.choice(
                (
                    (f"{city}{name}{trade}有限公司", f"{name}{trade}"),
                    (f"{province}{name}{trade}股份有限公司", f"{name}股份"),
                    (f"{name}{trade}（{city}）有限公司", None),
                )
            )
        if kind == K.GOVERNMENT_BODY:
            return r.choice(
                (
                    (f"{city}市教育局", f"{city}教育局"),
                    (f"{county_full}人民政府", f"{county}政府"),
                    (f"{city}市投资促进中心", None),
                    (f"{city}市人大常委会", None),
                    (f"{city}市人力资源和社会保障局", f"{city}人社局"),
                    (f"{county_full}教育体育局", None),
                )
            )
        if kind == K.DEVELOPMENT_ZONE:
            return r.choice(
                (
                    (f"{city}经济技术开发区", f"{city}经开区"),
                    (f"{city}高新技术产业开发区", f"{city}高新区"),
                    (f"{county}{trade}产业园区", None),
                )
            )
        if kind == K.ALLIANCE:
            industry = r.choice(INDUSTRIES)[1]
            return r.choice(
                (
                    (f"{city}{industry}产教联合体", None),
                    (f"{province}{industry}职业教育联盟", f"{province}{industry}职教联盟"),
                )
            )
        if kind == K.RESEARCH_INSTITUTE:
            return f"{city}{trade}研究院", None
        if kind == K.INDUSTRY_ASSOCIATION:
            return f"{city}{trade}行业协会", f"{city}{trade[:2]}协会"
        return f"{city}{trade}服务中心", None

    def _unique(self, make: Callable[[], tuple[str, str | None]], county: str) -> tuple[str, str | None]:
        for _ in range(6):
            name, alias = make()
            if name not in self.names:
                break
        else:
            base = name
            for n in itertools.count(2):
                name = f"{base}（{county}{n}分部）"
                if name not in self.names:
                    break
        self.names.add(name)
        return name, alias

    def _person_name(self) -> str:
        r = self.random
        given = r.choice(GIVEN) if r.random() < 0.3 else r.choice(GIVEN) + r.choice(GIVEN)
        return r.choice(SURNAMES[:30] if r.random() < 0.7 else SURNAMES) + given

    # Rows --------------------------------------------------------------------------------

    def _stamp(self, n: int) -> datetime.datetime:
        return EPOCH + datetime.timedelta(seconds=n)

    def institutions(self) -> Iterator[dict[str, Rows]]:
        """Yield the institutions, their aliases, alliances' members and counts."""
        r = self.random
        kinds = list(KIND_WEIGHTS)
        cum = list(itertools.accumulate(KIND_WEIGHTS.values()))
        institutions, aliases = [], []
        for pk in range(1, self.counts.institutions + 1):
            kind = kinds[bisect.bisect(cum, r.random() * cum[-1])]
            if pk <= len(kinds):  # every kind at least once, however small the dataset
                kind = kinds[pk - 1]
            unit_index = self._pick_unit()
            unit = self.units[unit_index]
            region, county, county_full = r.choice(unit.counties)
            if kind in (InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE, InstitutionKindChoices.UNIVERSITY):
                region = unit.prefecture[0]
            name, alias = self._unique(
                functools.partial(self._institution_name, kind, unit, county, county_full), county
            )
            founded = self._founded(kind)
            institutions.append(
                {"id": pk, **tracked(self._stamp(pk)), "name": name, "name_folded": name, "kind": kind,
                 "region_id": region, **written_date("founded", founded)}
            )
            if alias and alias != name:
                aliases.append(
                    {"id": len(aliases) + 1, "institution_id": pk, "name": alias, "name_folded": alias,
                     "kind": InstitutionAliasKindChoices.SHORT_NAME}
                )
            self.inst_name.append(name)
            self.inst_alias.append(alias)
            self.inst_kind.append(kind)
            # Generated names are in simplified script and have no English name: folded, they stay the same.
            self.inst_party.append(
                PartyNames(
                    kind, name, "", name, ((alias, alias),) if alias and alias != name else (), self.region_chain.get(region, ())
                )
            )
            self.inst_region.append(region)
            self.inst_unit.append(unit_index)
            unit.institutions.append(pk)
        memberships, member_counts, relations = [], [], []
        holding_groups = [pk for pk, kind in enumerate(self.inst_kind) if kind == InstitutionKindChoices.HOLDING_GROUP]
        for pk, kind in enumerate(self.inst_kind):
            if kind == InstitutionKindChoices.ENTERPRISE and holding_groups and self.extra.random() < 0.1:
                # 全资子公司: a wholly-owned subsidiary, or a stated share.
                share = self.extra.choice((100, 100, 51, 70))
                relations.append(
                    {"id": len(relations) + 1, **tracked(EPOCH), "subject_id": pk,
                     "kind": InstitutionRelationKindChoices.SUBSIDIARY_OF,
                     "object_id": self.extra.choice(holding_groups),
                     "share": share, **written_date("since")}
                )
            if kind != InstitutionKindChoices.ALLIANCE:
                continue
            pool = self.units[self.inst_unit[pk]].institutions
            members = {i for i in r.sample(pool, min(len(pool), r.randint(3, 12))) if i != pk}
            for n, member in enumerate(sorted(members)):
                role = MembershipRoleChoices.LEAD_SCHOOL if n == 0 else MembershipRoleChoices.MEMBER
                memberships.append(
                    {"id": len(memberships) + 1, **tracked(EPOCH), "alliance_id": pk, "member_id": member, "role": role}
                )
                if n == 0:  # 理事长单位: the lead school chairs the alliance
                    relations.append(
                        {"id": len(relations) + 1, **tracked(EPOCH), "subject_id": member,
                         "kind": InstitutionRelationKindChoices.CHAIR_OF, "object_id": pk, "share": None,
                         **written_date("since")}
                    )
            member_counts.append(
                {"id": len(member_counts) + 1, **tracked(EPOCH), "alliance_id": pk,
                 "category": MemberCountCategoryChoices.ENTERPRISE, "count": r.randint(10, 120)}
            )
        yield {
            "institution": institutions,
            "alias": aliases,
            "membership": memberships,
            "member_count": member_counts,
            "institution_relation": relations,
        }

    def _founded(self, kind: str) -> tuple:
        """Return a founding date as written for schools, known to the year; unknown for the others."""
        if kind not in SCHOOL_KINDS or self.extra.random() < 0.6:
            return UNKNOWN_DATE
        year = self.extra.randint(1950, 2018)
        return (
            datetime.date(year, 1, 1), datetime.date(year, 12, 31), DatePrecisionChoices.YEAR, f"始建于{year}年",
            DateBasisChoices.TEXT,
        )

    def people(self) -> Iterator[dict[str, Rows]]:
        """Yield officials and their posts: most hold one title, some two at the same institution."""
        r = self.random
        people, posts, seen, aliases = [], [], set(), []
        n_inst = self.counts.institutions
        for pk in range(1, self.counts.people + 1):
            institution = r.randint(1, n_inst)
            titles = TITLES[self.inst_kind[institution]]
            title = r.choice(titles)
            name = self._person_name()
            disambiguation = f"{self.inst_alias[institution] or self.inst_name[institution]}{title}"
            while (name, disambiguation) in seen:
                disambiguation += "（另）"
            seen.add((name, disambiguation))
            people.append({"id": pk, **tracked(self._stamp(pk)), "name": name, "disambiguation": disambiguation})
            if self.extra.random() < 0.03:  # reposts in traditional script give people a second spelling
                traditional = to_traditional(name)
                if traditional != name:
                    aliases.append(
                        {"id": len(aliases) + 1, "person_id": pk, "name": traditional, "name_folded": name,
                         "kind": PersonAliasKindChoices.TRADITIONAL}
                    )
            held = [title]
            if r.random() < 0.15:
                other = r.choice(titles)
                if other != title:
                    held.append(other)
            for post_title in held:
                start = datetime.date(r.randint(2008, 2022), r.randint(1, 12), 1) if r.random() < 0.8 else None
                end = start + datetime.timedelta(days=r.randint(365, 3000)) if start and r.random() < 0.3 else None
                attested = None
                if start and r.random() < 0.5:
                    attested = start + datetime.timedelta(days=r.randint(0, ((end - start).days if end else 365)))
                posts.append(
                    {"id": len(posts) + 1, **tracked(EPOCH), "start_date": start, "end_date": end, "person_id": pk,
                     "institution_id": institution, "title": post_title, "attested_on": attested}
                )
                self.officials[institution].append((pk, post_title))
        yield {"person": people, "post": posts, "person_alias": aliases}

    def _signing(self) -> tuple[datetime.date | None, datetime.date | None, str]:
        r = self.random
        roll = r.random()
        # Later years hold more agreements: the policy push grew them.
        year = min(LAST_YEAR, FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * math.sqrt(r.random())))
        month = r.randint(1, 12)
        if roll < 0.05:
            return None, None, DatePrecisionChoices.UNKNOWN
        if roll < 0.55:
            day = datetime.date(year, month, r.randint(1, 28))
            return day, day, DatePrecisionChoices.DAY
        if roll < 0.80:
            first = datetime.date(year, month, 1)
            last = (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
            return first, last, DatePrecisionChoices.MONTH
        if roll < 0.90:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31), DatePrecisionChoices.YEAR
        first = datetime.date(year, month, r.randint(1, 26))
        return first, first + datetime.timedelta(days=r.randint(1, 6)), DatePrecisionChoices.RANGE

    def agreements(self) -> Iterator[dict[str, Rows]]:
        """Yield agreements with parties, project types, industries, events, sources and citations, a chunk at a time."""
        self._activity_prepare()
        n_events = max(1, self.counts.agreements // AGREEMENTS_PER_EVENT)
        self.event_dates: dict[int, datetime.date] = {}
        self.party_pk = self.citation_pk = self.inst_citation_pk = self.source_pk = 0
        participant_pk = 0
        for start in range(1, self.counts.agreements + 1, CHUNK):
            stop = min(start + CHUNK, self.counts.agreements + 1)
            out: dict[str, Rows] = defaultdict(list)
            sentences = [self._agreement(out, pk, n_events) for pk in range(start, stop)]
            self._sources(out, sentences)
            if start == 1:
                out["event"], out["event_participant"], out["event_kind"] = self._events(n_events, participant_pk)
                participant_pk = len(out["event_participant"])
                # The events are made after this chunk's agreements: those filed under their event's region learn it now.
                self.event_region = {row["id"]: row["region_id"] for row in out["event"]}
                for row in out["agreement"]:
                    if row["effective_region_id"] is None and row["event_id"] is not None:
                        row["effective_region_id"] = self.event_region[row["event_id"]]
            # Events go first: agreements of this chunk point at them.
            yield {name: out[name] for name in ("source", "event", "event_participant", "agreement", "project", *out) if name in out}

    def _activity_prepare(self) -> None:
        """Give every institution its signing activity: a few sign a great deal, most a handful (heavy-tailed)."""
        r = self.random
        self.activity = [0.0] + [
            r.paretovariate(1.5) * (3 if self.inst_kind[i] in SCHOOL_KINDS else 1)
            for i in range(1, self.counts.institutions + 1)
        ]
        self.activity_cum = list(itertools.accumulate(self.activity))
        self.pool_cum: dict[int, list[float]] = {}

    def _weighted_institution(self, pool: list[int] | None = None) -> int:
        """Return an institution drawn by activity, from the pool if one is given."""
        r = self.random
        if pool is None:
            return bisect.bisect(self.activity_cum, r.random() * self.activity_cum[-1])
        key = id(pool)
        if key not in self.pool_cum:
            self.pool_cum[key] = list(itertools.accumulate(self.activity[i] for i in pool))
        cum = self.pool_cum[key]
        return pool[min(len(pool) - 1, bisect.bisect(cum, r.random() * cum[-1]))]

    def _parties(self) -> list[int]:
        """Return an agreement's institutions, the lead first (most often a school), mostly local partners."""
        r = self.random
        lead = self._weighted_institution()
        while self.inst_kind[lead] not in SCHOOL_KINDS and r.random() < 0.7:
            lead = self._weighted_institution()
        parties = [lead]
        local = self.units[self.inst_unit[lead]].institutions
        for _ in range(r.choices((1, 2, 3), (60, 30, 10))[0]):
            other = self._weighted_institution(local if r.random() < 0.7 else None)
            if other not in parties:
                parties.append(other)
        if len(parties) < 2:
            parties.append(lead % self.counts.institutions + 1)
        return parties

    def _status(self, kind: str) -> str:
        r = self.random
        statuses = [s for s, _ in STATUS_WEIGHTS]
        status_cum = list(itertools.accumulate(w for _, w in STATUS_WEIGHTS))
        status = statuses[bisect.bisect(status_cum, r.random() * status_cum[-1])]
        if kind == AgreementKindChoices.STRATEGIC_INTENT and r.random() < 0.7:
            status = AgreementStatusChoices.INTENT
        return status

    def _term(self, earliest: datetime.date | None) -> tuple:
        """Return a term as DateAsWritten columns (合作期限三年 and the like, from the signing on), often none."""
        if earliest and self.extra.random() < 0.4:
            years = self.extra.choice((1, 2, 3, 3, 5))
            until = earliest.replace(year=earliest.year + years) - datetime.timedelta(days=1)
            return (earliest, until, DatePrecisionChoices.RANGE, f"合作期限{'一二三四五'[years - 1]}年", DateBasisChoices.TEXT)
        return UNKNOWN_DATE

    def _agreement(self, out, pk: int, n_events: int) -> tuple[int, str, list[int]]:
        """Add an agreement and its parties, links and project; return the sentence a source reports it in."""
        r = self.random
        parties = self._parties()
        suffix, kind, implied = r.choice(AGREEMENT_TEMPLATES)
        industry = r.choice(list(self.industries))
        suffix = suffix.format(industry=self.industries[industry][1])
        names = [self.inst_name[i] for i in parties]
        title = f"{'、'.join(names[:-1])}与{names[-1]}{suffix}"
        earliest, latest, precision = self._signing()
        status = self._status(kind)
        event = None
        if precision == DatePrecisionChoices.DAY and r.random() < 0.2:
            event = r.randint(1, n_events)
            earliest = latest = self.event_dates.setdefault(event, earliest)
        lead = parties[0]
        region = self.inst_region[lead] if r.random() < 0.97 else None
        place = self.units[self.inst_unit[lead]].prefecture[1] if region else ""
        stamp = self._stamp(pk)
        when = (
            earliest.strftime("%Y年%-m月%-d日")
            if precision == DatePrecisionChoices.DAY
            else (earliest.strftime("%Y年%-m月") if earliest else "近日")
        )
        term = self._term(earliest)
        out["agreement"].append(
            {"id": pk, **tracked(stamp), "reference": f"GEN-{self.seed}-{pk:08d}", "title": title[:300],
             "kind": kind, "status": status, "signed_earliest": earliest, "signed_latest": latest,
             "signed_precision": precision, "signed_text": when if earliest else "",
             "signed_basis": DateBasisChoices.TEXT if earliest else "", "valid_from": term[0],
             "valid_until": term[1], "term_precision": term[2], "term_text": term[3], "term_basis": term[4],
             "amends_id": None, "place": place, "region_id": region, "event_id": event,
             **self._rollups(parties, earliest, latest, region, self.event_region.get(event) if event else None)}
        )
        self._party_rows(out, pk, parties, stamp)
        types = self._links(out, pk, implied, industry, suffix)
        out["agreement"][-1]["has_project_type"] = bool(types)
        if self.extra.random() < PROJECTS_PER_AGREEMENT:
            self._project(out, pk, parties, sorted(types), earliest, latest, precision, when, region, place, stamp)
        return pk, f"{when}，{title}在{place or '当地'}签署。", parties

    def _party_rows(self, out, pk: int, parties: list[int], stamp) -> None:
        """Add an agreement's parties: the lead, brokers (government bodies), partners, now and then a witness."""
        r = self.random
        for n, institution in enumerate(parties):
            self.party_pk += 1
            if n == 0:
                role = AgreementPartyRoleChoices.LEAD
            elif self.inst_kind[institution] == InstitutionKindChoices.GOVERNMENT_BODY:
                role = AgreementPartyRoleChoices.BROKER
            else:
                role = AgreementPartyRoleChoices.PARTNER if r.random() < 0.97 else AgreementPartyRoleChoices.WITNESS
            signatory, signatory_title = None, ""
            officials = self.officials.get(institution)
            if officials and r.random() < 0.35:
                signatory, signatory_title = r.choice(officials)
            out["party"].append(
                {"id": self.party_pk, **tracked(stamp), "agreement_id": pk, "institution_id": institution,
                 "role": role, "signatory_id": signatory, "signatory_title": signatory_title}
            )

    def _links(self, out, pk: int, implied, industry: str, suffix: str) -> set[int]:
        """Add an agreement's project types (those its title implies, and others) and industries; return the types."""
        r = self.random
        pt_codes = list(self.project_types)
        types = {self.project_types[c] for c in implied}
        for _ in range(r.choice((0, 1, 1, 2))):
            types.add(self.project_types[r.choice(pt_codes)])
        if not types:
            types.add(self.project_types[r.choice(pt_codes)])
        out["agreement_project_type"].extend({"agreement_id": pk, "projecttype_id": t} for t in sorted(types))
        industries = {self.industries[industry][0]} if "{industry}" in suffix or r.random() < 0.5 else set()
        if r.random() < 0.2:
            industries.add(self.industries[r.choice(list(self.industries))][0])
        out["agreement_industry"].extend({"agreement_id": pk, "industry_id": i} for i in sorted(industries))
        return types

    def _sources(self, out, sentences: list[tuple[int, str, list[int]]]) -> None:
        """Add source documents, each reporting AGREEMENTS_PER_SOURCE agreements, each agreement citing its sentence."""
        r = self.random
        for group in range(0, len(sentences), AGREEMENTS_PER_SOURCE):
            self.source_pk += 1
            source_pk = self.source_pk
            unit = self.units[self.inst_unit[sentences[group][2][0]]]
            heading = f"{unit.province[1]}职业教育校企合作动态（第{source_pk}期）"
            parts, position = [heading, "\n"], len(heading) + 1
            for n, (pk, sentence, parties) in enumerate(sentences[group : group + AGREEMENTS_PER_SOURCE]):
                self.citation_pk += 1
                out["agreement_citation"].append(
                    {"id": self.citation_pk, "record_id": pk, "source_id": source_pk, "quote": sentence,
                     "position": position, "created": EPOCH}
                )
                self._institution_citations(out, parties, sentence, position)
                parts.append(sentence)
                position += len(sentence)
                if n % 5 == 4:
                    parts.append("\n")
                    position += 1
            text = "".join(parts)
            published = datetime.date(LAST_YEAR, 1, 1) + datetime.timedelta(days=source_pk % 300)
            out["source"].append(
                {"id": source_pk, **tracked(EPOCH), "key": f"synthetic-{self.seed}-{source_pk:06d}", "title": heading,
                 "publisher_name": r.choice(PUBLISHERS), "language": "zh-hans", "published_on": published,
                 "text": text, "text_normalized": text, "checksum": hashlib.sha256(text.encode()).hexdigest(),
                 "fingerprint": m.text_fingerprints(text)[0]}
            )

    def _institution_citations(self, out, parties: list[int], sentence: str, position: int) -> None:
        """Cite about half the institutions, once each, by their name in the sentence of their first agreement."""
        for institution in parties:
            if institution not in self.cited_institutions and self.random.random() < 0.5:
                self.cited_institutions.add(institution)
                name = self.inst_name[institution]
                self.inst_citation_pk += 1
                out["institution_citation"].append(
                    {"id": self.inst_citation_pk, "record_id": institution, "source_id": self.source_pk, "quote": name,
                     "position": position + sentence.index(name), "created": EPOCH}
                )

    def _rollups(self, parties: list[int], earliest, latest, region: int | None, event_region: int | None) -> dict:
        """Return an agreement's rollups, derived as the models derive them (events made later give their region
        later, and the links made after it whether it plans a project type)."""
        return rollups_derive(
            (self.inst_party[i] for i in parties), earliest, latest, region=region, event_region=event_region
        )

    def _project(self, out, agreement: int, parties, types, earliest, latest, precision, when, region, place, stamp) -> None:
        """Add the project an agreement sets up: its builders, often a quantity, sometimes funding."""
        x = self.extra
        self.project_pk += 1
        pk = self.project_pk
        type_id = x.choice(types)
        lead = parties[0]
        short = self.inst_alias[lead] or self.inst_name[lead]
        status = x.choice((ProjectStatusChoices.PLANNED, ProjectStatusChoices.ESTABLISHED, ProjectStatusChoices.RUNNING))
        established = UNKNOWN_DATE
        if status != ProjectStatusChoices.PLANNED and earliest:
            established = (earliest, latest, precision, when, DateBasisChoices.TEXT)
        name = f"{short}{self.type_names[type_id]}（{pk}）"
        out["project"].append(
            {"id": pk, **tracked(stamp), "reference": f"GEN-{self.seed}-P{pk:07d}", "name": name[:300],
             "project_type_id": type_id, "status": status, **written_date("established", established),
             "region_id": region, "place": place}
        )
        out["project_agreement"].append({"project_id": pk, "agreement_id": agreement})
        for n, institution in enumerate(parties[:3]):
            self.builder_pk += 1
            role = ProjectBuilderRoleChoices.LEAD if n == 0 else ProjectBuilderRoleChoices.CO_BUILDER
            out["project_builder"].append(
                {"id": self.builder_pk, **tracked(stamp), "project_id": pk, "institution_id": institution, "role": role}
            )
        if x.random() < 0.5:  # 订单班“170余名学生”
            self.quantity_pk += 1
            out["project_quantity"].append(
                {"id": self.quantity_pk, **tracked(stamp), "project_id": pk,
                 "measure": ProjectQuantityMeasureChoices.STUDENTS, "value": decimal.Decimal(x.randint(3, 60) * 10),
                 "unit": "名", "approximate": x.random() < 0.6}
            )
        if x.random() < 0.3:  # 预计投资10亿元, 捐赠500万元
            self.funding_pk += 1
            kind = x.choice((FundingKindChoices.INVESTMENT, FundingKindChoices.INVESTMENT, FundingKindChoices.DONATION))
            amount = decimal.Decimal(x.choice((50, 100, 200, 500, 1000, 5000, 100000))) * 10_000
            out["funding"].append(
                {"id": self.funding_pk, **tracked(stamp), "reference": f"GEN-{self.seed}-F{self.funding_pk:07d}",
                 "amount": amount, "currency": "CNY", "approximate": x.random() < 0.5, "kind": kind,
                 "contributor_id": x.choice(parties), "project_id": pk, "agreement_id": None}
            )

    def _events(self, n_events: int, participant_pk: int) -> tuple[Rows, Rows, Rows]:
        r = self.random
        events, participants, kinds = [], [], []
        for pk in range(1, n_events + 1):
            a, b = r.randint(1, self.counts.institutions), r.randint(1, self.counts.institutions)
            day = datetime.date(r.randint(FIRST_YEAR, LAST_YEAR), r.randint(1, 12), r.randint(1, 28))
            unit = self.units[self.inst_unit[a]]
            events.append(
                {"id": pk, **tracked(EPOCH), "start_date": day, "end_date": day, "reference": f"GEN-{self.seed}-E{pk:07d}",
                 "title": f"{self.inst_name[a]}校企合作签约仪式", "kind": EventKindChoices.SIGNING_CEREMONY,
                 "date_precision": DatePrecisionChoices.DAY, "date_text": f"{day.month}月{day.day}日",
                 "date_basis": DateBasisChoices.PUBLICATION_DATE, "place": unit.prefecture[1],
                 "region_id": self.inst_region[a], "parent_id": None}
            )
            for institution, role in ((a, EventParticipantRoleChoices.HOST), (b, EventParticipantRoleChoices.ATTENDEE)):
                if institution == a and role != EventParticipantRoleChoices.HOST:
                    continue
                participant_pk += 1
                participants.append(
                    {"id": participant_pk, **tracked(EPOCH), "event_id": pk, "institution_id": institution,
                     "person_id": None, "role": role, "on_behalf_of_id": None}
                )
            if self.extra.random() < 0.3:  # 签约暨揭牌: the ceremony also unveils what it sets up
                kinds.append({"id": len(kinds) + 1, "event_id": pk, "kind": EventKindChoices.UNVEILING})
        return events, participants, kinds


# Writers ---------------------------------------------------------------------------------


def column_plan(model: type[models.Model], generated: Iterable[str]) -> list[tuple[str, Callable[[dict], Any]]]:
    """Return each column a table is written with and how a row gives its value: generated, else the model's default.

    A field with only a database default is left out, so the database fills it; a field with
    neither a generated value nor a default is an error naming it, on every database alike.
    """
    generated = set(generated)
    missing = missing_fields(model, generated)
    if missing:
        raise ImproperlyConfigured(
            f"The dataset generator gives {model._meta.label} no value for {', '.join(missing)}, "
            "and the model has no default: generate one or give the field a default."
        )
    plan = []
    for model_field in model._meta.concrete_fields:
        if model_field.generated:
            continue
        if model_field.attname in generated:
            plan.append((model_field.attname, operator.itemgetter(model_field.attname)))
        elif database_fills(model_field):
            continue
        else:
            # Called per row: a callable default (a fresh reference) differs from row to row.
            plan.append((model_field.attname, lambda row, model_field=model_field: model_field.get_default()))
    unknown = generated - {field.attname for field in model._meta.concrete_fields}
    if unknown:
        raise ImproperlyConfigured(f"{model._meta.label} has no field {', '.join(sorted(unknown))}.")
    return plan


class BulkCreateWriter:
    """Store rows with bulk_create: any database, small sizes."""

    def write(self, model: type[models.Model], rows: Rows) -> None:
        if not rows:
            return
        plan = column_plan(model, rows[0])
        objects = [model(**{name: value(row) for name, value in plan}) for row in rows]
        # auto_now fields would overwrite the generated timestamps; they are set explicitly here.
        model.objects.bulk_create(objects, batch_size=500)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class CopyWriter:
    """Store rows with COPY through psycopg 3, with indexes and foreign keys set aside while it loads.

    Like pg_restore: secondary indexes are dropped and built again at the end, and foreign
    keys are added back with a single validating pass, which is far faster than checking
    each row as it arrives. Unique and check constraints stay in place throughout.
    """

    def __init__(self, models_: Iterable[type[models.Model]]):
        self.tables = [model._meta.db_table for model in models_]
        self.saved_indexes: list[str] = []
        self.saved_foreign_keys: list[tuple[str, str, str]] = []

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[])
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [self.tables],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.contype = 'f' AND (c.conrelid = ANY(%s::regclass[]) OR c.confrelid = ANY(%s::regclass[]))
                """,
                [self.tables, self.tables],
            )
            self.saved_foreign_keys = cursor.fetchall()
            for table_name, name, _ in self.saved_foreign_keys:
                cursor.execute(f'ALTER TABLE {table_name} DROP CONSTRAINT "{name}"')
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
                self.saved_indexes.append(definition)
        return self

    def write(self, model: type[models.Model], rows: Rows) -> None:
        if not rows:
            return
        plan = column_plan(model, rows[0])
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name, _ in plan)
        values = [value for _, value in plan]
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([value(row) for value in values])

    def restore(self, progress: Callable[[str], None] = lambda _: None) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition in self.saved_indexes:
                progress("index " + definition.split(" ON ")[0].split()[-1])
                cursor.execute(definition)
            for table_name, name, definition in self.saved_foreign_keys:
                progress("foreign key " + name)
                cursor.execute(f'ALTER TABLE {table_name} ADD CONSTRAINT "{name}" {definition}')
            self.saved_indexes, self.saved_foreign_keys = [], []

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.restore()
        return False


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move each table's id sequence past the ids written explicitly."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def no_style():
    from django.core.management.color import no_style as style

    return style()


def taxonomy(model, terms) -> dict[str, int]:
    """Return the ids of a vocabulary's terms by code, creating those missing."""
    ids = {}
    for code, name, name_en in terms:
        term = model.objects.filter(code=code).first() or model.objects.filter(name=name).first()
        if term is None:
            term = model.objects.create(code=code, name=name, name_en=name_en)
        ids[code] = term.pk
    return ids


@dataclass
class Result:
    counts: dict[str, int]


def dataset_generate(*, counts: Counts, seed: int, progress=None) -> Result:
    """Fill the empty tables of an installation with a synthetic national dataset."""
    busy = [model._meta.verbose_name_plural for model in OWNED_MODELS if model.objects.exists()]
    if busy:
        raise ImproperlyConfigured(
            gettext("The dataset goes into empty tables; these hold rows: %(tables)s.")
            % {"tables": ", ".join(map(str, busy))}
        )
    regions = list(m.Region.objects.values_list("id", "code", "name", "level", "parent_id"))
    if not regions:
        raise ImproperlyConfigured(gettext("Load the regions first: manage.py load_regions."))
    written: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        project_types = taxonomy(m.ProjectType, PROJECT_TYPES)
        industry_ids = taxonomy(m.Industry, INDUSTRIES)
        industries = {code: (industry_ids[code], name) for code, name, _ in INDUSTRIES}
        generator = Generator(counts, seed, regions, project_types, industries)
        writer = CopyWriter(OWNED_MODELS) if connection.vendor == "postgresql" else BulkCreateWriter()
        with writer:
            for phase in (generator.institutions, generator.people, generator.agreements):
                for batch in phase():
                    for name, rows in batch.items():
                        writer.write(TABLES[name], rows)
                        written[name] += len(rows)
                    if progress:
                        progress(phase.__name__, len(batch.get("agreement", ())))
            if isinstance(writer, CopyWriter):
                writer.restore(lambda what: progress and progress(what, 0))
        # The parties and links were written without save(): the counts' rollups are filled in one pass each.
        partners_compute(m.AgreementParty, m.InstitutionPartners)
        project_types_compute(m.AgreementProjectType, m.ProjectTypeAgreements)
        reset_sequences(OWNED_MODELS)
    return Result(counts=dict(written))
