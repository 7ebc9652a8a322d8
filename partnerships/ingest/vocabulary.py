"""The words Chinese organisation names, titles and cooperation sentences are built from."""

import re

from partnerships.text import to_simplified

# Generic bodies: a name made only of these names no body in particular (区政府, 市教育局, 县委, 我校).
# Words that prefix a generic body's name without naming it: a level (区政府) or the article's own voice (我校).
GENERIC_PREFIXES = frozenset("我本该校贵全省市区县镇乡")
# Bodies every place has, named without their place: 教育局 is a 局 of 教育, 县委 a 委.
GENERIC_BODIES = frozenset({"委", "党委", "党工委", "纪委", "人大", "政协", "总工会", "工会", "团委", "人民政府办公室", "政府办公室"})
# The departments of a government (教育局, 人社厅, 组织部): generic without their place.
GENERIC_DEPARTMENTS = frozenset(
    {"教育", "教育体育", "教体", "财政", "人社", "人力资源和社会保障", "工业和信息化", "工信", "发改", "发展和改革", "科技",
     "商务", "民政", "卫健", "卫生健康", "公安", "组织", "宣传", "统战", "农业农村", "自然资源", "住建", "住房和城乡建设",
     "文旅", "文化和旅游", "人民", "交通运输", "市场监督管理", "生态环境", "应急管理", "退役军人事务"}
)

# How organisation names end, longest first so 技师学院 wins over 学院. Each maps to the kind it suggests;
# the kinds beyond the current InstitutionKindChoices are proposals (see services.ingest.INSTITUTION_KINDS).
ORGANISATION_SUFFIXES: dict[str, str] = {
    "街道办事处": "government_body",
    "职业技术学院": "higher_vocational_college",
    "职业技术学校": "secondary_vocational_school",
    "职业教育中心学校": "secondary_vocational_school",
    "职业学院": "higher_vocational_college",
    "职业学校": "secondary_vocational_school",
    "职业大学": "higher_vocational_college",
    "高等专科学校": "higher_vocational_college",
    "专科学校": "higher_vocational_college",
    "高新技术产业开发区": "development_zone",
    "经济技术开发区": "development_zone",
    "开发区": "development_zone",
    "经开区": "development_zone",
    "高新区": "development_zone",
    "工业园区": "development_zone",
    "产业园区": "development_zone",
    "产业园": "development_zone",
    # Offices of a government named by their short form (港澳办, 干教办, 中联办): the office's own name ends so.
    **dict.fromkeys(
        ("港澳台办", "港澳办", "台办", "侨办", "外办", "干教办", "人才办", "编办", "金融办", "扶贫办", "中联办", "网信办", "农办"),
        "government_body",
    ),
    "人大常委会": "government_body",
    "党工委": "party_organ",
    "技师学院": "technician_college",
    "技工学校": "technician_college",
    "职业中专": "secondary_vocational_school",
    # Short names of colleges: 赣州师专, 郑州商专, 湖北医专 (a place, a field, 专 for 专科学校).
    "师专": "higher_vocational_college",
    "商专": "higher_vocational_college",
    "医专": "higher_vocational_college",
    "幼专": "higher_vocational_college",
    "工专": "higher_vocational_college",
    "财专": "higher_vocational_college",
    "领导小组": "government_body",
    "中专学校": "secondary_vocational_school",
    "中专": "secondary_vocational_school",
    "股份有限公司": "enterprise",
    "总工会": "government_body",
    "组织部": "party_organ",
    "教学部": "department",
    "产业学院": "secondary_college",
    "教育基金会": "foundation",
    "慈善总会": "foundation",
    "慈善会": "foundation",
    "基金会": "foundation",
    "人民政府": "government_body",
    "有限责任公司": "enterprise",
    "有限公司": "enterprise",
    "分公司": "enterprise",
    "教育集团": "education_group",
    "控股集团": "holding_group",
    "集团": "enterprise",
    "公司": "enterprise",
    "管委会": "government_body",
    "委员会": "government_body",
    "办事处": "government_body",
    "办公室": "department",
    "政府": "government_body",
    "联合体": "alliance",
    "产教融合共同体": "alliance",
    "广播电视台": "other",
    "电视台": "other",
    "联盟": "alliance",
    "协会": "industry_association",
    "研究院": "research_institute",
    "研究所": "research_institute",
    "大学": "university",
    "学院": "other",
    "学校": "other",
    "中学": "other",
    "小学": "other",
    "中心": "government_body",
    "局": "government_body",
    # Associations, hospitals, co-operatives, a Party working committee, a posting's headquarters.
    "联合会": "industry_association",
    "促进会": "industry_association",
    "研究会": "industry_association",
    "商会": "industry_association",
    "学会": "industry_association",
    "中等专业学校": "secondary_vocational_school",
    "中医院": "other",
    "医院": "other",
    "合作总社": "government_body",
    "合作社": "enterprise",
    "联合社": "industry_association",
    "工委": "party_organ",
    "指挥部": "government_body",
    "工会": "government_body",
    "政协": "government_body",
}
# Words a byline puts before the names of the people who wrote the article.
BYLINE_WORDS = ("记者", "通讯员", "摄影", "编辑")
# Bodies every place has: a name ending so is one only when it starts with its place (隆昌市总工会).
PLACE_BOUND_SUFFIXES = frozenset({"领导小组", "总工会", "组织部", "工会", "工委", "指挥部", "政协"})
# A province's departments end with 厅 (云南省人社厅, 自治区教育厅), as a city's end with 局.
ORGANISATION_SUFFIXES.update({f"{department}厅": "government_body" for department in GENERIC_DEPARTMENTS if department != "人民"})
# Looked up by the word's tails, longest first: a scan of every suffix cost the engine hundreds of
# steps per token (tests/ingest/test_adversarial.py counts them).
_SUFFIX_SET = frozenset(ORGANISATION_SUFFIXES)
_LONGEST_SUFFIX = max(map(len, ORGANISATION_SUFFIXES))

