//! UI strings: the translation table for Norwegian Bokmål and English, with
//! single strings overridable from `site.toml`'s `[translations]`.
//! Templates read them as `t.key`; unknown override keys are errors.

use std::collections::BTreeMap;

use crate::config::{Config, Language};
use crate::diagnostics::Diagnostic;

/// (key, Bokmål, English). Every UI string of the default theme is here.
const TABLE: &[(&str, &str, &str)] = &[
    ("search", "Søk", "Search"),
    (
        "search_placeholder",
        "Søk i innholdet …",
        "Search the content …",
    ),
    ("search_no_results", "Ingen treff.", "No results."),
    ("search_did_you_mean", "Mente du", "Did you mean"),
    ("search_results", "Søkeresultater", "Search results"),
    ("search_all_kinds", "Alle typer", "All kinds"),
    ("search_all_topics", "Alle tema", "All topics"),
    (
        "filter_cases",
        "Filtrer kundecasene",
        "Filter the case studies",
    ),
    ("lost_on", "Tapt på", "Lost on"),
    ("won_on", "Vunnet på", "Won on"),
    (
        "search_needs_js",
        "Søket trenger JavaScript. Bruk menyen eller temasidene for å finne fram.",
        "Search needs JavaScript. Use the menu or the topic pages to find your way.",
    ),
    ("search_hint", "Trykk / for å søke", "Press / to search"),
    ("read_also", "Les også", "Read also"),
    ("edit_page", "Foreslå en endring", "Suggest an edit"),
    ("article", "Artikkel", "Article"),
    ("articles", "Artikler", "Articles"),
    ("checklist", "Sjekkliste", "Checklist"),
    ("checklists", "Sjekklister", "Checklists"),
    ("case", "Case", "Case study"),
    ("cases", "Kundecase", "Case studies"),
    ("decision_maker", "Beslutningstaker", "Decision-maker"),
    ("value", "Verdi", "Value"),
    ("evaluation", "Evaluering", "Evaluation"),
    ("won", "Vunnet", "Won"),
    ("lost", "Tapt", "Lost"),
    ("no-decision", "Ingen beslutning", "No decision"),
    ("outcome", "Utfall", "Outcome"),
    ("reasons", "Årsaker", "Reasons"),
    ("industry", "Bransje", "Industry"),
    ("deal_size", "Størrelse", "Deal size"),
    (
        "decision_maker_role",
        "Beslutningstakerens rolle",
        "Decision-maker's role",
    ),
    ("lessons", "Lærdommer", "Lessons"),
    ("interview_date", "Tapsintervju", "Loss interview"),
    ("reset_checklist", "Nullstill", "Reset checklist"),
    ("progress_of", "av", "of"),
    ("done", "fullført", "done"),
    ("next", "Neste", "Next"),
    ("previous", "Forrige", "Previous"),
    ("pager", "Sider i listen", "Pages of the list"),
    ("page", "Side", "Page"),
    ("previous_page", "Forrige side", "Previous page"),
    ("next_page", "Neste side", "Next page"),
    ("contents", "Innhold", "Contents"),
    ("reading_time", "Lesetid", "Reading time"),
    ("minutes", "min", "min"),
    ("updated", "Oppdatert", "Updated"),
    ("published", "Publisert", "Published"),
    ("tags", "Stikkord", "Tags"),
    ("topics", "Tema", "Topics"),
    ("home", "Forside", "Home"),
    ("new", "Nytt", "What's new"),
    ("newest", "Nyeste innhold", "Newest content"),
    ("new_since", "Ny", "New"),
    ("courses", "Kurs", "Courses"),
    ("course", "Kurs", "Course"),
    ("lesson", "Leksjon", "Lesson"),
    ("lesson_of", "av", "of"),
    ("start_course", "Start kurset", "Start the course"),
    ("menu", "Meny", "Menu"),
    ("navigation", "Navigasjon", "Navigation"),
    ("breadcrumbs", "Brødsmuler", "Breadcrumbs"),
    ("skip_to_content", "Hopp til innholdet", "Skip to content"),
    ("not_found_title", "Fant ikke siden", "Page not found"),
    (
        "not_found_text",
        "Siden du lette etter finnes ikke, eller den er flyttet.",
        "The page you were looking for does not exist, or it has moved.",
    ),
    ("back_home", "Til forsiden", "Back to the front page"),
    ("offline_title", "Du er uten nett", "You are offline"),
    (
        "offline_text",
        "Denne siden er ikke lagret på enheten. Sidene under har du lest før, og de kan leses uten nett:",
        "This page is not kept on this device. You have read the pages below before, and they can be read offline:",
    ),
    (
        "offline_none",
        "Ingen sider er lagret ennå: det du leser med nett, lagres til neste gang.",
        "No pages are kept yet: what you read online is kept for next time.",
    ),
    (
        "theme_toggle",
        "Bytt mellom lyst og mørkt",
        "Switch between light and dark",
    ),
    ("print", "Skriv ut", "Print"),
    ("all_pages", "Alle sider", "All pages"),
    ("pages", "sider", "pages"),
    ("one_page", "side", "page"),
    ("draft", "Utkast", "Draft"),
    ("phase", "Fase", "Phase"),
    ("anchor", "Lenke til avsnittet", "Link to this section"),
    ("table", "Tabell", "Table"),
    ("footnote_back", "Tilbake til teksten", "Back to the text"),
    // Quizzes (a `quiz` block); `{n}` and `{total}` are numbers.
    (
        "quiz_numbered",
        "Spørsmål {n} av {total}",
        "Question {n} of {total}",
    ),
    ("quiz_choose_one", "Velg ett svar.", "Choose one answer."),
    (
        "quiz_choose_all",
        "Velg alle svarene som stemmer.",
        "Choose every answer that is right.",
    ),
    ("quiz_show_answer", "Vis svaret", "Show the answer"),
    ("quiz_right_answer", "Riktig svar:", "Right answer:"),
    ("quiz_right_answers", "Riktige svar:", "Right answers:"),
    ("quiz_check", "Sjekk svaret", "Check the answer"),
    ("quiz_correct", "Riktig!", "Right!"),
    (
        "quiz_wrong",
        "Ikke riktig. Prøv igjen, eller vis svaret.",
        "Not right. Try again, or show the answer.",
    ),
    (
        "quiz_partly",
        "Nesten: noe stemmer, men ikke alt. Prøv igjen.",
        "Almost: some of it is right, not all. Try again.",
    ),
    (
        "quiz_none",
        "Velg et svar først.",
        "Choose an answer first.",
    ),
    ("note", "Merk", "Note"),
    ("tip", "Tips", "Tip"),
    ("important", "Viktig", "Important"),
    ("warning", "Advarsel", "Warning"),
    ("caution", "Forsiktig", "Caution"),
    ("insight", "Innsikt", "Insight"),
    ("why_we_lose", "Hvorfor taper vi?", "Why do we lose?"),
    ("win_loss", "Vunnet og tapt", "Won and lost"),
    // Win/loss insight (page, charts, lists, `vinn insight`); `{n}` is a number.
    (
        "insight_outcomes",
        "Vunnet, tapt og uten beslutning",
        "Won, lost and undecided",
    ),
    ("insight_loss_reasons", "Hvorfor vi taper", "Why we lose"),
    ("insight_win_reasons", "Hvorfor vi vinner", "Why we win"),
    ("insight_by_industry", "Per bransje", "By industry"),
    (
        "insight_by_deal_size",
        "Per avtalestørrelse",
        "By deal size",
    ),
    (
        "insight_by_role",
        "Per beslutningstakers rolle",
        "By decision-maker's role",
    ),
    ("insight_by_quarter", "Per kvartal", "By quarter"),
    ("insight_quarter", "Kvartal", "Quarter"),
    ("insight_not_stated", "Ikke oppgitt", "Not stated"),
    (
        "insight_intro",
        "Tallene bygger på {n} publiserte kundecase. Hver stolpe lenker til casene bak den.",
        "The figures come from {n} published case studies. Every bar links to the cases behind it.",
    ),
    (
        "insight_none",
        "Ingen kundecase er publisert ennå. Når de første er på plass, viser denne siden hvorfor vi vinner og taper.",
        "No case studies are published yet. Once the first ones are in, this page shows why we win and lose.",
    ),
    (
        "insight_too_few",
        "Færre enn {n} case i grunnlaget: vi viser antall, ikke prosent, for ikke å gi et misvisende bilde.",
        "Fewer than {n} cases to go on: we show counts, not percentages, so as not to mislead.",
    ),
    (
        "insight_too_few_short",
        "for få case til å vise prosent",
        "too few cases to show a percentage",
    ),
    (
        "insight_min_group_note",
        "Prosent vises bare når grunnlaget har minst {n} case.",
        "Percentages are shown only when there are at least {n} cases to go on.",
    ),
    (
        "insight_win_rate_note",
        "Andel vunnet vises bare for grupper med minst {n} case.",
        "The win rate is shown only for groups of at least {n} cases.",
    ),
    (
        "insight_multi_note",
        "Et case kan ha flere årsaker, så stolpene kan til sammen bli flere enn casene.",
        "A case may give several reasons, so the bars can add up to more than the cases.",
    ),
    (
        "insight_base_all",
        "Grunnlag: {n} case",
        "Based on {n} cases",
    ),
    (
        "insight_base_lost",
        "Grunnlag: {n} tapte case",
        "Based on {n} lost cases",
    ),
    (
        "insight_base_won",
        "Grunnlag: {n} vunne case",
        "Based on {n} won cases",
    ),
    ("insight_cases_n_one", "{n} case", "{n} case"),
    ("insight_lost_n_one", "{n} tapt case", "{n} lost case"),
    (
        "insight_base_all_one",
        "Grunnlag: {n} case",
        "Based on {n} case",
    ),
    (
        "insight_base_lost_one",
        "Grunnlag: {n} tapt case",
        "Based on {n} lost case",
    ),
    (
        "insight_base_won_one",
        "Grunnlag: {n} vunnet case",
        "Based on {n} won case",
    ),
    (
        "insight_summary_text_one",
        "{n} publisert kundecase",
        "{n} published case study",
    ),
    (
        "insight_intro_one",
        "Tallene bygger på {n} publisert kundecase. Stolpene lenker til casene bak dem.",
        "The figures come from {n} published case study. Every bar links to the cases behind it.",
    ),
    ("insight_cases_n", "{n} case", "{n} cases"),
    ("insight_lost_n", "{n} tapte case", "{n} lost cases"),
    ("insight_count", "Antall", "Count"),
    ("insight_share", "Andel", "Share"),
    ("insight_win_rate", "Andel vunnet", "Win rate"),
    ("insight_group", "Gruppe", "Group"),
    ("insight_chart", "Stolpediagram", "Bar chart"),
    ("insight_show_cases", "vis casene", "show the cases"),
    (
        "insight_no_cases_here",
        "Ingen case i denne gruppen.",
        "No cases in this group.",
    ),
    (
        "insight_actions",
        "Fra årsak til tiltak",
        "From cause to action",
    ),
    (
        "insight_actions_lead",
        "De vanligste tapsårsakene, med sjekklistene og artiklene om samme tema.",
        "The most common loss reasons, with the checklists and articles on the same topic.",
    ),
    ("insight_more_on", "Alt om", "All about"),
    (
        "insight_no_material",
        "Ingen sjekklister eller artikler har dette temaet ennå – kanskje neste artikkel bør handle om det?",
        "No checklists or articles cover this topic yet – perhaps the next article should?",
    ),
    (
        "insight_download",
        "Tallene til eget bruk",
        "The figures for your own use",
    ),
    (
        "insight_download_json",
        "Alle tallene som JSON",
        "All figures as JSON",
    ),
    (
        "insight_download_csv",
        "Fakta om hvert case som CSV, for regneark (uten selve historiene)",
        "The facts of every case as CSV, for spreadsheets (without the stories)",
    ),
    (
        "insight_download_cli",
        "Eller i terminalen:",
        "Or in a terminal:",
    ),
    (
        "insight_back",
        "Tilbake til innsikten",
        "Back to the insight page",
    ),
    (
        "insight_summary_text",
        "{n} publiserte kundecase",
        "{n} published case studies",
    ),
    (
        "insight_top_reasons",
        "Vanligste tapsårsaker",
        "Most common loss reasons",
    ),
    (
        "insight_see_all",
        "Se hele analysen",
        "See the full analysis",
    ),
    (
        "insight_list_lead",
        "Kundecasene bak denne stolpen på innsiktssiden.",
        "The case studies behind this bar on the insight page.",
    ),
    ("feed", "Nyhetsstrøm", "Feed"),
    ("filter_all", "Alle", "All"),
    ("author", "Forfatter", "Author"),
    (
        "redirecting",
        "Siden er flyttet til",
        "This page has moved to",
    ),
    ("footer", "Laget med vinn", "Made with vinn"),
    (
        "checklist_saved",
        "Avkrysningene lagres bare på denne enheten.",
        "Ticks are saved on this device only.",
    ),
    ("kind", "Type", "Kind"),
    ("sections", "Seksjoner", "Sections"),
    // Default theme (layout, theme switch, checklists).
    ("dark_mode", "Mørk modus", "Dark mode"),
    ("lessons_count", "leksjoner", "lessons"),
    (
        "whole_course",
        "Hele kurset på én side",
        "The whole course on one page",
    ),
    ("lesson_alone", "Leksjonen for seg", "The lesson on its own"),
    ("course_online", "Kurset på nett", "The course online"),
    ("see_all", "Se alle", "See all"),
    ("checklist_progress", "Fremdrift", "Progress"),
];

