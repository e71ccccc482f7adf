//! The words generated names and texts are built from. Lists share words on purpose
//! ("Ministry of Trade", "Holdings", "Trade Agreement"), hold near-duplicates ("Smith" and
//! "Smyth", "Hanwa" and "Hanwha"), accents and, beside romanized names, their Japanese,
//! Korean or Chinese script, so that search has something to tell apart.

/// A real country or bloc: the hubs of the generated graph.
pub(super) struct RealCountry {
    /// ISO 3166 alpha-2 code (`EU` for the Union); none for most blocs.
    pub code: Option<&'static str>,
    /// The slug of its id (`country:jp`).
    pub slug: &'static str,
    pub name: &'static str,
    /// The adjective ("Japanese"), for "Japanese cars".
    pub adjective: &'static str,
    /// The capital, also an alias (a metonym for the government).
    pub capital: &'static str,
    pub currency: &'static str,
    pub lang: Lang,
    /// How much it attracts relations: its initial weight in preferential attachment.
    pub weight: u32,
    pub bloc: bool,
    pub aliases: &'static [&'static str],
}

/// The language names of a country's people are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    En,
    Zh,
    Ja,
    Ko,
    De,
    Fr,
    Es,
    Pt,
    It,
    Nordic,
    Ar,
    Hi,
    Vi,
    Ru,
    Tr,
    Other,
}

macro_rules! country {
    ($code:expr, $slug:literal, $name:literal, $adj:literal, $cap:literal, $cur:literal, $lang:ident, $w:literal, [$($alias:literal),*]) => {
        RealCountry {
            code: $code,
            slug: $slug,
            name: $name,
            adjective: $adj,
            capital: $cap,
            currency: $cur,
            lang: Lang::$lang,
            weight: $w,
            bloc: false,
            aliases: &[$($alias),*],
        }
    };
}

macro_rules! bloc {
    ($code:expr, $slug:literal, $name:literal, $adj:literal, $cap:literal, $cur:literal, $w:literal, [$($alias:literal),*]) => {
        RealCountry {
            code: $code,
            slug: $slug,
            name: $name,
            adjective: $adj,
            capital: $cap,
            currency: $cur,
            lang: Lang::Other,
            weight: $w,
            bloc: true,
            aliases: &[$($alias),*],
        }
    };
}

