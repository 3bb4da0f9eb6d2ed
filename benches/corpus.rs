//! Deterministic synthetic corpus of Norwegian sales-training content.
//!
//! Generation uses the standard library only ([`verify`] reads Zola's TOML
//! front matter back with the `toml` crate). [`generate`] writes a vinn site
//! (`site.toml` + `content/**`); [`generate_flavor`] can write the very same
//! pages as a Hugo or a Zola site or an mdBook instead, so each tool builds
//! an equivalent corpus. The same `pages` and `seed` always give
//! byte-identical files.
//!
//! Shape: about 60 % articles (`content/artikler/`), 25 % checklists
//! (`content/sjekklister/`, GFM task lists) and 15 % anonymized case studies
//! (`content/case/`), spread over nested topic folders of at most 50 pages,
//! each folder with an `_index.md`. Pages are 1–8 KB (median about 3 KB) with
//! `##`/`###` headings, lists, callouts, tables (~20 %), footnotes (~10 %) and
//! 2–4 relative links to other pages.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Which static-site generator the corpus is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Vinn,
    Hugo,
    Zola,
    /// No front matter: each page starts with its title as a `#` heading,
    /// each folder's `_index.md` is its `README.md`, and `SUMMARY.md` lists
    /// them all in order.
    MdBook,
}

impl Flavor {
    pub fn parse(s: &str) -> Option<Flavor> {
        match s {
            "vinn" => Some(Flavor::Vinn),
            "hugo" => Some(Flavor::Hugo),
            "zola" => Some(Flavor::Zola),
            "mdbook" => Some(Flavor::MdBook),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Flavor::Vinn => "vinn",
            Flavor::Hugo => "hugo",
            Flavor::Zola => "zola",
            Flavor::MdBook => "mdbook",
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub seed: u64,
    pub flavor: &'static str,
    pub pages: usize,
    pub articles: usize,
    pub checklists: usize,
    pub cases: usize,
    /// Folders with an `_index.md`, `content/` itself included.
    pub folders: usize,
    pub max_pages_per_folder: usize,
    pub bytes_min: usize,
    pub bytes_median: usize,
    pub bytes_max: usize,
    pub bytes_total: usize,
    pub pages_with_table: usize,
    pub pages_with_footnote: usize,
    pub links: usize,
    /// A page in the middle of the corpus (relative to `content/`), e.g. for
    /// "one page edited" measurements.
    pub sample_page: String,
}

impl std::fmt::Display for Manifest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "flavor={} seed={} pages={} (articles={} checklists={} cases={})",
            self.flavor, self.seed, self.pages, self.articles, self.checklists, self.cases
        )?;
        writeln!(
            f,
            "folders={} max_pages_per_folder={} links={} tables={} footnotes={}",
            self.folders,
            self.max_pages_per_folder,
            self.links,
            self.pages_with_table,
            self.pages_with_footnote
        )?;
        write!(
            f,
            "page bytes: min={} median={} max={} total={} sample={}",
            self.bytes_min, self.bytes_median, self.bytes_max, self.bytes_total, self.sample_page
        )
    }
}

/// Writes `pages` pages of vinn content generated from `seed` into `out`.
pub fn generate(pages: usize, seed: u64, out: &Path) -> io::Result<Manifest> {
    generate_flavor(pages, seed, out, Flavor::Vinn)
}

/// Like [`generate`], for any flavor. Files this generator owns under `out`
/// (`content/`, `layouts/`, `templates/`, `static/`, `site.toml`,
/// `hugo.toml`, `config.toml`, `book.toml`) are removed first so the result
/// never mixes two runs; nothing else is touched.
pub fn generate_flavor(
    pages: usize,
    seed: u64,
    out: &Path,
    flavor: Flavor,
) -> io::Result<Manifest> {
    if pages == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "pages must be at least 1",
        ));
    }
    for dir in ["content", "layouts", "templates", "static"] {
        let p = out.join(dir);
        if p.exists() {
            fs::remove_dir_all(&p)?;
        }
    }
    for file in ["site.toml", "hugo.toml", "config.toml", "book.toml"] {
        let p = out.join(file);
        if p.exists() {
            fs::remove_file(&p)?;
        }
    }
    fs::create_dir_all(out)?;

    let corpus = Corpus::build(pages, seed);
    let content = out.join("content");
    let mut dirs_made = BTreeSet::new();
    for folder in &corpus.folders {
        let dir = join_rel(&content, &folder.path);
        if dirs_made.insert(dir.clone()) {
            fs::create_dir_all(&dir)?;
        }
        let name = if flavor == Flavor::MdBook {
            "README.md"
        } else {
            "_index.md"
        };
        fs::write(dir.join(name), folder.render(flavor))?;
    }
    let mut sizes = Vec::with_capacity(corpus.pages.len());
    for page in &corpus.pages {
        let text = page.render(flavor);
        sizes.push(text.len());
        fs::write(join_rel(&content, &page.rel_path()), text)?;
    }
    match flavor {
        Flavor::Vinn => fs::write(out.join("site.toml"), SITE_TOML)?,
        Flavor::Hugo => write_scaffold(out, HUGO_FILES)?,
        Flavor::Zola => write_scaffold(out, ZOLA_FILES)?,
        Flavor::MdBook => {
            write_scaffold(out, MDBOOK_FILES)?;
            fs::write(content.join("SUMMARY.md"), corpus.summary())?;
        }
    }

    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    let count = |k: Kind| corpus.pages.iter().filter(|p| p.kind == k).count();
    Ok(Manifest {
        seed,
        flavor: flavor.name(),
        pages: corpus.pages.len(),
        articles: count(Kind::Article),
        checklists: count(Kind::Checklist),
        cases: count(Kind::Case),
        folders: corpus.folders.len(),
        max_pages_per_folder: corpus.folders.iter().map(|f| f.count).max().unwrap_or(0),
        bytes_min: sorted[0],
        bytes_median: sorted[sorted.len() / 2],
        bytes_max: sorted[sorted.len() - 1],
        bytes_total: sizes.iter().sum(),
        pages_with_table: corpus.pages.iter().filter(|p| p.has_table).count(),
        pages_with_footnote: corpus.pages.iter().filter(|p| p.has_footnote).count(),
        links: corpus.pages.iter().map(|p| p.links.len()).sum(),
        sample_page: corpus.pages[corpus.pages.len() / 2].rel_path(),
    })
}

fn join_rel(base: &Path, rel: &str) -> PathBuf {
    let mut p = base.to_path_buf();
    for part in rel.split('/').filter(|s| !s.is_empty()) {
        p.push(part);
    }
    p
}

