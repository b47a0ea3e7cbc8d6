"""The words that point at identifying details, in the 12 languages Consult supports.

Each table maps a language code (``en``, ``fr``, ``es``, ``tl``, ``so``, ``ar``,
``fa``, ``ur``, ``zh``, ``pa``, ``uk``, ``ti``) to regular-expression fragments
(``regex`` syntax, matched case-insensitively). Every fragment is tried on every
answer whatever its language (people mix languages), so the tables are merged
by :func:`alternation`. The lists were drafted without a native speaker's
review; a reviewer adds words here, and ``tests/analysis/test_identifying.py``
and ``bench/eval_quotes.py`` show what each addition catches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def words(text: str) -> list[str]:
    """The words of a space-separated list (easier to read and edit than quoted items)."""
    return text.split()


# "my name is X", "I am X": the name follows the cue. The second table holds
# weaker cues ("I am X") whose catch is flagged for review, not removed.
INTRODUCTIONS = {
    "en": [r"my name is", r"my name's", r"name is", r"i am called", r"call me", r"i'm called"],
    "fr": [r"je m['’]appelle", r"mon nom est", r"mon nom c['’]est", r"moi c['’]est"],
    "es": [r"me llamo", r"mi nombre es", r"mi nombre:"],
    "tl": [r"ang pangalan ko ay", r"pangalan ko ay", r"ang pangalan ko", r"ako po si", r"ako si"],
    "so": [r"magacaygu waa", r"magacayga waa", r"magacaygu", r"waxaa la i yiraahdaa"],
    "ar": [r"اسمي", r"إسمي", r"أنا اسمي", r"انا اسمي"],
    "fa": [r"اسم من", r"نام من", r"اسمم"],
    "ur": [r"میرا نام", r"مرا نام"],
    "zh": [r"我叫", r"我的名字是", r"我的名字叫", r"我名叫", r"名字是"],
    "pa": [r"ਮੇਰਾ ਨਾਮ", r"ਮੇਰਾ ਨਾਂ", r"ਮੇਰਾ ਨਾਓਂ"],
    "uk": [r"мене звати", r"моє ім['’ʼ]я", r"моє імʼя", r"мене звуть"],
    "ti": [r"ስመይ", r"ሽመይ", r"ሽመይ።"],
}
WEAK_INTRODUCTIONS = {
    "en": [r"i am", r"i'm", r"this is"],
    "fr": [r"je suis"],
    "es": [r"soy"],
    "so": [r"anigu waxaan ahay", r"waxaan ahay", r"aniga waxaan ahay"],
    "ar": [r"أنا", r"انا"],
    "fa": [r"من"],
    "ur": [r"میں"],
    "zh": [r"我是"],
    "pa": [r"ਮੈਂ"],
    "uk": [r"я"],
    "ti": [r"ኣነ", r"አነ"],
}
# Words that close a name in scripts without capitals ("... is", "... am").
NAME_ENDS = {
    "fa": [r"است", r"هستم", r"هست", r"می‌باشد"],
    "ur": [r"ہے", r"ہوں", r"ہیں"],
    "pa": [r"ਹੈ", r"ਹਾਂ", r"ਹਨ"],
    "ti": [r"እዩ", r"እየ", r"ይበሃል", r"ይብሃል", r"ይበሃለኒ"],
    "ar": [r"و", r"من", r"عمري", r"وأنا", r"أنا"],
}

# Titles before a name (Mr. Patel, السيد جورج).
TITLES_BEFORE = {
    "en": [r"mr\.?", r"mrs\.?", r"ms\.?", r"miss", r"dr\.?", r"doctor", r"prof\.?"],
    "fr": [r"m\.", r"mme\.?", r"mlle\.?", r"monsieur", r"madame", r"docteur", r"docteure", r"dr"],
    "es": [
        r"sr\.",
        r"sra\.",
        r"srta\.",
        r"señor",
        r"señora",
        r"don",
        r"doña",
        r"doctor",
        r"doctora",
    ],
    "tl": [r"g\.", r"gng\.", r"bb\.", r"ginoong", r"ginang", r"binibining", r"dok"],
    "so": [r"mudane", r"marwo", r"md\.", r"dr\.?", r"aabbe", r"eeddo", r"ustaad"],
    "ar": [r"السيد", r"السيدة", r"الدكتور", r"الدكتورة", r"د\.", r"الأستاذ", r"الأستاذة", r"الحاج"],
    "fa": [r"آقای", r"آقا", r"خانم", r"دکتر", r"جناب"],
    "ur": [r"ڈاکٹر", r"مسٹر", r"مسز", r"جناب", r"محترمہ"],
    "pa": [r"ਸ੍ਰੀ", r"ਸ਼੍ਰੀ", r"ਸ੍ਰੀਮਤੀ", r"ਸ਼੍ਰੀਮਤੀ", r"ਡਾ\.", r"ਡਾਕਟਰ", r"ਮਿਸਟਰ"],
    "uk": [r"пан", r"пані", r"лікар", r"лікарка", r"доктор", r"д-р"],
    "ti": [r"ኣቶ", r"ወ/ሮ", r"ወ/ሪት", r"ዶ/ር", r"ዶክተር", r"መምህር"],
}
# Titles after a name (ملک صاحب, 陈先生).
TITLES_AFTER = {
    "ur": [r"صاحب", r"صاحبہ", r"بھائی", r"باجی"],
    "pa": [r"ਜੀ", r"ਸਾਹਿਬ"],
    "zh": [r"先生", r"女士", r"小姐", r"太太", r"医生", r"大夫", r"老师", r"经理", r"阿姨"],
}
# The 100 most common Chinese surnames: a title after Han characters counts only
# after one of them (看医生, "see a doctor", names nobody).
CHINESE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤欧"
)
# A relative, a landlord or someone to ask for, followed by their name.
RELATIONS = {
    "en": [
        r"my (?:son|daughter|husband|wife|brother|sister|friend|cousin|neighbou?r|uncle|aunt)",
        r"ask for",
        r"contact",
        r"speak (?:to|with)",
        r"talk to",
        r"named",
        r"called",
    ],
    "fr": [
        r"mon (?:fils|mari|frère|cousin|voisin|ami)",
        r"ma (?:fille|femme|sœur|soeur|cousine|voisine|amie)",
        r"demandez",
        r"appelé",
        r"appelée",
        r"nommé",
        r"nommée",
    ],
    "es": [
        r"mi (?:hijo|hija|esposo|esposa|marido|hermano|hermana|amigo|amiga|vecino|vecina)",
        r"pregunten por",
        r"pregunte por",
        r"llamado",
        r"llamada",
    ],
    "tl": [r"si", r"kay", r"ni", r"sina"],
    "so": [
        r"wiilkayga",
        r"gabadhayda",
        r"inantayda",
        r"ninkayga",
        r"xaaskayga",
        r"walaalkay",
        r"walaashay",
        r"la yiraahdo",
    ],
    "ar": [r"ابني", r"ابنتي", r"بنتي", r"زوجي", r"زوجتي", r"أخي", r"أختي", r"اسمه", r"اسمها"],
    "fa": [r"پسرم", r"دخترم", r"همسرم", r"شوهرم", r"زنم", r"برادرم", r"خواهرم", r"به نام"],
    "ur": [
        r"میرا بیٹا",
        r"میری بیٹی",
        r"میرا شوہر",
        r"میری بیوی",
        r"میرا بھائی",
        r"میری بہن",
        r"نامی",
    ],
    "zh": [r"我儿子", r"我女儿", r"我丈夫", r"我老公", r"我太太", r"我妻子", r"我老婆", r"叫做"],
    "pa": [
        r"ਮੇਰਾ (?:ਬੇਟਾ|ਪੁੱਤਰ|ਪਤੀ|ਭਰਾ)",
        r"ਮੇਰੀ (?:ਧੀ|ਬੇਟੀ|ਪਤਨੀ|ਭੈਣ)",
        r"ਨਾਮ ਦਾ",
        r"ਨਾਮ ਦੀ",
    ],
    "uk": [
        r"мій (?:син|чоловік|брат|друг|сусід)",
        r"моя (?:донька|дочка|дружина|сестра|подруга|сусідка)",
        r"на ім['’ʼ]я",
    ],
    "ti": [r"ወደይ", r"ጓለይ", r"ሰብኣየይ", r"ሰበይተይ", r"ሓወይ", r"ሓፍተይ", r"ዝበሃል", r"ትበሃል"],
}

# Context words for identity documents, in every language (a number near one of
# these is that document's number).
DOCUMENT_CONTEXT = {
    "uci": [
        r"uci",
        r"iuc",
        r"client id",
        r"numéro de client",
        r"identificateur unique",
        r"unique client",
        r"رقم العميل",
        r"客户号",
    ],
    "application": [
        r"application",
        r"demande",
        r"dossier",
        r"solicitud",
        r"expediente",
        r"codsi",
        r"codsiga",
        r"طلب",
        r"طلبي",
        r"پرونده",
        r"درخواست",
        r"申请",
        r"ਐਪਲੀਕੇਸ਼ਨ",
        r"заявк",
        r"መመልከቲ",
        r"irc?c",
    ],
    "sin": [
        r"sin",
        r"nas",
        r"social insurance",
        r"assurance sociale",
        r"seguro social",
        r"التأمين الاجتماعي",
        r"الضمان الاجتماعي",
        r"بیمه اجتماعی",
        r"社会保险号",
        r"社保号",
        r"ਸੋਸ਼ਲ ਇੰਸ਼ੋਰੈਂਸ",
        r"соціального страхування",
    ],
    "health_card": [
        r"health card",
        r"health number",
        r"ohip",
        r"msp",
        r"phn",
        r"ramq",
        r"ahcip",
        r"carte santé",
        r"carte soleil",
        r"assurance maladie",
        r"tarjeta de salud",
        r"tarjeta sanitaria",
        r"kaarka caafimaadka",
        r"بطاقة الصحة",
        r"البطاقة الصحية",
        r"کارت بهداشت",
        r"کارت سلامت",
        r"ہیلتھ کارڈ",
        r"医疗卡",
        r"健康卡",
        r"ਹੈਲਥ ਕਾਰਡ",
        r"медичн",
        r"ካርድ ጥዕና",
    ],
    "passport": [
        r"passport",
        r"passeport",
        r"pasaporte",
        r"pasaporte ko",
        r"baasaboor",
        r"جواز",
        r"پاسپورت",
        r"گذرنامه",
        r"پاسپورٹ",
        r"护照",
        r"ਪਾਸਪੋਰਟ",
        r"паспорт",
        r"ፓስፖርት",
    ],
    "permit": [
        r"permit",
        r"permis",
        r"permiso",
        r"ogolaansho",
        r"تصريح",
        r"مجوز",
        r"پرمٹ",
        r"许可",
        r"签证",
        r"ਪਰਮਿਟ",
        r"дозвіл",
        r"ፍቓድ",
    ],
}

# Street words, for addresses written with or without a number before them.
STREET_WORDS = [
    r"شارع",
    r"طريق",
    r"جادة",
    r"خیابان",
    r"کوچه",
    r"بلوار",
    r"روڈ",
    r"سٹریٹ",
    r"اسٹریٹ",
    r"گلی",
    r"ایونیو",
    r"ਰੋਡ",
    r"ਸਟਰੀਟ",
    r"ਬੁਲੇਵਾਰਡ",
    r"ਐਵੇਨਿਊ",
    r"ਡਰਾਈਵ",
    r"вулиц[яіею]",
    r"вул\.",
    r"проспект",
    r"ጎደና",
    r"waddada",
    r"calle",
    r"avenida",
    r"kalye",
]

# Where people work, study, live and which language they speak.
WORK_CUES = {
    "en": [
        r"i work (?:at|for|in)",
        r"working (?:at|for)",
        r"job at",
        r"i drive for",
        r"employed by",
    ],
    "fr": [r"je travaille (?:chez|à|pour)", r"travaille chez", r"employé chez"],
    "es": [r"trabajo en", r"trabajo para", r"trabaja en"],
    "tl": [r"nagtatrabaho (?:ako )?sa", r"nagtrabaho (?:ako )?sa", r"trabaho ko sa"],
    "so": [r"waxaan ka shaqeeyaa", r"ka shaqeeya", r"ka shaqeysa", r"shaqadaydu waa"],
    "ar": [r"أعمل في", r"اعمل في", r"أعمل لدى", r"أشتغل في", r"أعمل عند"],
    "uk": [r"працюю (?:на|в|у)", r"працює (?:на|в|у)"],
}
# Cues around the workplace in languages that put the verb after it:
# (before, after) pairs, the workplace is the one to three words between them.
WORK_FRAMES = {
    "fa": (r"در", r"کار می‌کنم|کار میکنم|کار می کنم"),
    "ur": (r"میں", r"میں کام"),
    "zh": (r"在", r"工作|上班|打工"),
    "pa": (r"ਮੈਂ", r"(?:ਦੇ|ਵਿੱਚ|ਵਿਚ|ਤੇ)(?: \S+){0,2} ਕੰਮ"),
    "ti": (r"ኣብ", r"እሰርሕ|ይሰርሕ|ትሰርሕ"),
}
WORKPLACE_WORDS = [
    r"factory",
    r"plant",
    r"restaurant",
    r"hotel",
    r"usine",
    r"fábrica",
    r"مصنع",
    r"شركة",
    r"مطعم",
    r"فندق",
    r"رستوران",
    r"کارخانه",
    r"شرکت",
    r"فیکٹری",
    r"工厂",
    r"超市",
    r"餐厅",
    r"ਫੈਕਟਰੀ",
    r"завод",
    r"ሆቴል",
    r"ፋብሪካ",
]
# Employers newcomers often name; a name here is flagged wherever it stands.
KNOWN_EMPLOYERS = [
    r"tim hortons",
    r"walmart",
    r"wal-mart",
    r"amazon",
    r"costco",
    r"cargill",
    r"jbs",
    r"olymel",
    r"maple leaf foods",
    r"uber",
    r"skip ?the ?dishes",
    r"doordash",
    r"mcdonald['’]?s",
    r"loblaws?",
    r"real canadian superstore",
    r"superstore",
    r"no frills",
    r"canadian tire",
    r"home depot",
    r"t ?& ?t",
    r"sobeys",
    r"metro inc",
    r"dollarama",
    r"purolator",
    r"canada post",
    r"fedex",
    r"والمارت",
    r"والمارٹ",
    r"امازون",
    r"آمازون",
    r"كارغيل",
    r"کارگیل",
    r"大统华",
    r"沃尔玛",
    r"亚马逊",
    r"好市多",
    r"ਐਮਾਜ਼ਾਨ",
    r"ਵਾਲਮਾਰਟ",
]
SCHOOL_WORDS_AFTER_NAME = [
    r"(?:public |elementary |secondary |high |middle |catholic |junior |senior )*school",
    r"elementary",
    r"secondary",
    r"collegiate",
    r"academy",
    r"college",
    r"university",
    r"اسکول",
    r"سکول",
    r"ਸਕੂਲ",
    r"小学",
    r"中学",
    r"学校",
    r"大学",
    r"学院",
]
SCHOOL_WORDS_BEFORE_NAME = [
    r"école",
    r"ecole",
    r"collège",
    r"escuela",
    r"colegio",
    r"liceo",
    r"paaralang",
    r"dugsiga",
    r"مدرسة",
    r"مدرسه",
    r"دبیرستان",
    r"школ[аіиою]",
    r"гімназі[яї]",
    r"ቤት ትምህርቲ",
]
SMALL_PLACE_CUES = [
    r"small town (?:of|called|named)",
    r"village (?:of|called)",
    r"petit village",
    r"pueblo (?:de|llamado)",
    r"magaalo yar oo la yiraahdo",
    r"بلدة",
    r"قرية",
    r"شهرک",
    r"روستای",
    r"قصبے",
    r"містечк[оуі]",
    r"село",
]
SMALL_PLACE_AFTER = [r"这个小镇", r"小镇", r"这个村", r"ਪਿੰਡ", r"ਕਸਬੇ"]
# Languages spoken by few people in a Canadian town are flagged. Language names
# come from Babel (CLDR) in every locale; these are the ones too common to flag.
COMMON_LANGUAGES = words(
    "en fr es ar zh yue cmn pa hi ur fa tl fil uk ru de it pt vi ko ja pl ro tr"
)
# Language names CLDR lacks (dialects and varieties newcomers name).
EXTRA_LANGUAGE_NAMES = [
    r"ilocano",
    r"ilokano",
    r"af-maay",
    r"afmaay",
    r"maay",
    r"hazaragi",
    r"هزارگی",
    r"assyrian",
    r"الآشورية",
    r"آشوری",
    r"潮州话",
    r"潮汕话",
    r"客家话",
    r"福建话",
    r"ብሌን",
    r"ብሊን",
    r"ትግረ",
    r"kurmanji",
    r"sorani",
    r"rohingya",
]
CHILD_WORDS = {
    "en": [r"children", r"kids", r"sons", r"daughters", r"twins", r"grandchildren"],
    "fr": [r"enfants", r"fils", r"filles", r"jumeaux", r"jumelles"],
    "es": [r"hijos", r"hijas", r"niños", r"gemelos"],
    "tl": [r"anak", r"kambal"],
    "so": [r"carruur", r"caruur", r"wiil", r"gabdhood", r"ilmo"],
    "ar": [r"أطفال", r"اطفال", r"أولاد", r"اولاد", r"أبناء", r"بنات", r"توأم"],
    "fa": [r"فرزند", r"بچه", r"پسر", r"دختر"],
    "ur": [r"بچے", r"بچوں", r"بیٹے", r"بیٹیاں"],
    "zh": [r"个孩子", r"个小孩", r"个儿子", r"个女儿", r"孩子"],
    "pa": [r"ਬੱਚੇ", r"ਬੱਚਿਆਂ", r"ਪੁੱਤਰ", r"ਧੀਆਂ"],
    "uk": [r"діт[еиьй]\w*", r"син[іиа]\w*", r"доньк\w*"],
    "ti": [r"ቆልዑ", r"ደቂ", r"ኣወዳት", r"ኣዋልድ"],
}
AGE_WORDS = {
    "en": [r"years? old", r"yrs? old", r"month old", r"months old"],
    "fr": [r"ans\b", r"mois\b"],
    "es": [r"años\b", r"meses\b"],
    "tl": [r"taong gulang", r"taon na gulang", r"buwang gulang"],
    "so": [r"jir\b", r"sano jir"],
    "ar": [r"سنوات\b", r"سنة\b", r"عاماً", r"عاما"],
    "fa": [r"ساله", r"سالش"],
    "ur": [r"سال کا", r"سال کی", r"سالہ"],
    "zh": [r"岁"],
    "pa": [r"ਸਾਲ ਦਾ", r"ਸਾਲ ਦੀ", r"ਸਾਲਾਂ ਦਾ"],
    "uk": [r"рок[иі]в?\b", r"міс\w*\b"],
    "ti": [r"ዓመት ዝዕድሚኡ", r"ዓመቱ"],
}
NUMBER_WORDS = {
    "en": words("one two three four five six seven eight nine ten eleven twelve"),
    "fr": words("un une deux trois quatre cinq six sept huit neuf dix"),
    "es": words("un una uno dos tres cuatro cinco seis siete ocho nueve diez"),
    "tl": [
        r"isang",
        r"dalawang",
        r"tatlong",
        r"apat na",
        r"limang",
        r"anim na",
        r"pitong",
        r"walong",
    ],
    "so": words("laba saddex afar shan lix toddoba siddeed sagaal toban"),
    "ar": words("اثنان اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة ثلاث أربع خمس ست سبع"),
    "fa": words("یک دو سه چهار پنج شش هفت هشت نه ده"),
    "ur": words("ایک دو تین چار پانچ چھ سات آٹھ نو دس"),
    "zh": list("一两二三四五六七八九十"),
    "pa": words("ਇੱਕ ਦੋ ਤਿੰਨ ਚਾਰ ਪੰਜ ਛੇ ਸੱਤ ਅੱਠ ਨੌਂ ਦਸ"),
    "uk": [r"дв\w+", r"тр\w+", r"чотир\w+", r"п['’ʼ]ят\w*", r"шіст\w*", r"одн\w+"],
    "ti": words("ክልተ ሰለስተ ኣርባዕተ ሓሙሽተ ሽዱሽተ ሸውዓተ ሸሞንተ ትሽዓተ ዓሰርተ"),
}


def alternation(table: Mapping[str, Iterable[str]] | Iterable[str]) -> str:
    """One regex alternation of every fragment in ``table``, longest first."""
    if isinstance(table, Mapping):
        fragments = {f for values in table.values() for f in values}
    else:
        fragments = set(table)
    return "|".join(sorted(fragments, key=lambda f: (-len(f), f)))