/// Real countries and blocs, largest economies first.
#[rustfmt::skip]
pub(super) const REAL_COUNTRIES: &[RealCountry] = &[
    country!(Some("US"), "us", "United States", "American", "Washington", "USD", En, 60, ["U.S.", "USA", "America", "United States of America", "미국", "アメリカ", "美国"]),
    country!(Some("CN"), "cn", "China", "Chinese", "Beijing", "CNY", Zh, 45, ["PRC", "People's Republic of China", "中国", "중국"]),
    bloc!(Some("EU"), "eu", "European Union", "European", "Brussels", "EUR", 30, ["EU", "E.U.", "Europe", "Union européenne", "Europäische Union"]),
    country!(Some("JP"), "jp", "Japan", "Japanese", "Tokyo", "JPY", Ja, 30, ["Nippon", "Nihon", "日本", "일본"]),
    country!(Some("DE"), "de", "Germany", "German", "Berlin", "EUR", De, 20, ["Deutschland", "Federal Republic of Germany"]),
    country!(Some("IN"), "in", "India", "Indian", "New Delhi", "INR", Hi, 18, ["Bharat", "Republic of India"]),
    country!(Some("GB"), "gb", "United Kingdom", "British", "London", "GBP", En, 16, ["UK", "U.K.", "Britain", "Great Britain"]),
    country!(Some("FR"), "fr", "France", "French", "Paris", "EUR", Fr, 15, ["République française", "French Republic"]),
    country!(Some("KR"), "kr", "South Korea", "South Korean", "Seoul", "KRW", Ko, 14, ["Korea", "ROK", "Republic of Korea", "대한민국", "한국", "韓国"]),
    country!(Some("IT"), "it", "Italy", "Italian", "Rome", "EUR", It, 10, ["Italia", "Repubblica Italiana"]),
    country!(Some("CA"), "ca", "Canada", "Canadian", "Ottawa", "CAD", En, 10, ["Canada (federal)"]),
    country!(Some("BR"), "br", "Brazil", "Brazilian", "Brasília", "BRL", Pt, 10, ["Brasil", "República Federativa do Brasil"]),
    country!(Some("MX"), "mx", "Mexico", "Mexican", "Mexico City", "MXN", Es, 10, ["México", "Estados Unidos Mexicanos"]),
    country!(Some("RU"), "ru", "Russia", "Russian", "Moscow", "RUB", Ru, 8, ["Russian Federation", "Россия"]),
    country!(Some("AU"), "au", "Australia", "Australian", "Canberra", "AUD", En, 8, ["Commonwealth of Australia"]),
    country!(Some("ES"), "es", "Spain", "Spanish", "Madrid", "EUR", Es, 8, ["España", "Reino de España"]),
    country!(Some("ID"), "id", "Indonesia", "Indonesian", "Jakarta", "IDR", Other, 7, ["Republik Indonesia"]),
    country!(Some("NL"), "nl", "Netherlands", "Dutch", "Amsterdam", "EUR", Other, 6, ["Holland", "Nederland", "The Hague"]),
    country!(Some("SA"), "sa", "Saudi Arabia", "Saudi", "Riyadh", "SAR", Ar, 6, ["KSA", "Kingdom of Saudi Arabia"]),
    country!(Some("TR"), "tr", "Türkiye", "Turkish", "Ankara", "TRY", Tr, 6, ["Turkey", "Türkiye Cumhuriyeti"]),
    country!(Some("CH"), "ch", "Switzerland", "Swiss", "Bern", "CHF", De, 6, ["Schweiz", "Suisse", "Svizzera"]),
    country!(Some("TW"), "tw", "Taiwan", "Taiwanese", "Taipei", "TWD", Zh, 6, ["臺灣", "台湾", "Chinese Taipei"]),
    country!(Some("VN"), "vn", "Vietnam", "Vietnamese", "Hanoi", "VND", Vi, 5, ["Việt Nam", "Viet Nam"]),
    country!(Some("PL"), "pl", "Poland", "Polish", "Warsaw", "PLN", Other, 4, ["Polska"]),
    country!(Some("BE"), "be", "Belgium", "Belgian", "Brussels", "EUR", Fr, 4, ["Belgique", "België"]),
    country!(Some("SE"), "se", "Sweden", "Swedish", "Stockholm", "SEK", Nordic, 4, ["Sverige"]),
    country!(Some("AR"), "ar", "Argentina", "Argentine", "Buenos Aires", "ARS", Es, 4, ["República Argentina"]),
    country!(Some("TH"), "th", "Thailand", "Thai", "Bangkok", "THB", Other, 4, ["Siam", "ประเทศไทย"]),
    country!(Some("SG"), "sg", "Singapore", "Singaporean", "Singapore", "SGD", En, 4, ["Republic of Singapore"]),
    country!(Some("AE"), "ae", "United Arab Emirates", "Emirati", "Abu Dhabi", "AED", Ar, 4, ["UAE", "Emirates"]),
    country!(Some("MY"), "my", "Malaysia", "Malaysian", "Kuala Lumpur", "MYR", Other, 3, ["Persekutuan Malaysia"]),
    country!(Some("PH"), "ph", "Philippines", "Philippine", "Manila", "PHP", Other, 3, ["Pilipinas"]),
    country!(Some("ZA"), "za", "South Africa", "South African", "Pretoria", "ZAR", En, 3, ["RSA", "Mzansi"]),
    country!(Some("NG"), "ng", "Nigeria", "Nigerian", "Abuja", "NGN", En, 3, ["Federal Republic of Nigeria"]),
    country!(Some("EG"), "eg", "Egypt", "Egyptian", "Cairo", "EGP", Ar, 3, ["مصر", "Arab Republic of Egypt"]),
    country!(Some("IL"), "il", "Israel", "Israeli", "Jerusalem", "ILS", Other, 3, ["State of Israel"]),
    country!(Some("NO"), "no", "Norway", "Norwegian", "Oslo", "NOK", Nordic, 3, ["Norge"]),
    country!(Some("DK"), "dk", "Denmark", "Danish", "Copenhagen", "DKK", Nordic, 3, ["Danmark"]),
    country!(Some("IE"), "ie", "Ireland", "Irish", "Dublin", "EUR", En, 3, ["Éire"]),
    country!(Some("AT"), "at", "Austria", "Austrian", "Vienna", "EUR", De, 3, ["Österreich", "Wien"]),
    country!(Some("QA"), "qa", "Qatar", "Qatari", "Doha", "QAR", Ar, 2, ["State of Qatar"]),
    country!(Some("CL"), "cl", "Chile", "Chilean", "Santiago", "CLP", Es, 2, ["República de Chile"]),
    country!(Some("CO"), "co", "Colombia", "Colombian", "Bogotá", "COP", Es, 2, ["República de Colombia"]),
    country!(Some("PE"), "pe", "Peru", "Peruvian", "Lima", "PEN", Es, 2, ["Perú"]),
    country!(Some("NZ"), "nz", "New Zealand", "New Zealand", "Wellington", "NZD", En, 2, ["Aotearoa"]),
    country!(Some("PT"), "pt", "Portugal", "Portuguese", "Lisbon", "EUR", Pt, 2, ["República Portuguesa", "Lisboa"]),
    country!(Some("GR"), "gr", "Greece", "Greek", "Athens", "EUR", Other, 2, ["Hellas", "Ελλάδα"]),
    country!(Some("CZ"), "cz", "Czechia", "Czech", "Prague", "CZK", Other, 2, ["Czech Republic", "Česko"]),
    country!(Some("HU"), "hu", "Hungary", "Hungarian", "Budapest", "HUF", Other, 2, ["Magyarország"]),
    country!(Some("FI"), "fi", "Finland", "Finnish", "Helsinki", "EUR", Nordic, 2, ["Suomi"]),
    country!(Some("RO"), "ro", "Romania", "Romanian", "Bucharest", "RON", Other, 2, ["România", "București"]),
    country!(Some("UA"), "ua", "Ukraine", "Ukrainian", "Kyiv", "UAH", Ru, 2, ["Україна", "Kiev"]),
    country!(Some("PK"), "pk", "Pakistan", "Pakistani", "Islamabad", "PKR", Other, 2, ["Islamic Republic of Pakistan"]),
    country!(Some("BD"), "bd", "Bangladesh", "Bangladeshi", "Dhaka", "BDT", Other, 2, ["People's Republic of Bangladesh"]),
    country!(Some("KE"), "ke", "Kenya", "Kenyan", "Nairobi", "KES", En, 1, ["Republic of Kenya"]),
    country!(Some("MA"), "ma", "Morocco", "Moroccan", "Rabat", "MAD", Ar, 1, ["Maroc", "المغرب"]),
    country!(Some("CI"), "ci", "Côte d'Ivoire", "Ivorian", "Yamoussoukro", "XOF", Fr, 1, ["Ivory Coast", "Cote d'Ivoire"]),
    country!(Some("KZ"), "kz", "Kazakhstan", "Kazakh", "Astana", "KZT", Ru, 1, ["Қазақстан"]),
    country!(Some("IS"), "is", "Iceland", "Icelandic", "Reykjavík", "ISK", Nordic, 1, ["Ísland"]),
    country!(Some("LK"), "lk", "Sri Lanka", "Sri Lankan", "Colombo", "LKR", Other, 1, ["Ceylon"]),
    bloc!(None, "asean", "Association of Southeast Asian Nations", "Southeast Asian", "Jakarta", "USD", 4, ["ASEAN", "Southeast Asian nations"]),
    bloc!(None, "mercosur", "Mercosur", "South American", "Montevideo", "USD", 2, ["Mercosul", "Mercado Común del Sur", "Southern Common Market"]),
    bloc!(None, "gcc", "Gulf Cooperation Council", "Gulf", "Riyadh", "USD", 2, ["GCC", "Gulf states"]),
    bloc!(None, "african-union", "African Union", "African", "Addis Ababa", "USD", 2, ["AU bloc", "Union africaine"]),
    bloc!(None, "other-asian-countries", "Other Asian countries", "Asian", "Asia", "USD", 1, ["Asian countries", "Asian nations"]),
];

