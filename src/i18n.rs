//! UI strings: the translation table for Norwegian Bokmål and English, with
//! single strings overridable from `site.toml`'s `[translations]`.
//! Templates read them as `t.key`; unknown override keys are errors.

use std::collections::BTreeMap;

use crate::config::{Config, Language};

/// (key, Bokmål, English). Every UI string of the default theme is here.
const TABLE: &[(&str, &str, &str)] = &[
    ("search", "Søk", "Search"),
    ("search_placeholder", "Søk i innholdet …", "Search the content …"),
    ("search_no_results", "Ingen treff.", "No results."),
    ("search_did_you_mean", "Mente du", "Did you mean"),
    ("search_results", "Søkeresultater", "Search results"),
    ("search_all_kinds", "Alle typer", "All kinds"),
    ("search_all_topics", "Alle tema", "All topics"),
    ("search_hint", "Trykk / for å søke", "Press / to search"),
    ("read_also", "Les også", "Read also"),
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
    ("decision_maker_role", "Beslutningstakerens rolle", "Decision-maker's role"),
    ("lessons", "Lærdommer", "Lessons"),
    ("interview_date", "Tapsintervju", "Loss interview"),
    ("reset_checklist", "Nullstill", "Reset checklist"),
    ("progress_of", "av", "of"),
    ("done", "fullført", "done"),
    ("next", "Neste", "Next"),
    ("previous", "Forrige", "Previous"),
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
    ("not_found_text", "Siden du lette etter finnes ikke, eller den er flyttet.", "The page you were looking for does not exist, or it has moved."),
    ("back_home", "Til forsiden", "Back to the front page"),
    ("theme_toggle", "Bytt mellom lyst og mørkt", "Switch between light and dark"),
    ("print", "Skriv ut", "Print"),
    ("all_pages", "Alle sider", "All pages"),
    ("pages", "sider", "pages"),
    ("phase", "Fase", "Phase"),
    ("anchor", "Lenke til avsnittet", "Link to this section"),
    ("table", "Tabell", "Table"),
    ("note", "Merk", "Note"),
    ("tip", "Tips", "Tip"),
    ("important", "Viktig", "Important"),
    ("warning", "Advarsel", "Warning"),
    ("caution", "Forsiktig", "Caution"),
    ("insight", "Innsikt", "Insight"),
    ("why_we_lose", "Hvorfor taper vi?", "Why do we lose?"),
    ("win_loss", "Vunnet og tapt", "Won and lost"),
    ("feed", "Nyhetsstrøm", "Feed"),
    ("filter_all", "Alle", "All"),
    ("author", "Forfatter", "Author"),
    ("redirecting", "Siden er flyttet til", "This page has moved to"),
    ("footer", "Laget med vinn", "Made with vinn"),
    ("checklist_saved", "Avkrysningene lagres bare på denne enheten.", "Ticks are saved on this device only."),
    ("kind", "Type", "Kind"),
    ("sections", "Seksjoner", "Sections"),
    // Default theme (layout, theme switch, checklists).
    ("dark_mode", "Mørk modus", "Dark mode"),
    ("lessons_count", "leksjoner", "lessons"),
    ("see_all", "Se alle", "See all"),
    ("checklist_progress", "Fremdrift", "Progress"),
];

/// The resolved table for one site.
pub type Strings = BTreeMap<String, String>;

/// The table for the site's language with its overrides applied; unknown
/// override keys come back as errors naming the key (and a near key).
pub fn strings(config: &Config) -> Result<Strings, String> {
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
            return Err(format!("unknown UI string `{k}` in [translations]{hint}"));
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
        let mut c = Config::parse("title='x'\n[translations]\nsearch = 'Finn'\n").unwrap();
        assert_eq!(strings(&c).unwrap()["search"], "Finn");
        c.translations.insert("serch".into(), "y".into());
        assert!(strings(&c).unwrap_err().contains("did you mean `search`"));
    }
}