# A bracketed word inside a company's name that marks it a group, not a second name: 中船九江海洋装备(集团)有限公司.
GROUP_MARKERS = frozenset({"集团", "控股", "集团公司", "控股集团"})

# Words ending like an organisation that are not one.
NOT_ORGANISATIONS = frozenset(
    {"布局", "格局", "开局", "结局", "大局", "全局", "当局", "骗局", "核心", "重心", "地方政府", "当地政府", "各级政府",
     "新格局", "中小学", "中职学校", "高职院校", "职业学校", "职业院校", "高职学院", "本科学校", "技工学校", "中等职业学校",
     "高等学校", "普通高校", "企业集团", "公办学校", "民办学校", "产业学院", "战略联盟", "企业学院"}
)
# Words that make a school's name a kind of school, not one (建设地方应用型高水平大学, 一流大学, 示范性高职学院).
SCHOOL_KIND_WORDS = ("应用型", "研究型", "技能型", "教学型", "高水平", "一流", "示范性", "骨干", "优质", "双高")
# Common surnames: a name read from characters after a title must start with one (jieba's tagger
# already knows most names; this guards the characters it does not tag).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍"
    "庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华"
    "喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和"
    "仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉"
    "伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘"
    "亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由汲"
)

# Words added to jieba's dictionary so that names split where they are built.
ORGANISATION_WORDS = (
    "技师学院", "技工学校", "职业技术学院", "职业技术学校", "职业学院", "产业学院", "人民政府", "有限公司", "分公司",
    "管委会", "基金会", "教育基金会", "办事处", "街道办事处", "控股集团", "教育集团", "研究院", "专科学校",
    "高等专科学校", "开发区", "经开区", "高新区", "工业园区", "产业园区", "人大常委会",
    "有限责任公司", "股份有限公司", "职业中专", "总工会", "组织部", "教学部", "领导小组",
    "师专", "商专", "医专", "幼专", "工专", "财专",
    "联合会", "促进会", "研究会", "中医院", "指挥部", "合作总社", "联合社", "中等专业学校", "慈善总会", "慈善会",
    "产教融合共同体", "广播电视台", "电视台",
    *(f"{department}厅" for department in sorted(GENERIC_DEPARTMENTS) if department != "人民"),
)
# A school's department named after the school: 福建林业职业技术学院交通工程系 (a word of three or more ending so).
DEPARTMENT_ENDINGS = ("系",)
# A school's three-character short name, two characters then 院 (徐生院, 广职院), as a department's school: 徐生院机电工程系.
SCHOOL_SHORT_ENDING = "院"
# National bodies articles name without a suffix to recognise them by.
NATIONAL_BODIES = (
    "中共中央", "国务院", "中华全国总工会", "教育部", "国家发展改革委", "国家发展和改革委员会", "人力资源社会保障部", "人力资源和社会保障部",
    "工业和信息化部", "财政部", "科技部", "商务部", "农业农村部", "团中央", "全国总工会", "全国人大常委会", "全国政协",
)