/// Syllables of made-up countries, beyond the real ones.
pub(super) const COUNTRY_HEAD: &[&str] = &[
    "Val", "Ost", "Kes", "Mar", "Bel", "Dra", "Lor", "Sar", "Tor", "Ver", "Nor", "Zal", "Car",
    "Ard", "Sel", "Tam", "Quel", "Bran",
];
pub(super) const COUNTRY_MID: &[&str] = &["do", "re", "ra", "va", "ni", "la", "ma", "te", "be", ""];
pub(super) const COUNTRY_TAIL: &[&str] = &[
    "ria", "via", "land", "stan", "nia", "mark", "gard", "onia", "esia", "ador",
];
/// Currencies of made-up countries: real ISO 4217 codes.
pub(super) const SMALL_CURRENCIES: &[&str] = &[
    "XAF", "XCD", "FJD", "BWP", "NAD", "MUR", "GEL", "AMD", "MNT", "UYU", "PYG", "BOB", "GHS",
    "TZS", "UGX", "ZMW", "KHR", "LAK", "MMK", "NPR",
];
pub(super) const CAPITAL_HEAD: &[&str] = &["Port", "San", "New", "Fort", "Saint", "Lake", "Mount"];

/// The currencies pledges are made in most: the power of ten and the range of leading
/// digits that make a plausible large amount (USD 1-600 billion, JPY 1-80 trillion), and
/// how often each is chosen when a pledge is not in its pledger's own currency.
pub(super) const MAJOR_CURRENCIES: &[(&str, u32, u64, u64, u32)] = &[
    ("USD", 9, 1, 600, 50),
    ("EUR", 9, 1, 400, 12),
    ("JPY", 12, 1, 80, 10),
    ("KRW", 12, 1, 500, 8),
    ("CNY", 9, 5, 3000, 8),
    ("GBP", 9, 1, 200, 6),
    ("CHF", 9, 1, 100, 3),
    ("INR", 9, 100, 40000, 3),
];