/// The resolved table for one site.
pub type Strings = BTreeMap<String, String>;

/// The labels, Norwegian and English, of a value front matter takes in
/// English: an outcome (`won`) or one of the default reasons
/// (`decision-maker`).
pub fn value_labels(value: &str) -> Option<[&'static str; 2]> {
    let reason = match value {
        "decision-maker" => Some(["Beslutningstaker", "Decision-maker"]),
        "value" => Some(["Verdi", "Value"]),
        "price" => Some(["Pris", "Price"]),
        "timing" => Some(["Tidspunkt", "Timing"]),
        "competitor" => Some(["Konkurrent", "Competitor"]),
        "relationship" => Some(["Relasjon", "Relationship"]),
        "scope" => Some(["Omfang", "Scope"]),
        _ => None,
    };
    let outcome = || {
        ["won", "lost", "no-decision"]
            .contains(&value)
            .then(|| TABLE.iter().find(|(k, _, _)| *k == value))
            .flatten()
            .map(|(_, nb, en)| [*nb, *en])
    };
    reason.or_else(outcome)
}

/// A human label for a case reason (or outcome) in the site's language (a
/// reason of the site's own, not among the defaults, as it is written).
pub fn reason_label(reason: &str, lang: Language) -> String {
    match (value_labels(reason), lang) {
        (Some([nb, _]), Language::Nb) => nb.to_string(),
        (Some([_, en]), Language::En) => en.to_string(),
        (None, _) => reason.to_string(),
    }
}