# What a title ends with: 党委书记, 副院长, 区长, 董事长, 项目经理 ...
TITLE_ENDINGS = (
    "书记", "院长", "校长", "主任", "区长", "市长", "县长", "镇长", "局长", "主席", "董事长", "总经理", "经理", "处长",
    "部长", "理事长", "秘书长", "会长", "总裁", "总监", "调研员", "常委", "委员", "理事", "科长", "馆长", "负责人",
    "厂长", "所长", "总工程师", "CEO", "创始人", "主任委员", "巡视员", "副职", "组长", "董事", "助理", "专员", "大师",
    "顾问", "督学", "总编辑",
)
# Words that introduce a list of people with no title each: 校领导张主社、潘晋孝、李锦元, 市领导肖平、王海、陈珊等.
LEADERS_WORDS = ("校领导", "院领导", "市领导", "县领导", "区领导", "省领导", "州领导", "镇领导", "集团领导", "公司领导", "领导有")
# What may follow the last name of a list: 李炎炎、夏蓓蕾出席, 肖平、王海、陈珊等参加.
LIST_END_WORDS = ("等", "和", "及", "出席", "参加", "陪同", "一行", "共同", "分别", "到", "在", "为")
TITLE_WORDS = (
    "党委书记", "党委副书记", "副书记", "副校长", "副院长", "常务副院长", "副区长", "副市长", "副县长", "副局长",
    "副总经理", "总经理", "董事长", "理事长", "秘书长", "副处长", "处长", "科长", "馆长", "区委书记", "市委书记",
    "县委书记", "区长", "市长", "县长", "党委委员", "工会主席", "项目经理", "负责人", "党总支书记",
)
# Words that open a title but do not end one: 党委 副 常务 …
TITLE_MODIFIERS = frozenset({"党委", "党组", "副", "常务", "常务副", "区委", "市委", "县委", "校", "党总支", "执行", "首席", "四级", "一级", "二级", "三级", "兼"})
NOT_TITLES = frozenset({"负责同志", "委员会", "主任委员会"})