/// A name with its form in the speaker's own script, where that differs.
pub(super) type Named = (&'static str, Option<&'static str>);

/// Given and family names of one language, and whether the family name comes first.
pub(super) struct NameSet {
    pub given: &'static [Named],
    pub family: &'static [Named],
    pub family_first: bool,
}

pub(super) fn names(lang: Lang) -> &'static NameSet {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
        Lang::Ja => &JA,
        Lang::Ko => &KO,
        Lang::De => &DE,
        Lang::Fr => &FR,
        Lang::Es => &ES,
        Lang::Pt => &PT,
        Lang::It => &IT,
        Lang::Nordic => &NORDIC,
        Lang::Ar => &AR,
        Lang::Hi => &HI,
        Lang::Vi => &VI,
        Lang::Ru => &RU,
        Lang::Tr => &TR,
        Lang::Other => &OTHER,
    }
}

static EN: NameSet = NameSet {
    given: &[
        ("James", None),
        ("Mary", None),
        ("John", None),
        ("Jon", None),
        ("Patricia", None),
        ("Robert", None),
        ("Jennifer", None),
        ("Michael", None),
        ("Linda", None),
        ("David", None),
        ("Howard", None),
        ("Scott", None),
        ("Katherine", None),
        ("Catherine", None),
        ("Rachel", None),
        ("Rachael", None),
    ],
    family: &[
        ("Smith", None),
        ("Smyth", None),
        ("Johnson", None),
        ("Johnston", None),
        ("Brown", None),
        ("Browne", None),
        ("Greer", None),
        ("Reeves", None),
        ("Miller", None),
        ("Davis", None),
        ("Wilson", None),
        ("Thompson", None),
        ("Thomson", None),
        ("Clarke", None),
        ("Clark", None),
        ("Lutnik", None),
    ],
    family_first: false,
};

static ZH: NameSet = NameSet {
    given: &[
        ("Wei", Some("伟")),
        ("Fang", Some("芳")),
        ("Min", Some("敏")),
        ("Jing", Some("静")),
        ("Lei", Some("磊")),
        ("Yong", Some("勇")),
        ("Jun", Some("军")),
        ("Tao", Some("涛")),
        ("Xiuying", Some("秀英")),
        ("Lifeng", Some("立峰")),
        ("Yi", Some("毅")),
    ],
    family: &[
        ("Wang", Some("王")),
        ("Li", Some("李")),
        ("Zhang", Some("张")),
        ("Liu", Some("刘")),
        ("Chen", Some("陈")),
        ("Yang", Some("杨")),
        ("Zhao", Some("赵")),
        ("Huang", Some("黄")),
        ("Zhou", Some("周")),
        ("Wu", Some("吴")),
        ("He", Some("何")),
        ("Lin", Some("林")),
    ],
    family_first: true,
};

static JA: NameSet = NameSet {
    given: &[
        ("Hiroshi", Some("博")),
        ("Takeshi", Some("武")),
        ("Kenji", Some("健二")),
        ("Yuko", Some("裕子")),
        ("Akiko", Some("明子")),
        ("Ryosei", Some("亮正")),
        ("Shigeru", Some("茂")),
        ("Haruka", Some("遥")),
        ("Daisuke", Some("大輔")),
        ("Naoko", Some("直子")),
        ("Masato", Some("正人")),
        ("Yoshiko", Some("淑子")),
    ],
    family: &[
        ("Sato", Some("佐藤")),
        ("Suzuki", Some("鈴木")),
        ("Takahashi", Some("高橋")),
        ("Tanaka", Some("田中")),
        ("Watanabe", Some("渡辺")),
        ("Ito", Some("伊藤")),
        ("Yamamoto", Some("山本")),
        ("Nakamura", Some("中村")),
        ("Kobayashi", Some("小林")),
        ("Kato", Some("加藤")),
        ("Yamada", Some("山田")),
        ("Akazawa", Some("赤沢")),
        ("Motegi", Some("茂木")),
    ],
    family_first: false,
};