/// The table for the site's language with its overrides applied; unknown
/// override keys come back as errors naming the key (and a near key).
pub fn strings(config: &Config) -> Result<Strings, Diagnostic> {
    let mut map: Strings = TABLE
        .iter()
        .map(|(k, nb, en)| {
            let v = match config.language {
                Language::Nb => nb,
                Language::En => en,
            };
            (k.to_string(), v.to_string())
        })
        .collect();
    for (k, v) in &config.translations {
        if !map.contains_key(k) {
            let hint = crate::diagnostics::did_you_mean(k, TABLE.iter().map(|(k, _, _)| *k))
                .map(|s| format!(": did you mean `{s}`?"))
                .unwrap_or_default();
            let (line, col) = config.place(&["translations", k]);
            return Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                line,
                col,
                format!("unknown UI string `{k}` in [translations]{hint}"),
            ));
        }
        map.insert(k.clone(), v.clone());
    }
    Ok(map)
}

/// The labels the Markdown renderer writes into page HTML.
pub fn markdown_labels(s: &Strings) -> crate::markdown::Labels {
    let g = |k: &str| s.get(k).cloned().unwrap_or_default();
    crate::markdown::Labels {
        note: g("note"),
        tip: g("tip"),
        important: g("important"),
        warning: g("warning"),
        caution: g("caution"),
        anchor: g("anchor"),
        table: g("table"),
        footnote_back: g("footnote_back"),
        quiz: crate::markdown::QuizLabels {
            numbered: g("quiz_numbered"),
            choose_one: g("quiz_choose_one"),
            choose_all: g("quiz_choose_all"),
            show_answer: g("quiz_show_answer"),
            right_answer: g("quiz_right_answer"),
            right_answers: g("quiz_right_answers"),
            check: g("quiz_check"),
            correct: g("quiz_correct"),
            wrong: g("quiz_wrong"),
            partly: g("quiz_partly"),
            none: g("quiz_none"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_complete() {
        for (k, nb, en) in TABLE {
            assert!(!nb.is_empty() && !en.is_empty(), "{k}");
        }
        let mut keys: Vec<_> = TABLE.iter().map(|t| t.0).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate key");
    }

    #[test]
    fn overrides_and_unknown_keys() {
        let c = Config::parse("title='x'\n[translations]\nsearch = 'Finn'\n").unwrap();
        assert_eq!(strings(&c).unwrap()["search"], "Finn");
        let c =
            Config::parse("title='x'\n[translations]\nsearch = 'Finn'\n  serch = 'y'\n").unwrap();
        let e = strings(&c).unwrap_err();
        assert!(e.message.contains("did you mean `search`"), "{e}");
        assert_eq!((e.path.as_str(), e.line, e.col), ("site.toml", 4, 11));
    }
}