// ---------------------------------------------------------------------------
// Random numbers: splitmix64, good enough for text and fully reproducible.
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed ^ 0x6a09_e667_f3bc_c908);
        r.next_u64();
        r
    }

    /// An independent stream for item `index` of a run seeded with `seed`.
    fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        let mut mix = Rng(seed.wrapping_add(stream.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        let a = mix.next_u64();
        Rng::new(a ^ index.wrapping_mul(0xbf58_476d_1ce4_e5b9))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn one<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct indices out of `0..n`, in drawing order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    fn shuffled(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
        v
    }
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/// A noun with its grammatical gender (`true` = neuter, "et").
struct Noun(&'static str, bool);

const NOUNS: &[Noun] = &[
    Noun("kunde", false),
    Noun("beslutningstaker", false),
    Noun("behovsanalyse", false),
    Noun("avtale", false),
    Noun("pris", false),
    Noun("rabatt", false),
    Noun("forhandling", false),
    Noun("innvending", false),
    Noun("evaluering", false),
    Noun("leverandør", false),
    Noun("prognose", false),
    Noun("referanse", false),
    Noun("pilot", false),
    Noun("demonstrasjon", false),
    Noun("presentasjon", false),
    Noun("gevinst", false),
    Noun("styregruppe", false),
    Noun("ledergruppe", false),
    Noun("sluttbruker", false),
    Noun("konkurrent", false),
    Noun("kravspesifikasjon", false),
    Noun("risiko", false),
    Noun("tidslinje", false),
    Noun("milepæl", false),
    Noun("leveranse", false),
    Noun("implementering", false),
    Noun("opplæring", false),
    Noun("lisens", false),
    Noun("fornyelse", false),
    Noun("relasjon", false),
    Noun("tillit", false),
    Noun("agenda", false),
    Noun("målsetting", false),
    Noun("avkastning", false),
    Noun("lønnsomhet", false),
    Noun("kostnad", false),
    Noun("besparelse", false),
    Noun("strategi", false),
    Noun("prioritet", false),
    Noun("utfordring", false),
    Noun("forventning", false),
    Noun("kjøpsprosess", false),
    Noun("godkjenning", false),
    Noun("anbefaling", false),
    Noun("løsning", false),
    Noun("tjeneste", false),
    Noun("plattform", false),
    Noun("integrasjon", false),
    Noun("tilbakemelding", false),
    Noun("tapsanalyse", false),
    Noun("beslutningsprosess", false),
    Noun("tidsfrist", false),
    Noun("opsjon", false),
    Noun("garanti", false),
    Noun("responstid", false),
    Noun("kvalitet", false),
    Noun("kompetanse", false),
    Noun("metodikk", false),
    Noun("oppsummering", false),
    Noun("innrømmelse", false),
    Noun("posisjon", false),
    Noun("gevinstrealisering", false),
    Noun("verdiberegning", false),
    Noun("kontaktperson", false),
    Noun("bestilling", false),
    Noun("prisstrategi", false),
    Noun("markedsanalyse", false),
    Noun("kundereise", false),
    Noun("tilbud", true),
    Noun("mandat", true),
    Noun("budsjett", true),
    Noun("anbud", true),
    Noun("møte", true),
    Noun("kundemøte", true),
    Noun("møtereferat", true),
    Noun("verdiforslag", true),
    Noun("argument", true),
    Noun("nøkkeltall", true),
    Noun("behov", true),
    Noun("krav", true),
    Noun("beslutningsgrunnlag", true),
    Noun("kvartal", true),
    Noun("abonnement", true),
    Noun("samarbeid", true),
    Noun("prosjekt", true),
    Noun("oppstartsmøte", true),
    Noun("engasjement", true),
    Noun("eierskap", true),
    Noun("spørsmål", true),
    Noun("utkast", true),
    Noun("salgsmøte", true),
    Noun("nettverk", true),
    Noun("ønske", true),
    Noun("risikobilde", true),
    Noun("gevinstkart", true),
    Noun("innkjøp", true),
    Noun("prisnivå", true),
    Noun("volum", true),
    Noun("mersalg", true),
    Noun("initiativ", true),
    Noun("styremøte", true),
    Noun("sammendrag", true),
    Noun("forslag", true),
    Noun("perspektiv", true),
];

impl Noun {
    fn indef(&self) -> String {
        format!("{} {}", if self.1 { "et" } else { "en" }, self.0)
    }

    fn def(&self) -> String {
        let w = self.0;
        let end = if self.1 { "t" } else { "n" };
        if w.ends_with('e') {
            format!("{w}{end}")
        } else {
            format!("{w}e{end}")
        }
    }
}

/// Infinitive, present tense, imperative.
struct Verb(&'static str, &'static str, &'static str);

const VERBS: &[Verb] = &[
    Verb("avklare", "avklarer", "avklar"),
    Verb("kartlegge", "kartlegger", "kartlegg"),
    Verb("dokumentere", "dokumenterer", "dokumenter"),
    Verb("presentere", "presenterer", "presenter"),
    Verb("prioritere", "prioriterer", "prioriter"),
    Verb("kvalifisere", "kvalifiserer", "kvalifiser"),
    Verb("bekrefte", "bekrefter", "bekreft"),
    Verb("utfordre", "utfordrer", "utfordre"),
    Verb("begrunne", "begrunner", "begrunn"),
    Verb("beregne", "beregner", "beregn"),
    Verb("sammenligne", "sammenligner", "sammenlign"),
    Verb("vurdere", "vurderer", "vurder"),
    Verb("anbefale", "anbefaler", "anbefal"),
    Verb("forankre", "forankrer", "forankre"),
    Verb("involvere", "involverer", "involver"),
    Verb("påvirke", "påvirker", "påvirk"),
    Verb("forberede", "forbereder", "forbered"),
    Verb("planlegge", "planlegger", "planlegg"),
    Verb("gjennomføre", "gjennomfører", "gjennomfør"),
    Verb("oppsummere", "oppsummerer", "oppsummer"),
    Verb("signere", "signerer", "signer"),
    Verb("godkjenne", "godkjenner", "godkjenn"),
    Verb("utsette", "utsetter", "utsett"),
    Verb("redusere", "reduserer", "reduser"),
    Verb("styrke", "styrker", "styrk"),
    Verb("sikre", "sikrer", "sikre"),
    Verb("teste", "tester", "test"),
    Verb("justere", "justerer", "juster"),
    Verb("tilpasse", "tilpasser", "tilpass"),
    Verb("avdekke", "avdekker", "avdekk"),
    Verb("kvantifisere", "kvantifiserer", "kvantifiser"),
    Verb("konkretisere", "konkretiserer", "konkretiser"),
    Verb("undersøke", "undersøker", "undersøk"),
    Verb("analysere", "analyserer", "analyser"),
    Verb("kommunisere", "kommuniserer", "kommuniser"),
    Verb("eskalere", "eskalerer", "eskaler"),
    Verb("måle", "måler", "mål"),
    Verb("dele", "deler", "del"),
    Verb("velge", "velger", "velg"),
    Verb("finne", "finner", "finn"),
    Verb("bygge", "bygger", "bygg"),
    Verb("levere", "leverer", "lever"),
    Verb("forstå", "forstår", "forstå"),
    Verb("beskrive", "beskriver", "beskriv"),
    Verb("synliggjøre", "synliggjør", "synliggjør"),
    Verb("tydeliggjøre", "tydeliggjør", "tydeliggjør"),
    Verb("avstemme", "avstemmer", "avstem"),
];

const ADJECTIVES: &[&str] = &[
    "tydelig",
    "konkret",
    "målbar",
    "realistisk",
    "ambisiøs",
    "kritisk",
    "viktig",
    "sentral",
    "strategisk",
    "operativ",
    "økonomisk",
    "teknisk",
    "kommersiell",
    "langsiktig",
    "kortsiktig",
    "forsiktig",
    "offensiv",
    "troverdig",
    "relevant",
    "presis",
    "grundig",
    "rask",
    "tung",
    "enkel",
    "kompleks",
    "uklar",
    "sterk",
    "svak",
    "overbevisende",
    "fornuftig",
    "lønnsom",
    "kostbar",
    "åpen",
    "formell",
    "robust",
    "fleksibel",
    "avgjørende",
    "nødvendig",
    "tilstrekkelig",
    "utfordrende",
    "gjennomtenkt",
    "nøktern",
    "nøytral",
    "positiv",
    "sårbar",
    "skriftlig",
    "muntlig",
    "tidkrevende",
    "moden",
];

/// The neuter form of an adjective ("sterk" → "sterkt", "tydelig" stays).
fn neuter(adj: &str) -> String {
    let same = ["ig", "isk", "t", "e"];
    if same.iter().any(|s| adj.ends_with(s)) {
        return adj.to_string();
    }
    let mut chars: Vec<char> = adj.chars().collect();
    let n = chars.len();
    if n >= 2 && chars[n - 1] == chars[n - 2] {
        chars.pop();
    }
    let mut s: String = chars.into_iter().collect();
    s.push('t');
    s
}

const ADVERBS: &[&str] = &[
    "alltid",
    "ofte",
    "sjelden",
    "tidlig",
    "raskt",
    "grundig",
    "systematisk",
    "konsekvent",
    "gjerne",
    "særlig",
    "helst",
    "løpende",
    "bevisst",
    "tydelig",
];

const CONNECTORS: &[&str] = &[
    "Derfor",
    "Likevel",
    "I tillegg",
    "Samtidig",
    "Først",
    "Deretter",
    "Til slutt",
    "I praksis",
    "Kort sagt",
    "For eksempel",
    "Erfaringsmessig",
    "Motsatt",
];

/// Roles as a title and in the definite form used inside sentences.
const ROLES: &[(&str, &str)] = &[
    ("Innkjøpssjef", "innkjøpssjefen"),
    ("Økonomidirektør", "økonomidirektøren"),
    ("Daglig leder", "daglig leder"),
    ("IT-direktør", "IT-direktøren"),
    ("Driftssjef", "driftssjefen"),
    ("Styreleder", "styrelederen"),
    ("Fagdirektør", "fagdirektøren"),
    ("Kommunedirektør", "kommunedirektøren"),
    ("Prosjekteier", "prosjekteieren"),
    ("HR-direktør", "HR-direktøren"),
    ("Salgsdirektør", "salgsdirektøren"),
    ("Avdelingsleder", "avdelingslederen"),
];

const INDUSTRIES: &[&str] = &[
    "Offentlig forvaltning",
    "Bank og forsikring",
    "Helse og omsorg",
    "Industri",
    "Varehandel",
    "Kraft og energi",
    "Bygg og anlegg",
    "Samferdsel",
    "Telekom",
    "Utdanning",
    "Sjømat",
    "Eiendom",
    "Olje og gass",
    "Landbruk",
    "Media",
];

const REASONS: &[&str] = &[
    "decision-maker",
    "value",
    "price",
    "timing",
    "competitor",
    "relationship",
    "scope",
];

const DEAL_BANDS: &[&str] = &[
    "50k-100k NOK",
    "100k-500k NOK",
    "500k-1M NOK",
    "1M-5M NOK",
    "5M-20M NOK",
];

const PHASES: &[&str] = &[
    "for-mote",
    "behovsanalyse",
    "tilbud",
    "forhandling",
    "etter-tap",
    "oppfolging",
];

const AUTHORS: &[&str] = &[
    "Salgsavdelingen",
    "Fagteamet",
    "Salgsskolen",
    "Kundeteamet",
    "Tilbudssenteret",
];

const TAGS: &[&str] = &[
    "tapsanalyse",
    "rammeavtale",
    "pilot",
    "referansekunde",
    "offentlig-anbud",
    "prisforhandling",
    "styregruppe",
    "gevinstkart",
    "forste-mote",
    "oppfolging",
    "kravspesifikasjon",
    "business-case",
    "innkjop",
    "fornyelse",
    "mersalg",
    "konkurrentanalyse",
    "kundereise",
    "verdiforslag",
    "mandat",
    "budsjett",
    "tidslinje",
    "risiko",
    "demo",
    "workshop",
    "innvendinger",
    "rollespill",
    "kvalifisering",
    "nokkeltall",
    "ledergruppe",
    "tilbudsfrist",
    "sluttforhandling",
    "kontrakt",
    "lisens",
    "opplaering",
    "implementering",
    "tillit",
    "relasjonsbygging",
    "presentasjon",
    "sporsmalsteknikk",
    "behovsavklaring",
];

/// The taxonomy's core topics.
const TOPICS: &[&str] = &["beslutningstakere", "verdi", "evaluering"];

/// Topic folders of one top-level section: slug, title, core topic, weight.
type TopicFolder = (&'static str, &'static str, usize, usize);

struct SectionSpec {
    slug: &'static str,
    title: &'static str,
    description: &'static str,
    kind: Kind,
    share: usize,
    topics: &'static [TopicFolder],
}

const SECTIONS: &[SectionSpec] = &[
    SectionSpec {
        slug: "artikler",
        title: "Artikler",
        description: "Fagartikler om beslutningstakere, verdi og evaluering av salg.",
        kind: Kind::Article,
        share: 60,
        topics: &[
            ("beslutningstakere", "Beslutningstakere", 0, 4),
            ("verdi-og-gevinst", "Verdi og gevinst", 1, 4),
            ("evaluering", "Evaluering", 2, 3),
            ("behovsavklaring", "Behovsavklaring", 1, 2),
            ("forhandling", "Forhandling", 0, 2),
            ("innvendinger", "Innvendinger", 2, 1),
            ("kundemoter", "Kundemøter", 0, 2),
            ("prospektering", "Prospektering", 1, 1),
        ],
    },
    SectionSpec {
        slug: "sjekklister",
        title: "Sjekklister",
        description: "Sjekklister til bruk før, under og etter kundemøter og tilbud.",
        kind: Kind::Checklist,
        share: 25,
        topics: &[
            ("for-motet", "Før møtet", 0, 3),
            ("behovsanalyse", "Behovsanalyse", 1, 2),
            ("tilbud", "Tilbud", 1, 2),
            ("forhandling", "Forhandling", 0, 1),
            ("etter-tap", "Etter tap", 2, 2),
        ],
    },
    SectionSpec {
        slug: "case",
        title: "Case",
        description: "Anonymiserte case fra vunne og tapte salg.",
        kind: Kind::Case,
        share: 15,
        topics: &[
            ("beslutningstakere", "Beslutningstakere", 0, 3),
            ("verdi", "Verdi", 1, 2),
            ("evaluering", "Evaluering", 2, 2),
            ("offentlige-anbud", "Offentlige anbud", 2, 1),
        ],
    },
];

const SUBTOPICS: &[(&str, &str)] = &[
    ("mandat", "Mandat"),
    ("gevinstrealisering", "Gevinstrealisering"),
    ("kundeverdi", "Kundeverdi"),
    ("innkjop", "Innkjøp"),
    ("styringsgruppe", "Styringsgruppe"),
    ("pilotprosjekter", "Pilotprosjekter"),
    ("referanser", "Referanser"),
    ("prising", "Prising"),
    ("risiko", "Risiko"),
    ("kontrakter", "Kontrakter"),
    ("budsjettprosess", "Budsjettprosess"),
    ("tidsplan", "Tidsplan"),
    ("kravspesifikasjon", "Kravspesifikasjon"),
    ("demonstrasjoner", "Demonstrasjoner"),
    ("workshops", "Workshops"),
    ("leveranse", "Leveranse"),
    ("fornyelse", "Fornyelse"),
    ("mersalg", "Mersalg"),
    ("relasjoner", "Relasjoner"),
    ("tillit", "Tillit"),
    ("argumentasjon", "Argumentasjon"),
    ("nokkeltall", "Nøkkeltall"),
    ("forankring", "Forankring"),
    ("implementering", "Implementering"),
    ("opplaering", "Opplæring"),
    ("informasjonssikkerhet", "Informasjonssikkerhet"),
    ("tapsintervju", "Tapsintervju"),
    ("kvalifisering", "Kvalifisering"),
    ("agenda", "Agenda"),
    ("oppsummering", "Oppsummering"),
    ("konkurrenter", "Konkurrenter"),
    ("sluttforhandling", "Sluttforhandling"),
];

const SITE_TOML: &str = r##"# Generated benchmark corpus (benches/corpus.rs).
title = "Salgsskolen"
description = "Det vi har lært om å vinne og tape salg"
base_url = "/"
language = "nb"

[sections]
artikler = { kind = "article" }
sjekklister = { kind = "checklist" }
case = { kind = "case" }

[[topics]]
slug = "beslutningstakere"
title = "Beslutningstakere"
description = "Hvem har mandatet, og hvem påvirker beslutningen?"

[[topics]]
slug = "verdi"
title = "Verdi"
description = "Hvordan kunden forstår og måler verdien av det vi selger."

[[topics]]
slug = "evaluering"
title = "Evaluering"
description = "Hvordan kunden vurderer tilbud, og hva vi lærer etterpå."

[case]
reasons = ["decision-maker", "value", "price", "timing", "competitor", "relationship", "scope"]

[search]
enabled = true
"##;

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Article,
    Checklist,
    Case,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Checklist => "checklist",
            Kind::Case => "case",
        }
    }
}

struct Folder {
    /// Relative to `content/`, `""` for the root.
    path: String,
    title: String,
    description: String,
    intro: String,
    /// Index of the first page and number of pages directly in this folder.
    first: usize,
    count: usize,
}

impl Folder {
    fn render(&self, flavor: Flavor) -> String {
        if flavor == Flavor::MdBook {
            return format!("# {}\n\n{}\n", self.title, self.intro);
        }
        if flavor == Flavor::Zola {
            // Zola lists a section's pages newest first (every page has a date).
            return format!(
                "+++\ntitle = {}\ndescription = {}\nsort_by = \"date\"\n+++\n\n{}\n",
                quoted(&self.title),
                quoted(&self.description),
                self.intro
            );
        }
        format!(
            "---\ntitle: {}\ndescription: {}\n---\n\n{}\n",
            quoted(&self.title),
            quoted(&self.description),
            self.intro
        )
    }
}

struct CaseFacts {
    outcome: &'static str,
    reasons: Vec<&'static str>,
    industry: &'static str,
    deal_size: &'static str,
    role: usize,
    lessons: Vec<String>,
    interview_date: Option<String>,
}

struct Page {
    dir: String,
    slug: String,
    kind: Kind,
    title: String,
    description: String,
    date: String,
    updated: Option<String>,
    weight: Option<usize>,
    author: &'static str,
    topics: Vec<&'static str>,
    tags: Vec<&'static str>,
    phase: Option<&'static str>,
    case: Option<CaseFacts>,
    target: usize,
    /// Indices of linked pages.
    links: Vec<usize>,
    /// Each link as written in the body (relative to the page) and as the
    /// path of its target under `content/`, in the order of `links`.
    targets: Vec<(String, String)>,
    /// Relative paths of `related` pages (a subset of the links).
    related: Vec<String>,
    body: String,
    has_table: bool,
    has_footnote: bool,
}

impl Page {
    fn rel_path(&self) -> String {
        format!("{}/{}.md", self.dir, self.slug)
    }

    fn front_matter(&self, flavor: Flavor) -> String {
        if flavor == Flavor::Zola {
            return self.zola_front_matter();
        }
        let mut s = String::with_capacity(512);
        s.push_str("---\n");
        let _ = writeln!(s, "title: {}", quoted(&self.title));
        let _ = writeln!(s, "description: {}", quoted(&self.description));
        let _ = writeln!(s, "date: {}", self.date);
        if let Some(u) = &self.updated {
            let key = if flavor == Flavor::Hugo {
                "lastmod"
            } else {
                "updated"
            };
            let _ = writeln!(s, "{key}: {u}");
        }
        if let Some(w) = self.weight {
            let _ = writeln!(s, "weight: {w}");
        }
        if flavor == Flavor::Vinn {
            let _ = writeln!(s, "kind: {}", self.kind.name());
        }
        let _ = writeln!(s, "author: {}", quoted(self.author));
        let _ = writeln!(s, "topics: [{}]", self.topics.join(", "));
        let _ = writeln!(s, "tags: [{}]", self.tags.join(", "));
        if !self.related.is_empty() {
            let _ = writeln!(s, "related: [{}]", self.related.join(", "));
        }
        if let Some(phase) = self.phase {
            let _ = writeln!(s, "phase: {phase}");
        }
        if let Some(c) = &self.case {
            s.push_str("anonymized: true\n");
            let _ = writeln!(s, "outcome: {}", c.outcome);
            let _ = writeln!(s, "reasons: [{}]", c.reasons.join(", "));
            let _ = writeln!(s, "industry: {}", quoted(c.industry));
            let _ = writeln!(s, "deal_size: {}", quoted(c.deal_size));
            let _ = writeln!(s, "decision_maker_role: {}", quoted(ROLES[c.role].0));
            s.push_str("lessons:\n");
            for l in &c.lessons {
                let _ = writeln!(s, "  - {}", quoted(l));
            }
            if let Some(d) = &c.interview_date {
                let _ = writeln!(s, "interview_date: {d}");
            }
        }
        s.push_str("---\n");
        s
    }

    /// Zola's own keys at the top, the topics and tags as its taxonomies,
    /// everything else of vinn's model under `[extra]` (TOML).
    fn zola_front_matter(&self) -> String {
        let list = |items: &[&str]| {
            let q: Vec<String> = items.iter().map(|s| quoted(s)).collect();
            format!("[{}]", q.join(", "))
        };
        let mut s = String::with_capacity(640);
        s.push_str("+++\n");
        let _ = writeln!(s, "title = {}", quoted(&self.title));
        let _ = writeln!(s, "description = {}", quoted(&self.description));
        let _ = writeln!(s, "date = {}", self.date);
        if let Some(u) = &self.updated {
            let _ = writeln!(s, "updated = {u}");
        }
        if let Some(w) = self.weight {
            let _ = writeln!(s, "weight = {w}");
        }
        let _ = writeln!(s, "authors = {}", list(&[self.author]));
        s.push_str("\n[taxonomies]\n");
        let _ = writeln!(s, "topics = {}", list(&self.topics));
        let _ = writeln!(s, "tags = {}", list(&self.tags));
        s.push_str("\n[extra]\n");
        let _ = writeln!(s, "kind = \"{}\"", self.kind.name());
        if !self.related.is_empty() {
            let related: Vec<&str> = self.related.iter().map(|r| self.target_of(r)).collect();
            let _ = writeln!(s, "related = {}", list(&related));
        }
        if let Some(phase) = self.phase {
            let _ = writeln!(s, "phase = \"{phase}\"");
        }
        if let Some(c) = &self.case {
            s.push_str("anonymized = true\n");
            let _ = writeln!(s, "outcome = \"{}\"", c.outcome);
            let _ = writeln!(s, "reasons = {}", list(&c.reasons));
            let _ = writeln!(s, "industry = {}", quoted(c.industry));
            let _ = writeln!(s, "deal_size = {}", quoted(c.deal_size));
            let _ = writeln!(s, "decision_maker_role = {}", quoted(ROLES[c.role].0));
            let lessons: Vec<&str> = c.lessons.iter().map(String::as_str).collect();
            let _ = writeln!(s, "lessons = {}", list(&lessons));
            if let Some(d) = &c.interview_date {
                let _ = writeln!(s, "interview_date = {d}");
            }
        }
        s.push_str("+++\n");
        s
    }

    /// The path under `content/` of a link written relative to this page.
    fn target_of<'a>(&'a self, rel: &'a str) -> &'a str {
        self.targets
            .iter()
            .find(|(r, _)| r == rel)
            .map_or(rel, |(_, path)| path.as_str())
    }

    fn render(&self, flavor: Flavor) -> String {
        if flavor == Flavor::MdBook {
            return format!("# {}\n\n{}\n", self.title, self.body);
        }
        let mut s = self.front_matter(flavor);
        s.push('\n');
        if flavor == Flavor::Zola {
            // Zola resolves (and checks) only links to `@/` + the target's
            // path under `content/`; the other flavors take relative ones.
            let mut body = self.body.clone();
            for (rel, path) in &self.targets {
                body = body.replace(&format!("]({rel})"), &format!("](@/{path})"));
            }
            s.push_str(&body);
        } else {
            s.push_str(&self.body);
        }
        s.push('\n');
        s
    }
}

/// A double-quoted string: YAML's and TOML's basic strings escape the same
/// two characters (the corpus has no control characters).
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lowercase ASCII slug; Norwegian letters transliterated.
fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let rep: &str = match c {
            'æ' => "ae",
            'ø' => "o",
            'å' => "a",
            'é' | 'è' => "e",
            _ => "",
        };
        if !rep.is_empty() {
            out.push_str(rep);
            dash = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() > 64 {
        let cut = out[..64].rfind('-').unwrap_or(64);
        out.truncate(cut);
    }
    if out.is_empty() {
        out.push_str("side");
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `YYYY-MM-DD` for a day count since 1970-01-01 (proleptic Gregorian).
fn iso_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Relative path from directory `from_dir` to file `to` (both relative to
/// `content/`, `/`-separated).
fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let dir_parts = &to_parts[..to_parts.len() - 1];
    let common = from
        .iter()
        .zip(dir_parts.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for _ in common..from.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// Target page size in bytes: a piecewise-linear inverse distribution with a
/// median of about 3 KB and a long right tail, clamped to 1.1–7.8 KB.
fn target_size(rng: &mut Rng) -> usize {
    const QUANTILES: &[(f64, f64)] = &[
        (0.0, 1150.0),
        (0.05, 1500.0),
        (0.20, 2200.0),
        (0.50, 3000.0),
        (0.80, 4100.0),
        (0.95, 5700.0),
        (1.0, 7700.0),
    ];
    let u = rng.unit();
    for w in QUANTILES.windows(2) {
        let ((u0, b0), (u1, b1)) = (w[0], w[1]);
        if u <= u1 {
            return (b0 + (b1 - b0) * (u - u0) / (u1 - u0)) as usize;
        }
    }
    7700
}

/// Splits `n` into parts proportional to `weights`, largest remainders first.
fn apportion(n: usize, weights: &[usize]) -> Vec<usize> {
    let total: usize = weights.iter().sum();
    let mut parts: Vec<usize> = weights.iter().map(|w| n * w / total).collect();
    let mut rest: Vec<(usize, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| ((n * w) % total, i))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = n - parts.iter().sum::<usize>();
    for &(_, i) in rest.iter().take(missing) {
        parts[i] += 1;
    }
    parts
}

/// Page sizes stay within these bounds (bytes, front matter included).
const MIN_BYTES: usize = 1100;
const MAX_BYTES: usize = 8000;

/// Pages directly in a folder never exceed this.
const FOLDER_MAX: usize = 50;
/// Preferred number of pages per folder when a topic has to be split.
const FOLDER_FILL: usize = 45;
/// Subfolders of one folder before another level of nesting is added.
const MAX_CHILDREN: usize = 30;

struct Corpus {
    folders: Vec<Folder>,
    pages: Vec<Page>,
}

struct Builder {
    seed: u64,
    rng: Rng,
    folders: Vec<Folder>,
    pages: Vec<Page>,
}

impl Corpus {
    fn build(n: usize, seed: u64) -> Corpus {
        let mut b = Builder {
            seed,
            rng: Rng::derive(seed, 1, 0),
            folders: Vec::new(),
            pages: Vec::new(),
        };
        let mut text = Text::new(Rng::derive(seed, 2, 0));
        b.folders.push(Folder {
            path: String::new(),
            title: "Salgsskolen".into(),
            description: "Salgstrening for team som selger verdi til beslutningstakere.".into(),
            intro: text.paragraph(3, 5),
            first: 0,
            count: 0,
        });
        let shares: Vec<usize> = SECTIONS.iter().map(|s| s.share).collect();
        for (spec, count) in SECTIONS.iter().zip(apportion(n, &shares)) {
            b.folders.push(Folder {
                path: spec.slug.into(),
                title: spec.title.into(),
                description: spec.description.into(),
                intro: text.paragraph(2, 4),
                first: b.pages.len(),
                count: 0,
            });
            let weights: Vec<usize> = spec.topics.iter().map(|t| t.3).collect();
            for (topic, tcount) in spec.topics.iter().zip(apportion(count, &weights)) {
                if tcount == 0 {
                    continue;
                }
                let path = format!("{}/{}", spec.slug, topic.0);
                let description = format!("{}: {}.", spec.title, topic.1.to_lowercase());
                b.fill(
                    &mut text,
                    spec,
                    topic,
                    path,
                    topic.1.into(),
                    description,
                    tcount,
                );
            }
        }
        let mut corpus = Corpus {
            folders: b.folders,
            pages: b.pages,
        };
        corpus.write_bodies(seed);
        corpus
    }

    /// mdBook's `SUMMARY.md`: the front page's `README.md` as a prefix
    /// chapter, then every folder's `README.md` with its pages and, after
    /// them, its subfolders, nested as the folders are.
    fn summary(&self) -> String {
        let mut s = String::from("# Summary\n\n");
        let Some(root) = self.folders.first() else {
            return s;
        };
        let _ = writeln!(s, "[{}](README.md)\n", root.title);
        for folder in &self.folders[1..] {
            let depth = folder.path.matches('/').count();
            let indent = "    ".repeat(depth);
            let _ = writeln!(s, "{indent}- [{}]({}/README.md)", folder.title, folder.path);
            for page in &self.pages[folder.first..folder.first + folder.count] {
                let _ = writeln!(s, "{indent}    - [{}]({})", page.title, page.rel_path());
            }
        }
        s
    }

    /// Second pass: links (which may point anywhere) and bodies, each page
    /// from its own random stream.
    fn write_bodies(&mut self, seed: u64) {
        let n = self.pages.len();
        let mut folder_of = vec![0usize; n];
        for (fi, f) in self.folders.iter().enumerate() {
            for slot in folder_of.iter_mut().skip(f.first).take(f.count) {
                *slot = fi;
            }
        }
        let paths: Vec<String> = self.pages.iter().map(Page::rel_path).collect();
        let titles: Vec<String> = self.pages.iter().map(|p| p.title.clone()).collect();
        for (i, &fi) in folder_of.iter().enumerate() {
            let mut rng = Rng::derive(seed, 3, i as u64);
            let folder = &self.folders[fi];
            let mut links = Vec::new();
            if n > 1 {
                let want = rng.between(2, 4);
                let mut tries = 0;
                while links.len() < want && tries < 64 {
                    tries += 1;
                    let j = if folder.count > 1 && rng.chance(0.4) {
                        folder.first + rng.below(folder.count)
                    } else {
                        rng.below(n)
                    };
                    if j != i && (!links.contains(&j) || n <= want) {
                        links.push(j);
                    }
                }
            }
            let page = &mut self.pages[i];
            let rels: Vec<String> = links
                .iter()
                .map(|&j| relative_path(&page.dir, &paths[j]))
                .collect();
            if !rels.is_empty() && rng.chance(0.25) {
                page.related.push(rels[0].clone());
            }
            page.targets = rels
                .iter()
                .zip(&links)
                .map(|(rel, &j)| (rel.clone(), paths[j].clone()))
                .collect();
            page.links = links;
            let link_texts: Vec<(String, String)> = page
                .links
                .iter()
                .zip(rels)
                .map(|(&j, rel)| (titles[j].clone(), rel))
                .collect();
            let fm_len = page.front_matter(Flavor::Vinn).len();
            let mut text = Text::new(rng);
            let body = text.body(page, fm_len, &link_texts);
            page.body = body.text;
            page.has_table = body.table;
            page.has_footnote = body.footnote;
        }
    }
}

impl Builder {
    /// Creates folder `path` holding `count` pages, nesting subfolders when
    /// they do not fit in one folder.
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &mut self,
        text: &mut Text,
        spec: &SectionSpec,
        topic: &TopicFolder,
        path: String,
        title: String,
        description: String,
        count: usize,
    ) {
        let (own, children) = if count <= FOLDER_MAX {
            (count, Vec::new())
        } else {
            let buckets = count.div_ceil(FOLDER_FILL);
            if buckets <= MAX_CHILDREN + 1 {
                let parts = apportion(count, &vec![1; buckets]);
                (parts[0], parts[1..].to_vec())
            } else {
                let own = FOLDER_FILL * 2 / 3;
                (own, apportion(count - own, &[1; MAX_CHILDREN]))
            }
        };
        let folder_index = self.folders.len();
        self.folders.push(Folder {
            path: path.clone(),
            title: title.clone(),
            description,
            intro: text.paragraph(2, 4),
            first: self.pages.len(),
            count: own,
        });
        let mut used: BTreeSet<String> = BTreeSet::new();
        let order = self.rng.shuffled(SUBTOPICS.len());
        let child_names: Vec<(String, String)> = (0..children.len())
            .map(|k| {
                let (slug, name) = SUBTOPICS[order[k % SUBTOPICS.len()]];
                let round = k / SUBTOPICS.len();
                if round == 0 {
                    (slug.to_string(), name.to_string())
                } else {
                    (
                        format!("{slug}-{}", round + 1),
                        format!("{name} {}", round + 1),
                    )
                }
            })
            .collect();
        for (slug, _) in &child_names {
            used.insert(slug.clone());
        }
        for _ in 0..own {
            let page = self.new_page(spec, topic, &path, &mut used);
            self.pages.push(page);
        }
        debug_assert_eq!(self.folders[folder_index].first + own, self.pages.len());
        for ((slug, name), c) in child_names.into_iter().zip(children) {
            let sub_path = format!("{path}/{slug}");
            let description = format!("{title}: {}.", name.to_lowercase());
            self.fill(text, spec, topic, sub_path, name, description, c);
        }
    }

    fn new_page(
        &mut self,
        spec: &SectionSpec,
        topic: &TopicFolder,
        dir: &str,
        used: &mut BTreeSet<String>,
    ) -> Page {
        let index = self.pages.len() as u64;
        let mut rng = Rng::derive(self.seed, 4, index);
        let kind = spec.kind;
        let case = (kind == Kind::Case).then(|| {
            let x = rng.unit();
            let outcome = if x < 0.45 {
                "won"
            } else if x < 0.85 {
                "lost"
            } else {
                "no-decision"
            };
            let k = rng.between(1, 3);
            let reasons = rng
                .distinct(REASONS.len(), k)
                .into_iter()
                .map(|i| REASONS[i])
                .collect();
            CaseFacts {
                outcome,
                reasons,
                industry: rng.one(INDUSTRIES),
                deal_size: rng.one(DEAL_BANDS),
                role: rng.below(ROLES.len()),
                lessons: Vec::new(),
                interview_date: None,
            }
        });
        let mut text = Text::new(Rng::derive(self.seed, 5, index));
        let title = text.title(kind, case.as_ref());
        let mut slug = slugify(&title);
        if used.contains(&slug) {
            let mut k = 2;
            while used.contains(&format!("{slug}-{k}")) {
                k += 1;
            }
            slug = format!("{slug}-{k}");
        }
        used.insert(slug.clone());

        // 2019-01-01 is day 17 897 since the epoch; spread over about 7 years.
        let day = 17_897 + rng.below(7 * 365) as i64;
        let updated = rng
            .chance(0.3)
            .then(|| iso_date(day + 1 + rng.below(200) as i64));
        let weight = rng.chance(0.1).then(|| rng.between(1, 20) * 10);
        let mut topics = vec![TOPICS[topic.2]];
        for (t, name) in TOPICS.iter().enumerate() {
            if t != topic.2 && rng.chance(0.2) {
                topics.push(name);
            }
        }
        let ntags = rng.between(2, 4);
        let tags = rng
            .distinct(TAGS.len(), ntags)
            .into_iter()
            .map(|i| TAGS[i])
            .collect();
        let phase = (kind == Kind::Checklist).then(|| rng.one(PHASES));
        let case = case.map(|mut c| {
            let k = rng.between(1, 3);
            c.lessons = (0..k).map(|_| text.lesson()).collect();
            if c.outcome != "won" {
                c.interview_date = Some(iso_date(day + 7 + rng.below(40) as i64));
            }
            c
        });
        Page {
            dir: dir.to_string(),
            slug,
            kind,
            // Front matter is plain text: a description carries no
            // Markdown (the sentence's emphasis would show as asterisks).
            description: text.sentence().replace(['*', '`'], ""),
            title,
            date: iso_date(day),
            updated,
            weight,
            author: rng.one(AUTHORS),
            topics,
            tags,
            phase,
            case,
            target: target_size(&mut rng),
            links: Vec::new(),
            targets: Vec::new(),
            related: Vec::new(),
            body: String::new(),
            has_table: false,
            has_footnote: false,
        }
    }
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

struct Body {
    text: String,
    table: bool,
    footnote: bool,
}

#[derive(PartialEq)]
enum Block {
    /// A plain paragraph: links and footnote references may be appended.
    Para(String),
    Other(String),
}

struct Text {
    rng: Rng,
}

impl Text {
    fn new(rng: Rng) -> Text {
        Text { rng }
    }

    fn noun(&mut self) -> &'static Noun {
        self.rng.pick(NOUNS)
    }

    fn verb(&mut self) -> &'static Verb {
        self.rng.pick(VERBS)
    }

    fn adj(&mut self) -> &'static str {
        self.rng.one(ADJECTIVES)
    }

    fn role(&mut self) -> &'static str {
        self.rng.pick(ROLES).1
    }

    /// Occasionally emphasised.
    fn deco(&mut self, word: String) -> String {
        let x = self.rng.unit();
        if x < 0.06 {
            format!("**{word}**")
        } else if x < 0.10 {
            format!("*{word}*")
        } else if x < 0.12 && !word.contains(' ') {
            format!("`{}`", slugify(&word))
        } else {
            word
        }
    }

    /// "et sterkt argument", "en tydelig agenda", sometimes without adjective.
    fn noun_phrase(&mut self) -> String {
        let n = self.noun();
        if self.rng.chance(0.5) {
            let a = self.adj();
            let a = if n.1 { neuter(a) } else { a.to_string() };
            format!("{} {a} {}", if n.1 { "et" } else { "en" }, n.0)
        } else {
            n.indef()
        }
    }

    /// Definite noun and a predicate adjective agreeing with it.
    fn noun_def_with_adj(&mut self) -> (String, String) {
        let n = self.noun();
        let a = self.adj();
        let a = if n.1 { neuter(a) } else { a.to_string() };
        (n.def(), a)
    }

    fn def(&mut self) -> String {
        let d = self.noun().def();
        self.deco(d)
    }

    fn percent(&mut self) -> usize {
        self.rng.between(2, 12) * 5
    }

    fn sentence(&mut self) -> String {
        match self.rng.below(20) {
            0 => {
                let v = self.verb().1;
                let a = self.def();
                let b = self.noun_phrase();
                let w = self.verb().0;
                format!("Før du {v} {a}, bør du {w} {b}.")
            }
            1 => {
                let a = self.noun().def();
                let (b, adj) = self.noun_def_with_adj();
                format!("{} avgjør ofte om {b} blir {adj}.", capitalize(&a))
            }
            2 => {
                let v = self.verb().1;
                let a = self.noun_phrase();
                let b = self.noun_phrase();
                let adv = self.rng.pick(ADVERBS);
                format!("Kunden {v} {adv} {a} uten {b}.")
            }
            3 => {
                let a = self.def();
                let v = self.verb().1;
                let b = self.def();
                format!("Spør tidlig hvem som eier {a}, og hvem som {v} {b}.")
            }
            4 => {
                let a = self.noun().0;
                let b = self.def();
                format!("I fasen for {a} er det lett å glemme {b}.")
            }
            5 => {
                let a = self.def();
                let r = self.role();
                let v = self.verb().1;
                let b = self.def();
                format!("Når {a} mangler, {v} {r} gjerne {b} selv.")
            }
            6 => {
                let c = self.rng.pick(CONNECTORS);
                let v = self.verb().0;
                let a = self.noun_phrase();
                let r = self.role();
                format!("{c} må teamet {v} {a} sammen med {r}.")
            }
            7 => {
                let a = self.def();
                let v = self.verb().1;
                let b = self.def();
                let (c, adj) = self.noun_def_with_adj();
                let p = self.percent();
                format!("Vi ser at {a} {v} {b} med rundt {p} prosent når {c} er {adj}.")
            }
            8 => {
                let v = self.verb().1;
                let a = self.def();
                format!("Hvem {v} egentlig {a} hos kunden?")
            }
            9 => {
                let v = self.verb().0;
                let a = self.def();
                format!("Et nyttig spørsmål er hva det koster kunden å ikke {v} {a}.")
            }
            10 => {
                let a = self.def();
                let b = self.def();
                format!("Skriv ned {a} og {b} i møtereferatet samme dag.")
            }
            11 => {
                let r = capitalize(self.role());
                let a = self.def();
                let b = self.def();
                format!("{r} er ofte mer opptatt av {a} enn av {b}.")
            }
            12 => {
                let a = self.noun_phrase();
                let (b, adj) = self.noun_def_with_adj();
                format!("Uten {a} blir {b} fort {adj}.")
            }
            13 => {
                let v = self.verb().0;
                let a = self.def();
                let (b, adj) = self.noun_def_with_adj();
                format!("La kunden selv {v} {a}; da blir {b} mer {adj}.")
            }
            14 => {
                let a = self.noun_phrase();
                let v = self.verb().1;
                let b = self.def();
                format!("{} {v} sjelden {b} alene.", capitalize(&a))
            }
            15 => {
                let adv = capitalize(self.rng.one(ADVERBS));
                let v = self.verb().0;
                let a = self.def();
                let b = self.noun().def();
                format!("{adv} lønner det seg å {v} {a} før {b} er på plass.")
            }
            16 => {
                let a = self.def();
                let b = self.def();
                let adj = self.adj();
                format!("Sammenhengen mellom {a} og {b} er mer {adj} enn mange tror.")
            }
            17 => {
                let n = self.rng.between(2, 6);
                let a = self.def();
                format!("Planlegg minst {n} samtaler om {a} før tilbudet sendes.")
            }
            18 => {
                let v = self.verb().1;
                let a = self.def();
                let r = self.role();
                format!("Den som {v} {a}, får som regel tilliten til {r}.")
            }
            _ => {
                let (a, adj) = self.noun_def_with_adj();
                let b = self.noun_phrase();
                format!("Hvis {a} er {adj}, trenger kunden {b} for å komme videre.")
            }
        }
    }

    fn paragraph(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.between(lo, hi);
        let mut p = String::new();
        for i in 0..n {
            if i > 0 {
                p.push(' ');
            }
            p.push_str(&self.sentence());
        }
        p
    }

    fn heading(&mut self) -> String {
        match self.rng.below(9) {
            0 => {
                let v = self.verb().1;
                let a = self.noun().def();
                format!("Slik {v} du {a}")
            }
            1 => {
                let n = self.noun();
                let a = self.adj();
                let a = if n.1 { neuter(a) } else { a.to_string() };
                format!("{} {}", capitalize(&a), n.0)
            }
            2 => {
                let a = self.noun().def();
                let b = self.noun().def();
                format!("Hva betyr {a} for {b}?")
            }
            3 => format!("Når {} sier nei", self.role()),
            4 => {
                let k = self.rng.between(3, 7);
                let a = self.noun().def();
                format!("{k} spørsmål om {a}")
            }
            5 => {
                let a = self.noun().0;
                let b = self.noun().0;
                format!("Fra {a} til {b}")
            }
            6 => format!("Vanlige feil med {}", self.noun().def()),
            7 => {
                let v = self.verb().0;
                let a = self.noun().def();
                format!("Hvorfor {v} {a}?")
            }
            _ => format!("{} i praksis", capitalize(&self.noun().def())),
        }
    }

    fn title(&mut self, kind: Kind, case: Option<&CaseFacts>) -> String {
        match (kind, case) {
            (Kind::Case, Some(c)) => {
                let n = self.noun().def();
                let ind = c.industry.to_lowercase();
                match c.outcome {
                    "won" => format!("Slik vant vi {n} innen {ind}"),
                    "lost" => format!("Derfor tapte vi {n} innen {ind}"),
                    _ => format!("Da {n} innen {ind} aldri ble besluttet"),
                }
            }
            (Kind::Checklist, _) => match self.rng.below(4) {
                0 => {
                    let a = self.noun().def();
                    let b = self.noun().def();
                    format!("Sjekkliste: {a} før {b}")
                }
                1 => {
                    let n = self.noun();
                    let a = self.adj();
                    let a = if n.1 { neuter(a) } else { a.to_string() };
                    format!(
                        "Sjekkliste for {} {a} {}",
                        if n.1 { "et" } else { "en" },
                        n.0
                    )
                }
                2 => {
                    let k = self.rng.between(5, 15);
                    let a = self.noun().def();
                    let b = self.noun().def();
                    format!("{k} punkter om {a} og {b}")
                }
                _ => format!("Klar for {}?", self.noun().def()),
            },
            _ => match self.rng.below(7) {
                0 => {
                    let v = self.verb().1;
                    let a = self.noun().def();
                    let b = self.noun().indef();
                    format!("Slik {v} du {a} i {b}")
                }
                1 => {
                    let k = self.rng.between(3, 9);
                    let a = self.noun().def();
                    let b = self.noun().def();
                    format!("{k} råd om {a} og {b}")
                }
                2 => {
                    let a = self.noun().def();
                    let b = self.noun().def();
                    format!("Hvorfor {a} avgjør {b}")
                }
                3 => {
                    let r = self.role();
                    let a = self.noun().def();
                    format!("Hva {r} forventer av {a}")
                }
                4 => {
                    let a = self.noun_phrase();
                    let b = self.noun().def();
                    format!("Guide: {a} for {b}")
                }
                5 => {
                    let (a, adj) = self.noun_def_with_adj();
                    format!("Når {a} er {adj}")
                }
                _ => format!("{} i praksis", capitalize(&self.noun().def())),
            },
        }
    }

    fn lesson(&mut self) -> String {
        match self.rng.below(4) {
            0 => {
                let v = self.verb().2;
                let a = self.noun().def();
                format!("{} {a} før tilbudet sendes.", capitalize(v))
            }
            1 => {
                let r = self.role();
                let a = self.noun().def();
                format!("Involver {r} tidligere i arbeidet med {a}.")
            }
            2 => {
                let a = self.noun().def();
                let b = self.noun().def();
                format!("Knytt {a} tydelig til {b}.")
            }
            _ => {
                let a = self.noun().def();
                format!("Bekreft skriftlig hvem som eier {a}.")
            }
        }
    }

    fn list(&mut self, numbered: bool) -> String {
        let n = self.rng.between(3, 6);
        let mut s = String::new();
        for i in 0..n {
            let item = if self.rng.chance(0.6) {
                self.sentence()
            } else {
                let v = self.verb().2;
                let a = self.noun_phrase();
                format!("{} {a}", capitalize(v))
            };
            if numbered {
                let _ = writeln!(s, "{}. {item}", i + 1);
            } else {
                let _ = writeln!(s, "- {item}");
            }
        }
        s.pop();
        s
    }

    fn task_item(&mut self) -> String {
        match self.rng.below(6) {
            0 => {
                let v = capitalize(self.verb().2);
                let a = self.def();
                let r = self.role();
                format!("{v} {a} med {r}")
            }
            1 => {
                let (a, adj) = self.noun_def_with_adj();
                format!("Er {a} {adj}?")
            }
            2 => format!("Hvem eier {}?", self.def()),
            3 => {
                let v = capitalize(self.verb().2);
                let a = self.noun_phrase();
                let b = self.noun().def();
                format!("{v} {a} før {b}")
            }
            4 => {
                let v = self.verb().0;
                let a = self.def();
                format!("Sett av tid til å {v} {a}")
            }
            _ => format!("Avtal neste steg for {}", self.def()),
        }
    }

    fn tasks(&mut self) -> String {
        let n = self.rng.between(4, 8);
        let mut s = String::new();
        for _ in 0..n {
            let mark = if self.rng.chance(0.15) { 'x' } else { ' ' };
            let item = self.task_item();
            let _ = writeln!(s, "- [{mark}] {item}");
        }
        s.pop();
        s
    }

    fn quote(&mut self) -> String {
        let said = self.sentence();
        let r = self.role();
        format!("> «{}»\n>\n> — {r} hos kunden", said.trim_end_matches('.'))
    }

    fn callout(&mut self) -> String {
        let kind = self.rng.pick(&["TIP", "NOTE", "WARNING"]);
        let s = self.paragraph(1, 2);
        format!("> [!{kind}]\n> {s}")
    }

    fn table(&mut self) -> String {
        let mut s = String::new();
        let rows = self.rng.between(3, 6);
        match self.rng.below(3) {
            0 => {
                s.push_str("| Kriterium | Vekt | Kommentar |\n|---|---:|---|\n");
                for _ in 0..rows {
                    let n = capitalize(&self.noun().def());
                    let w = self.rng.between(1, 8) * 5;
                    let (a, adj) = self.noun_def_with_adj();
                    let _ = writeln!(s, "| {n} | {w} % | {} er {adj} |", capitalize(&a));
                }
            }
            1 => {
                s.push_str("| Rolle | Bryr seg om | Typisk innvending |\n|---|---|---|\n");
                for _ in 0..rows {
                    let r = capitalize(self.rng.pick(ROLES).0);
                    let a = capitalize(&self.noun().def());
                    let b = self.noun().def();
                    let _ = writeln!(s, "| {r} | {a} | «Hva med {b}?» |");
                }
            }
            _ => {
                s.push_str("| Fase | Varighet | Vurdering |\n|---|---|---|\n");
                for _ in 0..rows {
                    let n = capitalize(self.noun().0);
                    let k = self.rng.between(1, 12);
                    let unit = if k == 1 { "uke" } else { "uker" };
                    let a = capitalize(self.adj());
                    let _ = writeln!(s, "| {n} | {k} {unit} | {a} |");
                }
            }
        }
        s.pop();
        s
    }

    /// One `##` section of a page of the given kind.
    fn section(&mut self, kind: Kind, heading: String, blocks: &mut Vec<Block>) {
        blocks.push(Block::Other(format!("## {heading}")));
        blocks.push(Block::Para(self.paragraph(2, 5)));
        match kind {
            Kind::Checklist => {
                blocks.push(Block::Other(self.tasks()));
                if self.rng.chance(0.3) {
                    blocks.push(Block::Para(self.paragraph(1, 3)));
                }
            }
            _ => {
                let x = self.rng.unit();
                if x < 0.25 {
                    blocks.push(Block::Other(self.list(false)));
                } else if x < 0.40 {
                    blocks.push(Block::Other(self.list(true)));
                } else if x < 0.48 {
                    blocks.push(Block::Other(self.quote()));
                } else if x < 0.54 {
                    blocks.push(Block::Other(self.callout()));
                }
                if self.rng.chance(0.35) {
                    blocks.push(Block::Other(format!("### {}", self.heading())));
                    blocks.push(Block::Para(self.paragraph(1, 4)));
                }
            }
        }
    }

    fn body(&mut self, page: &Page, fm_len: usize, links: &[(String, String)]) -> Body {
        const LEADS: &[&str] = &[
            "Se også",
            "Les mer i",
            "Dette henger sammen med",
            "Sammenlign med",
            "Mer om dette i",
        ];
        let link_sentences: Vec<String> = links
            .iter()
            .map(|(title, rel)| {
                let lead = self.rng.pick(LEADS);
                format!(" {lead} [{title}]({rel}).")
            })
            .collect();
        let want_table = self.rng.chance(0.2);
        let want_footnote = self.rng.chance(0.1);
        let footnote = want_footnote.then(|| {
            let s = self.sentence();
            format!("[^1]: Fra en intern gjennomgang: {s}")
        });
        let reserved = fm_len
            + 2
            + link_sentences.iter().map(String::len).sum::<usize>()
            + footnote.as_ref().map_or(0, |f| f.len() + 6);
        let target = page.target.saturating_sub(reserved).max(300);

        let mut blocks = vec![Block::Para(self.paragraph(2, 4))];
        let mut size = len_of(&blocks);
        let mut table_done = !want_table;
        let fixed: &[&str] = match page.kind {
            Kind::Case => &[
                "Bakgrunn",
                "Beslutningstakerne",
                "Forløpet",
                "Utfallet",
                "Hva vi lærte",
            ],
            _ => &[],
        };
        let mut round = 0;
        loop {
            let mut sec = Vec::new();
            if let (Some(&"Hva vi lærte"), Some(c)) = (fixed.get(round), &page.case) {
                sec.push(Block::Other("## Hva vi lærte".into()));
                sec.push(Block::Para(self.paragraph(1, 3)));
                let mut l = String::new();
                for lesson in &c.lessons {
                    let _ = writeln!(l, "- {lesson}");
                }
                l.pop();
                sec.push(Block::Other(l));
            } else if let Some(h) = fixed.get(round) {
                self.section(page.kind, (*h).to_string(), &mut sec);
            } else {
                let h = self.heading();
                self.section(page.kind, h, &mut sec);
            }
            if !table_done {
                sec.push(Block::Other(self.table()));
                table_done = true;
            }
            let add = len_of(&sec) + 2;
            let must = round < fixed.len().max(1) || size + reserved < MIN_BYTES;
            let overshoot =
                size + add > target && size + add - target > target.saturating_sub(size);
            if !must && (overshoot || size + add + reserved > MAX_BYTES) {
                break;
            }
            blocks.extend(sec);
            size += add;
            round += 1;
            if size >= target && round >= fixed.len().max(1) && size + reserved >= MIN_BYTES {
                break;
            }
        }

        let paras: Vec<usize> = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, Block::Para(_)))
            .map(|(i, _)| i)
            .collect();
        for s in &link_sentences {
            let at = self.rng.one(&paras);
            if let Block::Para(p) = &mut blocks[at] {
                p.push_str(s);
            }
        }
        if let (Some(_), Block::Para(p)) = (&footnote, &mut blocks[0]) {
            p.push_str("[^1]");
        }
        let mut text = String::with_capacity(page.target);
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 {
                text.push_str("\n\n");
            }
            match b {
                Block::Para(s) | Block::Other(s) => text.push_str(s),
            }
        }
        if let Some(f) = &footnote {
            text.push_str("\n\n");
            text.push_str(f);
        }
        Body {
            text,
            table: want_table,
            footnote: want_footnote,
        }
    }
}