static KO: NameSet = NameSet {
    given: &[
        ("Min-jun", Some("민준")),
        ("Seo-yeon", Some("서연")),
        ("Ji-ho", Some("지호")),
        ("Jung-kwan", Some("정관")),
        ("Han-koo", Some("한구")),
        ("Hye-jin", Some("혜진")),
        ("Sung-min", Some("성민")),
        ("Eun-ji", Some("은지")),
        ("Dong-hyun", Some("동현")),
        ("Ye-jin", Some("예진")),
    ],
    family: &[
        ("Kim", Some("김")),
        ("Lee", Some("이")),
        ("Park", Some("박")),
        ("Choi", Some("최")),
        ("Jung", Some("정")),
        ("Kang", Some("강")),
        ("Cho", Some("조")),
        ("Yoon", Some("윤")),
        ("Jang", Some("장")),
        ("Lim", Some("임")),
        ("Han", Some("한")),
        ("Yeo", Some("여")),
    ],
    family_first: false,
};

static DE: NameSet = NameSet {
    given: &[
        ("Jürgen", None),
        ("Günter", None),
        ("Sören", None),
        ("Anja", None),
        ("Katrin", None),
        ("Matthias", None),
        ("Jörg", None),
        ("Björn", None),
        ("Ursula", None),
        ("Friedrich", None),
    ],
    family: &[
        ("Müller", None),
        ("Mueller", None),
        ("Schäfer", None),
        ("Schaefer", None),
        ("Weiß", None),
        ("Weiss", None),
        ("Köhler", None),
        ("Becker", None),
        ("Hoffmann", None),
        ("Hofmann", None),
        ("Schröder", None),
        ("Wagner", None),
    ],
    family_first: false,
};

static FR: NameSet = NameSet {
    given: &[
        ("François", None),
        ("Hélène", None),
        ("Jérôme", None),
        ("Benoît", None),
        ("Céline", None),
        ("Anaïs", None),
        ("Amélie", None),
        ("Thibault", None),
        ("Stéphane", None),
        ("Élodie", None),
    ],
    family: &[
        ("Lefèvre", None),
        ("Lefebvre", None),
        ("Dubois", None),
        ("Girard", None),
        ("Moreau", None),
        ("Lambert", None),
        ("Bérenger", None),
        ("Fontaine", None),
        ("Rousseau", None),
        ("Mercier", None),
    ],
    family_first: false,
};

static ES: NameSet = NameSet {
    given: &[
        ("José", None),
        ("María", None),
        ("Jesús", None),
        ("Lucía", None),
        ("Andrés", None),
        ("Inés", None),
        ("Sofía", None),
        ("Martín", None),
        ("Raúl", None),
        ("Begoña", None),
    ],
    family: &[
        ("García", None),
        ("Garcia", None),
        ("González", None),
        ("Rodríguez", None),
        ("Fernández", None),
        ("López", None),
        ("Martínez", None),
        ("Pérez", None),
        ("Sánchez", None),
        ("Muñoz", None),
        ("Peña", None),
        ("Ibáñez", None),
    ],
    family_first: false,
};

static PT: NameSet = NameSet {
    given: &[
        ("João", None),
        ("Luís", None),
        ("Gonçalo", None),
        ("Antônio", None),
        ("Fábio", None),
        ("Márcia", None),
        ("Inês", None),
        ("Conceição", None),
    ],
    family: &[
        ("Gonçalves", None),
        ("Magalhães", None),
        ("Simões", None),
        ("Araújo", None),
        ("Brandão", None),
        ("Assunção", None),
        ("Silva", None),
        ("Costa", None),
    ],
    family_first: false,
};

static IT: NameSet = NameSet {
    given: &[
        ("Giuseppe", None),
        ("Giovanni", None),
        ("Francesca", None),
        ("Niccolò", None),
        ("Lucia", None),
        ("Matteo", None),
        ("Chiara", None),
    ],
    family: &[
        ("Rossi", None),
        ("Russo", None),
        ("Ferrari", None),
        ("Esposito", None),
        ("Bianchi", None),
        ("Romano", None),
        ("Colombo", None),
        ("Ricci", None),
    ],
    family_first: false,
};

static NORDIC: NameSet = NameSet {
    given: &[
        ("Søren", None),
        ("Bjørn", None),
        ("Åsa", None),
        ("Sigríður", None),
        ("Kåre", None),
        ("Ingrid", None),
        ("Lars", None),
        ("Astrid", None),
    ],
    family: &[
        ("Sørensen", None),
        ("Sorensen", None),
        ("Jensen", None),
        ("Nielsen", None),
        ("Andersson", None),
        ("Johansson", None),
        ("Lindström", None),
        ("Ødegaard", None),
        ("Håkansson", None),
    ],
    family_first: false,
};