# Words after which a name is no longer going on (a person's name, an organisation's).
NAME_BREAKS = frozenset(
    {
        "与", "同", "跟", "向", "在", "由", "对", "为", "将", "把", "于", "从", "以", "和", "及", "以及", "或", "据", "按", "经",
        "被", "给", "至", "到", "自", "的", "等", "了", "是", "有", "并", "也", "还", "就", "之", "其", "这", "那",
        "代表", "分别", "共同", "一行", "出席", "参加", "主持", "致辞", "讲话", "表示", "说", "指出", "介绍", "首先", "签署",
        "签订", "签约", "揭牌", "授牌", "见证", "举行", "举办", "召开", "前往", "考察", "参观", "调研", "陪同", "抵达", "落户",
        "达成", "开展", "推动", "打造", "培养", "支持", "感谢", "希望", "认为", "发表", "致", "携手", "带领", "率", "率队",
        "赴", "来到", "走进", "会见", "接受", "捐赠", "颁发", "合作建设", "共建", "开办", "建设", "成立", "宣读", "组织",
        "负责同志", "领导", "同志", "相关", "主要", "双方", "各方", "多方", "本次", "此次", "今天", "仪式", "会议", "等单位",
        "暨", "单位", "隶属于", "隶属",
        "上午", "下午", "晚上", "当天", "日前", "近日", "近期", "随后", "最后", "会上", "会后", "期间", "活动",
        # verbs and words jieba tags as nouns or numbers, read as a brand before 学校 / 集团 (助力学校, 下一步学校将)
        "助力", "通过", "有助于", "全国性", "一步", "对于", "关于",
    }
)
# Words jieba's tagger gets wrong where names are read: verbs it reads as names (苏彦忠充分肯定区慈善总会).
RETAGGED = {
    "充分肯定": "v", "充分发挥": "v", "充分利用": "v", "标志着": "v", "标志著": "v", "现任": "v", "委托": "v",
    "荣获": "v",
}
# Words for a kind of body that a name follows, right before the place it opens with (企业锦州天晟重工有限公司,
# 学校鄂州职业大学): a description, no part of the name.
CATEGORY_WORDS = ("企业", "学校", "高校", "院校", "单位", "机构")
# … or right before a name the tagger knows whole (国家重点龙头企业双汇集团).
# Particles jieba joins to a name's first characters (介绍/了尊屹/陶瓷有限公司): no name starts with one.
LEADING_PARTICLES = frozenset("了着过")
# 经 (by way of) that jieba joins to a bare level: 经市/教育局批准 names 市教育局.
BEFORE_LEVEL = "经"
# Tags jieba gives words of a name between a place and its suffix (a verb, adverb, time, adjective,
# direction or idiom: 兰州现代职业学院, 内蒙古六月礼文化传媒有限公司, 湖北中德致信汽车有限公司, 福州市自来水有限公司).
MISREAD_IN_NAMES = frozenset({"v", "d", "t", "a", "b", "f", "l"})
# Directions that open a company's brand (南方测绘集团, 东方电气集团), tagged as directions, not names.
DIRECTION_BRANDS = frozenset({"南方", "北方", "东方", "西方", "东南", "西南", "东北", "西北"})
# ...but not a direction then an area (南方地区公司较多).
AREA_WORDS = frozenset({"地区", "区域", "城市", "省份", "各地", "沿海", "一带"})
# Verbs that may stand inside an organisation's name (杭州澳海控股有限公司, 赣州市投资促进中心).
NAME_VERBS = frozenset({"应用", "控股", "投资", "发展", "建设", "制造", "管理", "规划", "融合", "服务", "保障", "促进", "研究", "设计", "培训", "运营", "实业", "交通", "通", "信息化"})

# Between the counterparts of A与B、C、D签订: each a party of its own agreement with A (tests/articles/LEDGER.md).
LIST_SEPARATORS = frozenset({"、", "和", "及", "以及", ",", "与", "同"})
# ...unless the sentence makes it one agreement of all (三方签署, 共同签订), or the article counts them (代表三方签约).
TOGETHER_WORDS = ("三方", "四方", "五方", "多方", "共同签", "共同簽", "一起签", "联合签", "共同与")
PARTY_COUNTS = {3: "三方", 4: "四方", 5: "五方", 6: "六方"}

SIGNING_VERBS = ("签署", "签订", "签约", "签下", "签定", "续签")
# 达成 tells an agreement only with 合作 or 协议 close after it (达成战略合作协议, 达成校企合作), and only
# between parties the sentence names before it (双方达成合作共识 alone names none).
# 达成合作意向 / 共识 tells an intent, nothing signed (an 意向书 signed is told by 签订).
AGREED = "达成(?=[^,。;!?]{0,8}(?:合作|协议))(?![^,。;!?]{0,10}(?:意向|共识)(?!书))"
# Abbreviations a name is written with beside its full form in one article (河北省现代服务业职教集团 for
# 河北省现代服务业职业教育集团, 青海高职技术学院 for 青海高等职业技术学院): full form → abbreviation.
NAME_ABBREVIATIONS = (("职业教育", "职教"), ("高等职业", "高职"), ("职业技术", "职技"))
# A signing only attended or witnessed (共同参加了"乡村振兴学院"签约和揭牌仪式, 见证签约并讲话): the verb is
# what the people attend, within its clause and with no party joined between, so it tells no signing of theirs;
# 出席了本次签约仪式并签署了… attends one thing and then signs.
ATTENDING_VERBS = ("参加", "出席", "见证")
ATTENDED = re.compile(rf"(?:{'|'.join(ATTENDING_VERBS)})了?(?:(?!仪式)[^,,;;。与同和并]){{0,12}}$")
# One of them just before a ceremony named, not told (出席签约仪式): the people attend it.
ATTENDING = re.compile("|".join(ATTENDING_VERBS))
# A sentence that opens by citing the agreement tells what it holds, not a signing: 根据协议内容,…, 按照协议约定,….
RETELLING = re.compile(r"\s*(?:根据|按照|依据|依照)[^,。;]{0,6}协议")
# Words by which a school's news names itself (or a report names the school it is about) only before
# 与 / 同 / 和, perhaps after an adverb: 我们与福州市自来水有限公司签订, 该院还与江南大学设计学院…签订.
WE_WORDS = frozenset({"我们", "我校师生", "该院", "该校"})
# How a school's secondary college or teaching department ends (经管学院, 公共课教学部): named with its school
# in the school's own article; 职业学院, 技师学院, 产业学院 and the like are suffixes of their own, not these.
SECONDARY_COLLEGE_SUFFIXES = frozenset({"学院", "教学部"})
SCHOOL_WITH_COLLEGES = ("大学", "学院", "专科学校")
# A title a school's own article opens with its voice: 校党委书记, 我院常务副院长 (the school's, whoever was named before).
SELF_TITLE_PREFIXES = ("我校", "我院", "本校", "本院", "校")
PUBLISHER_WORDS = ("我校", "我院", "本校", "本院", "学校", "学院", "该校", "该院")
SCHOOL_SUFFIXES = ("学院", "学校", "大学", "中学", "小学")