fn len_of(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::Para(s) | Block::Other(s) => s.len() + 2,
        })
        .sum()
}

// ---------------------------------------------------------------------------
// Hugo scaffolding
// ---------------------------------------------------------------------------

const HUGO_TOML: &str = r##"# Generated benchmark corpus (benches/corpus.rs), Hugo flavor.
baseURL = "https://example.org/"
languageCode = "nb-NO"
defaultContentLanguage = "nb"
title = "Salgsskolen"
disableKinds = ["RSS"]
enableRobotsTXT = false

[taxonomies]
topic = "topics"
tag = "tags"

# A JSON search index of all pages, like vinn's search index.
[outputs]
home = ["HTML", "JSON"]

[markup.goldmark.renderer]
unsafe = false
"##;

const HUGO_BASEOF: &str = r##"<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<nav aria-label="Seksjon">{{ block "nav" . }}{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"##;

const HUGO_SINGLE: &str = r##"{{ define "nav" }}{{ partial "nav.html" (dict "section" .CurrentSection "page" .) }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>{{ with .Params.author }} · {{ . }}{{ end }}</p>
{{ .Content }}
{{ with .Params.tags }}<ul class="tags">{{ range . }}<li><a href="{{ (printf "/tags/%s/" (urlize .)) | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
</article>
{{ end }}
"##;