static AR: NameSet = NameSet {
    given: &[
        ("Mohammed", None),
        ("Fatima", None),
        ("Ahmed", None),
        ("Aisha", None),
        ("Omar", None),
        ("Khalid", None),
        ("Layla", None),
        ("Youssef", None),
    ],
    family: &[
        ("Al-Rashid", None),
        ("Haddad", None),
        ("Mansour", None),
        ("El-Sayed", None),
        ("Nasser", None),
        ("Al-Falih", None),
        ("Al-Qasimi", None),
    ],
    family_first: false,
};

static HI: NameSet = NameSet {
    given: &[
        ("Rahul", None),
        ("Priya", None),
        ("Amit", None),
        ("Sunita", None),
        ("Piyush", None),
        ("Nirmala", None),
        ("Arjun", None),
        ("Deepa", None),
    ],
    family: &[
        ("Sharma", None),
        ("Goyal", None),
        ("Patel", None),
        ("Singh", None),
        ("Gupta", None),
        ("Iyer", None),
        ("Reddy", None),
    ],
    family_first: false,
};

static VI: NameSet = NameSet {
    given: &[
        ("Minh", None),
        ("Hương", None),
        ("Thảo", None),
        ("Dũng", None),
        ("Quang", None),
        ("Lan", None),
    ],
    family: &[
        ("Nguyễn", None),
        ("Nguyen", None),
        ("Trần", None),
        ("Lê", None),
        ("Phạm", None),
        ("Hoàng", None),
        ("Vũ", None),
    ],
    family_first: true,
};

static RU: NameSet = NameSet {
    given: &[
        ("Sergei", None),
        ("Olga", None),
        ("Dmitri", None),
        ("Natalia", None),
        ("Alexei", None),
        ("Yulia", None),
    ],
    family: &[
        ("Ivanenko", None),
        ("Petrenko", None),
        ("Smirnov", None),
        ("Kuznets", None),
        ("Sokolov", None),
        ("Volkov", None),
    ],
    family_first: false,
};

static TR: NameSet = NameSet {
    given: &[
        ("Mehmet", None),
        ("Ayşe", None),
        ("Emre", None),
        ("Şule", None),
        ("Gökhan", None),
        ("Çağla", None),
    ],
    family: &[
        ("Yılmaz", None),
        ("Yilmaz", None),
        ("Kaya", None),
        ("Demir", None),
        ("Şahin", None),
        ("Çelik", None),
        ("Öztürk", None),
    ],
    family_first: false,
};

static OTHER: NameSet = NameSet {
    given: &[
        ("Budi", None),
        ("Siti", None),
        ("Tomasz", None),
        ("Agnieszka", None),
        ("Jan", None),
        ("Eva", None),
        ("Nikos", None),
        ("Eleni", None),
        ("Jakub", None),
        ("Ana", None),
        ("Aryan", None),
        ("Noor", None),
        ("Somchai", None),
        ("Mariam", None),
    ],
    family: &[
        ("Santoso", None),
        ("Kowalski", None),
        ("Kowalska", None),
        ("Nowak", None),
        ("de Vries", None),
        ("Jansen", None),
        ("Papadopoulos", None),
        ("Novák", None),
        ("Nagy", None),
        ("Virtanen", None),
        ("Popescu", None),
        ("Khan", None),
        ("Rahman", None),
        ("Tan", None),
        ("Wong", None),
    ],
    family_first: false,
};

/// Titles of roles, by the kind of body the role is in.
pub(super) const TITLES_COUNTRY: &[&str] = &[
    "President",
    "Prime Minister",
    "Vice President",
    "Ambassador",
    "Special Envoy for Trade",
    "Chief Trade Negotiator",
];
pub(super) const TITLES_GOV: &[&str] = &[
    "Minister",
    "Deputy Minister",
    "Secretary",
    "Director-General",
    "Trade Representative",
    "Chief Negotiator",
    "Senior Adviser",
];
pub(super) const TITLES_COMPANY: &[&str] = &[
    "Chief Executive",
    "Chairman",
    "Chairwoman",
    "President",
    "Chief Financial Officer",
    "Head of Government Affairs",
];
pub(super) const TITLES_MEDIA: &[&str] = &["Editor", "Correspondent", "Columnist", "Anchor"];
pub(super) const TITLES_INTL: &[&str] =
    &["Secretary-General", "Director-General", "Chief Economist"];
pub(super) const TITLES_PARTY: &[&str] = &["Party Leader", "Secretary-General", "Spokesperson"];
pub(super) const TITLES_DELEGATION: &[&str] = &["Head of Delegation", "Member", "Chief Negotiator"];