# Agreement kinds by the words of a title, first match wins.
AGREEMENT_KINDS = (
    ("补充协议", "supplementary"),
    ("捐赠", "donation"),
    ("办学", "joint_school_running"),
    ("附属", "joint_school_running"),
    ("框架", "framework_agreement"),
    ("战略合作", "strategic_cooperation"),
    ("意向", "strategic_intent"),
    ("备忘录", "memorandum"),
)
EVENT_KINDS = (
    ("签约", "signing_ceremony"),
    ("签署", "signing_ceremony"),
    ("签订", "signing_ceremony"),
    ("揭牌", "unveiling"),
    ("授牌", "plaque_award"),
    ("成立", "founding"),
    ("座谈", "meeting"),
    ("会议", "meeting"),
    ("大会", "conference"),
    ("考察", "visit"),
    ("调研", "visit"),
)
# Project types by the words of a project's name; codes as the taxonomy (fixtures/10_taxonomy.json) has them.
PROJECT_TYPES = (
    ("产业学院", "industry-college"),
    ("实训基地", "internship-training-base"),
    ("实践基地", "internship-training-base"),
    ("实习基地", "internship-training-base"),
    ("培训基地", "internship-training-base"),
    ("附属", "affiliated-school"),
    ("综合高中", "comprehensive-high-school"),
    ("订单班", "order-class"),
    ("示范区", "demonstration-zone"),
)
PROJECT_ENDINGS = ("产业学院", "基地", "学院", "学校", "中学", "小学", "中心", "实验室", "示范区", "订单班", "平台", "园区", "产业园")
PROJECT_VERBS = ("共建", "合作建设", "建设", "开办", "共同开办", "成立", "组建")

PARTICIPANT_ROLES = (
    (("主持",), "chair"),
    (("致辞", "讲话", "致欢迎辞", "致欢迎词", "发言", "说", "表示", "指出"), "speaker"),
    (("揭牌", "授牌"), "unveiler"),
    (("见证",), "witness"),
)