const HUGO_LIST: &str = r##"{{ define "nav" }}{{ partial "nav.html" (dict "section" . "page" .) }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Sections }}<h2>Temaer</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ if or .IsSection .IsHome }}{{ else }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
"##;

/// The pages of the page's own section (never more than 50), the current one
/// marked, and a link up.
const HUGO_NAV: &str = r##"{{- $page := .page -}}{{- $s := .section -}}
{{ with $s.Parent }}<p><a href="{{ .RelPermalink }}">↑ {{ .Title }}</a></p>{{ end }}
<p><a href="{{ $s.RelPermalink }}">{{ $s.Title }}</a></p>
<ul>
{{ range $s.RegularPages }}<li><a href="{{ .RelPermalink }}"{{ if eq . $page }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}</ul>
"##;

/// Relative `.md` links become the target's permalink; a link that does not
/// resolve fails the build.
const HUGO_RENDER_LINK: &str = r##"{{- $href := .Destination -}}
{{- $u := urls.Parse .Destination -}}
{{- if and (not $u.Scheme) (strings.HasSuffix $u.Path ".md") -}}
{{- $target := path.Join "/" .Page.File.Dir $u.Path -}}
{{- with site.GetPage $target -}}
{{- $href = .RelPermalink -}}
{{- with $u.Fragment }}{{ $href = printf "%s#%s" $href . }}{{ end -}}
{{- else -}}
{{- errorf "%s: broken link %s" $.Page.File.Path $.Destination -}}
{{- end -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>"##;

const HUGO_SEARCH_JSON: &str = r##"[{{ range $i, $p := site.RegularPages }}{{ if $i }},
{{ end }}{{ dict "title" $p.Title "url" $p.RelPermalink "description" $p.Description "text" $p.Plain | jsonify }}{{ end }}]
"##;

const SITE_CSS: &str = "body{font-family:system-ui,sans-serif;max-width:64rem;margin:0 auto;\
display:grid;grid-template-columns:16rem 1fr;gap:2rem}\nheader{grid-column:1/3}\n\
nav ul{padding-left:1rem}\nnav a[aria-current]{font-weight:bold}\n\
table{border-collapse:collapse}\ntd,th{border:1px solid #ccc;padding:.2rem .5rem}\n";

const HUGO_FILES: &[(&str, &str)] = &[
    ("hugo.toml", HUGO_TOML),
    ("layouts/_default/baseof.html", HUGO_BASEOF),
    ("layouts/_default/single.html", HUGO_SINGLE),
    ("layouts/_default/list.html", HUGO_LIST),
    (
        "layouts/_default/_markup/render-link.html",
        HUGO_RENDER_LINK,
    ),
    ("layouts/partials/nav.html", HUGO_NAV),
    ("layouts/index.json", HUGO_SEARCH_JSON),
    ("static/css/site.css", SITE_CSS),
];

fn write_scaffold(out: &Path, files: &[(&str, &str)]) -> io::Result<()> {
    for (rel, text) in files {
        let path = join_rel(out, rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, text)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Zola scaffolding: the same pages, menus and lists as the Hugo flavor, in
// Zola 0.22's format (Tera 1 templates). Zola builds its own search index.
// ---------------------------------------------------------------------------

const ZOLA_TOML: &str = r##"# Generated benchmark corpus (benches/corpus.rs), Zola flavor.
base_url = "https://example.org"
title = "Salgsskolen"
# Norwegian: the language code of Zola's search index (elasticlunr) for it.
default_language = "no"
compile_sass = false
# A search index of all pages, like vinn's and the Hugo flavor's.
build_search_index = true
taxonomies = [
    { name = "topics" },
    { name = "tags" },
]
"##;

const ZOLA_BASE: &str = r##"<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<meta name="description" content="{% block description %}{{ config.title }}{% endblock description %}">
<link rel="stylesheet" href="{{ get_url(path="css/site.css") | safe }}">
</head>
<body>
<header><a href="{{ config.base_url | safe }}/">{{ config.title }}</a></header>
<nav aria-label="Seksjon">{% block nav %}{% endblock nav %}</nav>
<main>{% block main %}{% endblock main %}</main>
</body>
</html>
"##;

/// A page: its section's menu (the section found through `ancestors`, as
/// Zola themes do), then the page.
const ZOLA_PAGE: &str = r##"{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block description %}{{ page.description | default(value=config.title) }}{% endblock description %}
{% block nav %}{% set parent = page.ancestors | last %}{% set s = get_section(path=parent) %}
{% if s.ancestors %}{% set up_path = s.ancestors | last %}{% set up = get_section(path=up_path, metadata_only=true) %}<p><a href="{{ up.permalink | safe }}">↑ {{ up.title }}</a></p>{% endif %}
<p><a href="{{ s.permalink | safe }}">{{ s.title }}</a></p>
<ul>
{% for p in s.pages %}<li><a href="{{ p.permalink | safe }}"{% if p.permalink == page.permalink %} aria-current="page"{% endif %}>{{ p.title }}</a></li>
{% endfor %}</ul>
{% endblock nav %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
<p class="meta"><time datetime="{{ page.date }}">{{ page.date }}</time>{% for a in page.authors %} · {{ a }}{% endfor %}</p>
{{ page.content | safe }}
{% if page.taxonomies.tags %}<ul class="tags">{% for t in page.taxonomies.tags %}<li><a href="{{ get_taxonomy_url(kind="tags", name=t) | safe }}">{{ t }}</a></li>{% endfor %}</ul>{% endif %}
</article>
{% endblock main %}
"##;

/// A section (and the front page): its pages in the menu, its subsections
/// in the main column.
const ZOLA_SECTION: &str = r##"{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock title %}
{% block description %}{{ section.description | default(value=config.title) }}{% endblock description %}
{% block nav %}{% if section.ancestors %}{% set up_path = section.ancestors | last %}{% set up = get_section(path=up_path, metadata_only=true) %}<p><a href="{{ up.permalink | safe }}">↑ {{ up.title }}</a></p>{% endif %}
<p><a href="{{ section.permalink | safe }}">{{ section.title }}</a></p>
<ul>
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>
{% endfor %}</ul>
{% endblock nav %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% if section.subsections %}<h2>Temaer</h2>
<ul>{% for path in section.subsections %}{% set sub = get_section(path=path, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endif %}
{% endblock main %}
"##;

const ZOLA_INDEX: &str = r##"{% extends "section.html" %}
"##;

const ZOLA_TAXONOMY_LIST: &str = r##"{% extends "base.html" %}
{% block title %}{{ taxonomy.name }} | {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ taxonomy.name }}</h1>
<ul>{% for term in terms %}<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.page_count }})</li>{% endfor %}</ul>
{% endblock main %}
"##;

/// One topic or tag: its pages in the menu and in the main column, as the
/// Hugo flavor's term pages.
const ZOLA_TAXONOMY_SINGLE: &str = r##"{% extends "base.html" %}
{% block title %}{{ term.name }} | {{ config.title }}{% endblock title %}
{% block nav %}<p><a href="{{ term.permalink | safe }}">{{ term.name }}</a></p>
<ul>
{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>
{% endfor %}</ul>
{% endblock nav %}
{% block main %}
<h1>{{ term.name }}</h1>
<ul>{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
{% endblock main %}
"##;

// ---------------------------------------------------------------------------
// mdBook scaffolding: the book's chapters are the same folders and pages
// (`content/` is its source folder); mdBook draws its own sidebar of the
// whole book and builds its own search index.
// ---------------------------------------------------------------------------

const MDBOOK_TOML: &str = r##"# Generated benchmark corpus (benches/corpus.rs), mdBook flavor.
[book]
title = "Salgsskolen"
language = "nb"
src = "content"

[build]
build-dir = "public"
create-missing = false
"##;

const MDBOOK_FILES: &[(&str, &str)] = &[("book.toml", MDBOOK_TOML)];

const ZOLA_FILES: &[(&str, &str)] = &[
    ("config.toml", ZOLA_TOML),
    ("templates/base.html", ZOLA_BASE),
    ("templates/page.html", ZOLA_PAGE),
    ("templates/section.html", ZOLA_SECTION),
    ("templates/index.html", ZOLA_INDEX),
    ("templates/taxonomy_list.html", ZOLA_TAXONOMY_LIST),
    ("templates/taxonomy_single.html", ZOLA_TAXONOMY_SINGLE),
    ("static/css/site.css", SITE_CSS),
];

// ---------------------------------------------------------------------------
// Verification (independent of the generator: reads the files back)
// ---------------------------------------------------------------------------

/// What [`verify`] found.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub folders: usize,
    pub links: usize,
    pub sizes: Vec<usize>,
    pub kinds: [usize; 3],
    pub with_table: usize,
    pub with_footnote: usize,
    pub with_tasks: usize,
    pub max_pages_per_folder: usize,
    pub errors: Vec<String>,
}

impl Report {
    pub fn summary(&self) -> String {
        let mut sizes = self.sizes.clone();
        sizes.sort_unstable();
        let q = |f: f64| -> usize {
            if sizes.is_empty() {
                0
            } else {
                sizes[((sizes.len() - 1) as f64 * f) as usize]
            }
        };
        let mut s = String::new();
        let n = self.pages.max(1) as f64;
        let _ = writeln!(
            s,
            "pages={} folders={} max/folder={} links={} ({:.2}/page)",
            self.pages,
            self.folders,
            self.max_pages_per_folder,
            self.links,
            self.links as f64 / n
        );
        let _ = writeln!(
            s,
            "kinds: article={} ({:.1} %) checklist={} ({:.1} %) case={} ({:.1} %)",
            self.kinds[0],
            100.0 * self.kinds[0] as f64 / n,
            self.kinds[1],
            100.0 * self.kinds[1] as f64 / n,
            self.kinds[2],
            100.0 * self.kinds[2] as f64 / n
        );
        let _ = writeln!(
            s,
            "tables={:.1} % footnotes={:.1} % task lists={:.1} %",
            100.0 * self.with_table as f64 / n,
            100.0 * self.with_footnote as f64 / n,
            100.0 * self.with_tasks as f64 / n
        );
        let _ = writeln!(
            s,
            "bytes: min={} p10={} p25={} median={} p75={} p90={} max={} total={}",
            q(0.0),
            q(0.1),
            q(0.25),
            q(0.5),
            q(0.75),
            q(0.9),
            q(1.0),
            sizes.iter().sum::<usize>()
        );
        let mut hist = [0usize; 9];
        for &b in &sizes {
            hist[(b / 1024).min(8)] += 1;
        }
        s.push_str("histogram (KB):");
        for (k, c) in hist.iter().enumerate() {
            let _ = write!(s, " {k}-{}:{c}", k + 1);
        }
        s.push('\n');
        let _ = write!(s, "errors={}", self.errors.len());
        s
    }
}

/// Reads a generated site back and checks the corpus contract: every folder
/// has an `_index.md` with title and description (mdBook: a `README.md` with
/// a title, and `SUMMARY.md` names every file), no folder holds more than
/// 50 pages, pages are 1–8 KB, every page has 2–4 relative `.md` links that
/// all resolve (so do `related` entries), case studies carry valid fields and
/// no text that looks like a phone number, e-mail or personal number.
pub fn verify(root: &Path) -> io::Result<Report> {
    let mut report = Report::default();
    let content = root.join("content");
    if !content.is_dir() {
        report.errors.push("no content/ folder".into());
        return Ok(report);
    }
    if !["site.toml", "hugo.toml", "config.toml", "book.toml"]
        .iter()
        .any(|f| root.join(f).is_file())
    {
        report
            .errors
            .push("none of site.toml, hugo.toml, config.toml, book.toml".into());
    }
    let book = root.join("book.toml").is_file();
    let folder_file = if book { "README.md" } else { "_index.md" };
    let mut stack = vec![content.clone()];
    while let Some(dir) = stack.pop() {
        report.folders += 1;
        let mut entries: Vec<PathBuf> = fs::read_dir(&dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        entries.sort();
        let rel_dir = dir.strip_prefix(&content).unwrap_or(&dir).to_path_buf();
        let mut here = 0;
        for path in entries {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            let text = fs::read_to_string(&path)?;
            let name = rel_dir.join(path.file_name().unwrap_or_default());
            let name = name.to_string_lossy().into_owned();
            if book && name == "SUMMARY.md" {
                continue;
            }
            let (fm, values) = match FrontMatter::read(&text) {
                Ok(read) => read,
                Err(e) => {
                    report.errors.push(format!("{name}: {e}"));
                    continue;
                }
            };
            if path.file_name().and_then(|n| n.to_str()) == Some(folder_file) {
                let keys: &[&str] = if values.bare {
                    &["title"]
                } else {
                    &["title", "description"]
                };
                for key in keys {
                    if values.text(key).is_none() {
                        report.errors.push(format!("{name}: no {key}"));
                    }
                }
                continue;
            }
            here += 1;
            let page = Checked {
                path: &path,
                content: &content,
                name: &name,
                text: &text,
                fm,
            };
            check_page(&mut report, page, &values);
        }
        if !dir.join(folder_file).is_file() {
            report
                .errors
                .push(format!("{}: no {folder_file}", dir.display()));
        }
        report.max_pages_per_folder = report.max_pages_per_folder.max(here);
        if here > FOLDER_MAX {
            report
                .errors
                .push(format!("{}: {here} pages in one folder", dir.display()));
        }
    }
    if book {
        check_summary(&mut report, &content)?;
    }
    report.errors.sort();
    Ok(report)
}

/// mdBook's `SUMMARY.md` names every page and folder once, and each exists.
fn check_summary(report: &mut Report, content: &Path) -> io::Result<()> {
    let summary = fs::read_to_string(content.join("SUMMARY.md"))?;
    let entries: Vec<String> = md_links(&summary);
    let unique: BTreeSet<&String> = entries.iter().collect();
    if unique.len() != entries.len() {
        report.errors.push("SUMMARY.md names a file twice".into());
    }
    for e in &entries {
        if !content.join(e).is_file() {
            report.errors.push(format!("SUMMARY.md: no {e}"));
        }
    }
    if entries.len() != report.pages + report.folders {
        report.errors.push(format!(
            "SUMMARY.md names {} files for {} pages and {} folders",
            entries.len(),
            report.pages,
            report.folders
        ));
    }
    Ok(())
}

/// A page file as [`check_page`] reads it.
struct Checked<'a> {
    path: &'a Path,
    content: &'a Path,
    /// Relative to `content/`.
    name: &'a str,
    text: &'a str,
    /// The front matter between its fences.
    fm: &'a str,
}

fn check_page(report: &mut Report, page: Checked<'_>, fm: &FrontMatter) {
    let Checked {
        path,
        content,
        name,
        text,
        fm: raw,
    } = page;
    let mut errors = Vec::new();
    let mut err = |m: String| errors.push(format!("{name}: {m}"));
    report.pages += 1;
    report.sizes.push(text.len());
    // Sizes count the front matter; an mdBook page is the same body without.
    if !fm.bare && !(1000..=8192).contains(&text.len()) {
        err(format!("size {} bytes outside 1–8 KB", text.len()));
    }
    if fm.bare {
        // mdBook: the title heading is all there is besides the body.
        if fm.text("title").is_none() {
            err("no title heading".into());
        }
    } else {
        if raw.is_empty() {
            err("no front matter".into());
        }
        for key in ["title", "description", "date"] {
            if fm.text(key).is_none() {
                err(format!("no {key}"));
            }
        }
        for key in ["topics", "tags"] {
            if fm.list(key).is_empty() {
                err(format!("no {key}"));
            }
        }
    }
    let kind = if name.starts_with("case") {
        2
    } else if name.starts_with("sjekklister") {
        1
    } else {
        0
    };
    let body = if fm.bare {
        text
    } else {
        &text[(raw.len() + 8).min(text.len())..]
    };
    if kind == 2 && !fm.bare {
        let reasons = fm.list("reasons");
        let checks = [
            (fm.text("anonymized") == Some("true"), "anonymized"),
            (
                matches!(fm.text("outcome"), Some("won" | "lost" | "no-decision")),
                "outcome",
            ),
            (
                !reasons.is_empty() && reasons.iter().all(|r| REASONS.contains(&r.as_str())),
                "reasons",
            ),
            (fm.text("industry").is_some(), "industry"),
            (
                fm.text("deal_size").is_some_and(|d| d.ends_with("NOK")),
                "deal_size",
            ),
            (
                fm.text("decision_maker_role").is_some(),
                "decision_maker_role",
            ),
            (!fm.list("lessons").is_empty(), "lessons"),
        ];
        for (ok, what) in checks {
            if !ok {
                err(format!("case field {what} missing or invalid"));
            }
        }
    }
    // Zola's `@/` link prefix is not an e-mail address.
    if kind == 2
        && let Some(bad) = personal_data(&body.replace("](@/", "]("))
    {
        err(format!("looks like personal data: {bad}"));
    }
    report.kinds[kind] += 1;
    if body.contains("\n|---") {
        report.with_table += 1;
    }
    if body.contains("\n[^1]: ") {
        report.with_footnote += 1;
    }
    if body.contains("\n- [ ] ") || body.contains("\n- [x] ") {
        report.with_tasks += 1;
    } else if kind == 1 {
        err("checklist without task list".into());
    }
    if !body.contains("\n## ") {
        err("no ## heading".into());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let links = md_links(body);
    if !(2..=4).contains(&links.len()) {
        err(format!("{} links", links.len()));
    }
    // Zola's links and `extra.related` name the target under `content/`;
    // the other flavors' are relative to the page.
    let zola = fm.toml;
    let related = fm.list("related");
    let targets = links
        .iter()
        .map(|l| (l.as_str(), zola))
        .chain(related.iter().map(|r| (r.as_str(), false)));
    for (target, at) in targets {
        let file = target.split('#').next().unwrap_or(target);
        let resolved = match (zola, at) {
            (true, true) => file.strip_prefix("@/").map(|f| content.join(f)),
            (true, false) => Some(content.join(file)),
            (false, _) => Some(dir.join(file)),
        };
        if !resolved.is_some_and(|f| f.is_file()) {
            err(format!("broken link {target}"));
        }
        if target.starts_with('/') || target.contains("://") {
            err(format!("link not relative: {target}"));
        }
    }
    report.links += links.len();
    report.errors.extend(errors);
}

/// Front matter values the checks read, from YAML (`---`, the vinn and
/// Hugo flavors) or TOML (`+++`, Zola, where topics and tags sit under
/// `[taxonomies]` and vinn's other fields under `[extra]`).
#[derive(Default)]
struct FrontMatter {
    values: BTreeMap<String, FmValue>,
    toml: bool,
    /// No front matter, only a `# ` title line (mdBook).
    bare: bool,
}

enum FmValue {
    Text(String),
    List(Vec<String>),
}

impl FrontMatter {
    /// The raw front matter (between the fences) and its values.
    fn read(text: &str) -> Result<(&str, FrontMatter), String> {
        if let Some(title) = text.lines().next().and_then(|l| l.strip_prefix("# ")) {
            let mut fm = FrontMatter {
                bare: true,
                ..Default::default()
            };
            fm.values
                .insert("title".into(), FmValue::Text(title.to_string()));
            return Ok(("", fm));
        }
        if let Some(raw) = fenced(text, "+++\n") {
            let table: toml::Table = toml::from_str(raw).map_err(|e| format!("TOML: {e}"))?;
            let mut fm = FrontMatter {
                toml: true,
                ..Default::default()
            };
            for (key, value) in table {
                match (key.as_str(), value) {
                    ("taxonomies" | "extra", toml::Value::Table(inner)) => {
                        for (k, v) in inner {
                            fm.values.insert(k, FmValue::from_toml(v));
                        }
                    }
                    (_, v) => {
                        fm.values.insert(key, FmValue::from_toml(v));
                    }
                }
            }
            return Ok((raw, fm));
        }
        let raw = fenced(text, "---\n").unwrap_or("");
        let mut fm = FrontMatter::default();
        let mut lines = raw.lines().peekable();
        while let Some(line) = lines.next() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.starts_with(' ') {
                continue;
            }
            let value = value.trim();
            let parsed = if let Some(inner) = value.strip_prefix('[') {
                FmValue::List(
                    inner
                        .trim_end_matches(']')
                        .split(',')
                        .map(|s| unquote(s.trim()).to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            } else if value.is_empty() {
                let mut items = Vec::new();
                while let Some(item) = lines.peek().and_then(|l| l.strip_prefix("  - ")) {
                    items.push(unquote(item).to_string());
                    lines.next();
                }
                FmValue::List(items)
            } else {
                FmValue::Text(unquote(value).to_string())
            };
            fm.values.insert(key.to_string(), parsed);
        }
        Ok((raw, fm))
    }

    fn text(&self, key: &str) -> Option<&str> {
        match self.values.get(key)? {
            FmValue::Text(s) => Some(s),
            FmValue::List(_) => None,
        }
    }

    fn list(&self, key: &str) -> Vec<String> {
        match self.values.get(key) {
            Some(FmValue::List(items)) => items.clone(),
            _ => Vec::new(),
        }
    }
}

impl FmValue {
    fn from_toml(v: toml::Value) -> FmValue {
        match v {
            toml::Value::String(s) => FmValue::Text(s),
            toml::Value::Array(items) => FmValue::List(
                items
                    .into_iter()
                    .map(|i| match i {
                        toml::Value::String(s) => s,
                        other => toml_scalar(&other),
                    })
                    .collect(),
            ),
            other => FmValue::Text(toml_scalar(&other)),
        }
    }
}

fn toml_scalar(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(_) | toml::Value::Table(_) => String::new(),
    }
}

/// The text between a leading `fence` line and the next one (with its last
/// newline), or `None`.
fn fenced<'a>(text: &'a str, fence: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(fence)?;
    let end = rest.find(&format!("\n{fence}"))?;
    Some(&rest[..end + 1])
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Targets of inline links ending in `.md` (optionally with `#anchor`).
fn md_links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            let target = &rest[..end];
            let file = target.split('#').next().unwrap_or(target);
            if file.ends_with(".md") && !target.contains(' ') {
                out.push(target.to_string());
            }
            rest = &rest[end..];
        }
    }
    out
}

/// A crude stand-in for the build's anonymization guard: e-mail addresses and
/// runs of eight or more digits (phone numbers, personal numbers), spaces,
/// dots and dashes between digits allowed.
fn personal_data(text: &str) -> Option<String> {
    if let Some(i) = text.find('@') {
        let lo = text[..i].rfind(char::is_whitespace).map_or(0, |p| p + 1);
        return Some(format!(
            "e-mail-like {}",
            &text[lo..(i + 1).min(text.len())]
        ));
    }
    let bytes = text.as_bytes();
    let mut digits = 0;
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            if digits == 0 {
                start = i;
            }
            digits += 1;
            if digits >= 8 {
                return Some(format!("number-like {}", &text[start..=i]));
            }
        } else if !(digits > 0 && matches!(b, b' ' | b'.' | b'-')) {
            digits = 0;
        }
    }
    None
}