/// What ministries handle, for "Ministry of … of Japan".
pub(super) const MINISTRY_TOPICS: &[&str] = &[
    "Trade",
    "Economy",
    "Finance",
    "Foreign Affairs",
    "Industry",
    "Agriculture",
    "Commerce",
    "Energy",
    "Trade, Industry and Energy",
    "Economy, Trade and Industry",
    "Foreign Trade",
];
/// Government bodies in Japanese, Korean and Chinese script, as aliases.
pub(super) const GOV_JA: &[&str] = &["経済産業省", "外務省", "財務省", "農林水産省", "内閣府"];
pub(super) const GOV_KO: &[&str] = &[
    "산업통상자원부",
    "외교부",
    "기획재정부",
    "통상교섭본부",
    "대통령실",
];
pub(super) const GOV_ZH: &[&str] = &["商务部", "外交部", "财政部", "海关总署"];

/// Company names: a stem (with its own script where it has one), then a suffix.
pub(super) const COMPANY_STEMS: &[Named] = &[
    ("Kinsei", Some("金星")),
    ("Kinsel", None),
    ("Hanwa", None),
    ("Hanwha", Some("한화")),
    ("Daesung", Some("대성")),
    ("Daesong", None),
    ("Mitsuno", Some("三野")),
    ("Mitsuna", None),
    ("Sakura", Some("さくら")),
    ("Samjin", Some("삼진")),
    ("Zhenhua", Some("振华")),
    ("Huaxin", Some("华信")),
    ("Nordvik", None),
    ("Nordvig", None),
    ("Aurelia", None),
    ("Aurelio", None),
    ("Boreal", None),
    ("Pacifica", None),
    ("Meridian", None),
    ("Meridien", None),
    ("Atlas", None),
    ("Atlantis", None),
    ("Sterling", None),
    ("Müller", None),
    ("Schäfer", None),
    ("Lumière", None),
    ("Crédit Alpin", None),
    ("Göteborg", None),
    ("Ñandú", None),
    ("Helios", None),
    ("Orion", None),
    ("Cobalt", None),
    ("Granite", None),
    ("Keystone", None),
    ("Blue River", None),
    ("Red Crane", None),
    ("Golden Bridge", None),
    ("Silver Peak", None),
    ("Eastgate", None),
    ("Westbrook", None),
    ("Northstar", None),
    ("Southern Cross", None),
    ("Ibérica", None),
    ("Andina", None),
    ("Boing", None),
    ("Boeing", None),
];
pub(super) const COMPANY_SUFFIXES: &[&str] = &[
    "Holdings",
    "Group",
    "Industries",
    "Motors",
    "Steel",
    "Heavy Industries",
    "Shipbuilding",
    "Energy",
    "Semiconductor",
    "Aerospace",
    "Electronics",
    "Corporation",
    "Trading",
    "Logistics",
    "Chemicals",
    "Foods",
    "AG",
    "GmbH",
    "S.A.",
    "Co., Ltd.",
    "plc",
    "Inc.",
];
pub(super) const NEWSPAPERS: &[&str] = &[
    "Times",
    "Herald",
    "Post",
    "Journal",
    "Gazette",
    "Chronicle",
    "Tribune",
    "Shimbun",
    "Ilbo",
];
pub(super) const REGIONS: &[&str] = &[
    "Pacific",
    "Atlantic",
    "Asia-Pacific",
    "Indo-Pacific",
    "Nordic",
    "Andean",
    "Mediterranean",
    "Eurasian",
    "Gulf",
    "Caribbean",
    "Baltic",
    "Arctic",
    "Mekong",
    "Transatlantic",
    "Trans-Pacific",
];
pub(super) const INTL_FORMS: &[&str] = &[
    "Trade Organization",
    "Economic Forum",
    "Development Bank",
    "Cooperation Council",
    "Free Trade Area",
    "Investment Fund",
    "Trade Organisation",
];
pub(super) const IDEOLOGIES: &[&str] = &[
    "Democratic",
    "Liberal Democratic",
    "Conservative",
    "Progressive",
    "Green",
    "People's",
    "Social Democratic",
    "Reform",
    "Republican",
    "Labour",
    "National",
    "Liberal",
];

/// Goods and sectors: tariff scopes, purchases, topics of statements.
pub(super) const PRODUCTS: &[&str] = &[
    "rice",
    "beef",
    "pork",
    "soybeans",
    "wheat",
    "corn",
    "LNG",
    "crude oil",
    "steel",
    "aluminium",
    "aluminum",
    "copper",
    "automobiles",
    "cars",
    "auto parts",
    "trucks",
    "aircraft",
    "semiconductors",
    "smartphones",
    "solar panels",
    "batteries",
    "pharmaceuticals",
    "medical devices",
    "machinery",
    "textiles",
    "wine",
    "whisky",
    "seafood",
    "lumber",
    "critical minerals",
    "rare earths",
    "ships",
    "defense equipment",
    "fertilizer",
];