# ----- what the stages read (partnerships/ingest/stages/) ------------------------------------
# Words that stand where a name would but are not a person's name.
# 信箱, 邮箱, 热线: a site's 院长信箱 / 区长信箱 link, not a head's name.
NOT_NAMES = frozenset({"同志", "一行", "等人", "领导", "代表", "负责", "相关", "双方", "老师", "同学", "校友", "记者", "信箱", "邮箱", "热线"})
# Cue verbs jieba splits so that their first character joins a name's last (崔向/民主/持 for 崔向民 主持).
SPLIT_CUES = frozenset({"主持", "致辞", "讲话", "出席", "表示", "介绍", "发言"})
PERSON_CUES = ("分别代表", "代表", "在仪式上", "在讲话", "主持", "致辞", "讲话", "表示", "说", "介绍", "指出")
PLACE = re.compile(r"在([^,。;、]{2,40}?)(?:隆重|成功|正式|顺利)?(?:举行|举办|召开)")
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
TITLED = re.compile(r"《([^》]{2,80})》")
AGREEMENT_WORD = re.compile(r"(协议书|协议|意向书|合同|备忘录|框架协议)")
PARENT_SUFFIXES = ("人民政府", "大学", "学院", "集团", "有限公司", "公司", "开发区", "经开区", "高新区", "园区", "基金会")
PREPOSITIONS = frozenset("对与向在为同和据让把将被由从")
COUNTED = re.compile(r"^第?[一二三四五六七八九十两几多数\d]+[所家个名]")
SCHOOL_HEADS = frozenset({"院长", "校长"})
# A school's own offices: a title opening with one (学生处处长, 教务处副处长) is held at a school.
# What may stand before a bare self-reference that opens a clause (。学院副院长阙勇平).
CLAUSE_OPENERS = frozenset("。,,;;:!?、\n ")
# What a government head's title may open with: 副县长, 常务副县长 are the county government's as 县长 is.
GOVERNMENT_HEAD = re.compile(r"^(?:常务)?副?")
# A party committee's departments, whose heads a chain after the committee's title holds there (县委常委、组织部部长).
PARTY_DEPARTMENTS = ("组织部", "宣传部", "统战部")
SCHOOL_OFFICES = (
    "学生处", "教务处", "科研处", "招生就业处", "招就处", "就业处", "学工处", "学工部", "人事处", "财务处", "后勤处",
    "国际交流处", "合作交流处", "校企合作处", "实训处", "发展规划处",
)
# A development zone named bare (高新区管委会): the article's city's, written with the city's short name (铜川高新区).
BARE_ZONES = ("高新技术产业开发区", "经济技术开发区", "经济开发区", "高新区", "经开区", "开发区", "综合保税区", "保税区")
COMPANY_SUFFIXES = frozenset({"有限公司", "有限责任公司", "股份有限公司", "公司", "集团"})
# Words by which a school's own news names the school.
SELF_REFERENCES = frozenset({"学院", "学校", "大学", "我院", "我校", "本院", "本校"})
LEADING_NOISE = ("原", "现", "各", "全", "当地", "本", "该", "新成立的", "部分", "有关", "相关", "多所")


def organisation_suffix(word: str) -> str | None:
    """Return the organisation suffix a word ends with, or None."""
    for length in range(min(_LONGEST_SUFFIX, len(word)), 0, -1):
        if word[-length:] in _SUFFIX_SET:
            return word[-length:]
    return None


def names_a_school(word: str) -> bool:
    """Say whether a word a department's name may open with names a school: 职业技术学院, or a short name (徐生院)."""
    return word.endswith(SCHOOL_SUFFIXES) or (len(word) == 3 and word.endswith(SCHOOL_SHORT_ENDING))


def names_a_kind_of_school(name: str) -> bool:
    """Say whether a name ending like a school's describes a kind of school (地方应用型高水平大学)."""
    return name.endswith(SCHOOL_SUFFIXES) and any(word in name for word in SCHOOL_KIND_WORDS)


def not_a_name(word: str) -> bool:
    """Say whether a word that stands where a person's name would is none: 同志, 信箱, a title (顾问), a surname and a title (刘校长)."""
    return word in NOT_NAMES or is_title(word) or (len(word) == 3 and is_title(word[1:]))


def is_title(word: str) -> bool:
    """Say whether a word is a title or ends like one (副院长, 党委书记, 项目经理)."""
    return word not in NOT_TITLES and (word in TITLE_WORDS or word.endswith(TITLE_ENDINGS))


def generic_name(name: str) -> bool:
    """Say whether a name is a generic body's with no place or owner in it (区政府, 市教育局, 县委, 学院, 我校)."""
    rest = to_simplified(name.strip())
    while rest:
        if rest in ORGANISATION_SUFFIXES or rest in PUBLISHER_WORDS or rest in GENERIC_BODIES:
            return True
        suffix = organisation_suffix(rest)
        if suffix is not None and rest[: -len(suffix)] in GENERIC_DEPARTMENTS:
            return True
        if rest[0] not in GENERIC_PREFIXES:
            return False
        rest = rest[1:]
    return False

# A place inside an institution where a signing is held: 在X总部举行 names X as the venue, not a party.
# A room or building ends a name before 与: 在机电大楼209会议室与上汽通用五菱汽车股份有限公司举行.
VENUE_ENDINGS = ("室", "厅", "楼", "礼堂", "校区")
VENUE_WORDS = ("总部", "会议室", "报告厅", "会议中心", "大楼", "礼堂", "多功能厅", "学术交流中心", "办公楼")