pub(super) const PROJECT_PLACES: &[&str] = &[
    "Alaska",
    "Texas",
    "Gulf Coast",
    "Ohio",
    "Arizona",
    "Jeju",
    "Kyushu",
    "Hokkaido",
    "Bavaria",
    "Andalucía",
    "Québec",
    "Queensland",
    "Patagonia",
    "Sumatra",
    "Mindanao",
    "Skåne",
    "Ruhr",
    "Normandy",
    "Yucatán",
    "Gujarat",
    "Mekong Delta",
];
pub(super) const PROJECT_TYPES: &[&str] = &[
    "LNG project",
    "LNG joint venture",
    "semiconductor plant",
    "battery plant",
    "shipyard",
    "rail link",
    "port expansion",
    "pipeline",
    "offshore wind farm",
    "copper mine",
    "data centre",
    "data center",
    "steel mill",
    "refinery",
];

/// What a deal is called.
pub(super) const DEAL_FORMS: &[&str] = &[
    "Trade Agreement",
    "Trade Deal",
    "Tariff Agreement",
    "Economic Partnership Agreement",
    "Framework Agreement",
    "Investment Accord",
    "Trade and Investment Agreement",
];

pub(super) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Short verbatim phrases statements keep.
pub(super) const QUOTES: &[&str] = &[
    "a very good deal",
    "desperate for a trade agreement",
    "a signing bonus",
    "not a loan",
    "win-win",
    "we will not back down",
    "a historic day",
    "all options are on the table",
    "they have to pay",
    "a fair and balanced outcome",
    "とても良い合意",
    "상호 호혜적인 합의",
    "互利共赢",
    "un accord équilibré",
    "ein fairer Deal",
];

/// Headlines of sources: `{a}` and `{b}` are countries, `{p}` a product.
pub(super) const TITLES: &[&str] = &[
    "{a} and {b} near deal on {p} tariffs",
    "{a} presses {b} to match rivals' concessions",
    "Trade talks between {a} and {b} resemble transactions",
    "{b} weighs {p} purchases to avert {a} tariffs",
    "Deadline looms for {b} as {a} tariffs take shape",
    "{a} raises pledge figure at the negotiating table",
    "Analysts question {b}'s {p} commitments to {a}",
    "{a} tariff on {p}: what changes for {b}",
];

/// What curator notes correct.
pub(super) const CURATOR_TOPICS: &[&str] = &[
    "a misstated office",
    "an administration named wrongly",
    "an official's full title",
    "a figure the article misprints",
    "the romanization of a name",
    "a date the article gives without a year",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_has_words_and_codes_are_unique() {
        let lists: &[&[&str]] = &[
            COUNTRY_HEAD,
            COUNTRY_MID,
            COUNTRY_TAIL,
            SMALL_CURRENCIES,
            CAPITAL_HEAD,
            TITLES_COUNTRY,
            TITLES_GOV,
            TITLES_COMPANY,
            TITLES_MEDIA,
            TITLES_INTL,
            TITLES_PARTY,
            TITLES_DELEGATION,
            MINISTRY_TOPICS,
            GOV_JA,
            GOV_KO,
            GOV_ZH,
            COMPANY_SUFFIXES,
            NEWSPAPERS,
            REGIONS,
            INTL_FORMS,
            IDEOLOGIES,
            PRODUCTS,
            PROJECT_PLACES,
            PROJECT_TYPES,
            DEAL_FORMS,
            QUOTES,
            TITLES,
            CURATOR_TOPICS,
        ];
        assert!(lists.iter().all(|l| !l.is_empty()));
        assert_eq!(MONTHS.len(), 12);
        assert!(!COMPANY_STEMS.is_empty() && !MAJOR_CURRENCIES.is_empty());
        let mut codes: Vec<_> = REAL_COUNTRIES.iter().filter_map(|c| c.code).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
        for lang in [
            Lang::En,
            Lang::Zh,
            Lang::Ja,
            Lang::Ko,
            Lang::De,
            Lang::Fr,
            Lang::Es,
            Lang::Pt,
            Lang::It,
            Lang::Nordic,
            Lang::Ar,
            Lang::Hi,
            Lang::Vi,
            Lang::Ru,
            Lang::Tr,
            Lang::Other,
        ] {
            let set = names(lang);
            assert!(!set.given.is_empty() && !set.family.is_empty());
        }
    }
}
