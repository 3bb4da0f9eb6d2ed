//! Knowledge checks: a fenced block whose info string is `quiz` holds
//! questions with answers to choose from, which the page shows as a small
//! form the reader answers and checks (the theme's script) or opens the
//! answer of (without a script). This module reads the block's lines into
//! questions, says what is wrong with them, and writes their HTML from the
//! pieces the Markdown renderer has turned into HTML.
//!
//! ````text
//! ```quiz
//! Hvem signerer som regel en rammeavtale?
//! - [ ] Kontaktpersonen som ba om tilbudet
//! - [x] Innkjøp eller daglig leder
//! > Mandatet for store avtaler ligger sjelden hos den du møter først.
//!
//! Neste spørsmål …
//! ```
//! ````
//!
//! A question is its text (one line or more), then its answers (`- [ ]`,
//! and `- [x]` for a right one; more than one right answer makes the
//! reader choose all that apply), then, if it likes, lines starting with
//! `>`: why the answer is right, shown with it. A blank line or a new line
//! of text after the answers starts the next question.

use std::fmt::Write as _;

use super::escape;

/// A run of text from the block, kept with where each of its lines sits in
/// the page body, so a link in it is reported at its place in the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// (offset in `text`, offset in the body) at each line's start.
    starts: Vec<(usize, usize)>,
}

impl Piece {
    /// Adds a line, after a space (a question or an answer: one line of
    /// text, however it is wrapped) or a line break (an explanation).
    fn push_line(&mut self, line: &str, body_offset: usize, sep: char) {
        if !self.text.is_empty() {
            self.text.push(sep);
        }
        self.starts.push((self.text.len(), body_offset));
        self.text.push_str(line);
    }

    /// The body offset of byte `at` of the text.
    pub fn body_offset(&self, at: usize) -> usize {
        let i = self.starts.partition_point(|&(s, _)| s <= at);
        match i.checked_sub(1).and_then(|i| self.starts.get(i)) {
            Some(&(s, b)) => b + (at - s),
            None => self.starts.first().map_or(0, |&(_, b)| b),
        }
    }
}

/// One answer to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub right: bool,
    pub text: Piece,
}

/// One question as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: Piece,
    pub choices: Vec<Choice>,
    /// Why the right answer is right (the `>` lines), Markdown blocks.
    pub why: Piece,
    /// A line of it was reported: its answers are not counted again.
    reported: bool,
    /// An answer after its explanation was reported (once is enough).
    late: bool,
}

impl Question {
    /// The body offset of the question's first line.
    pub fn offset(&self) -> usize {
        self.text.body_offset(0)
    }
}

/// What one line of a quiz is.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    /// `- [x] text`.
    Choice(bool, &'a str),
    /// A line meant as an answer that is not one: what is wrong.
    BadChoice(&'static str),
    /// `> text`.
    Why(&'a str),
    Text(&'a str),
}

fn classify(trimmed: &str) -> Line<'_> {
    if trimmed.is_empty() {
        return Line::Blank;
    }
    if let Some(why) = trimmed.strip_prefix('>') {
        return Line::Why(why.strip_prefix([' ', '\t']).unwrap_or(why));
    }
    if let Some(rest) = trimmed.strip_prefix(['-', '*', '+']) {
        let spaced = rest.starts_with([' ', '\t']);
        let boxed = rest.trim_start();
        let right = match boxed.get(..3) {
            Some("[ ]") => Some(false),
            Some("[x]" | "[X]") => Some(true),
            _ => None,
        };
        return match right {
            Some(_) if !spaced => Line::BadChoice(
                "an answer needs a space after its `-`: write `- [ ] …` or `- [x] …`",
            ),
            Some(right) => {
                let after = &boxed[3..];
                if after.trim().is_empty() {
                    Line::BadChoice(
                        "an answer without text: write it after its box, `- [x] Svaret`",
                    )
                } else if !after.starts_with([' ', '\t']) {
                    Line::BadChoice("an answer needs a space after its box: `- [x] Svaret`")
                } else {
                    Line::Choice(right, after.trim())
                }
            }
            None if spaced => Line::BadChoice(
                "an answer in a quiz starts with a box: `- [ ] …`, or `- [x] …` for a right one",
            ),
            None => Line::Text(trimmed),
        };
    }
    // `1. [x] Ja`: a numbered answer.
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = trimmed[digits..].strip_prefix(['.', ')'])
        && rest.trim_start().starts_with('[')
    {
        return Line::BadChoice("quiz answers are `- [ ] …` lines, not numbered ones");
    }
    Line::Text(trimmed)
}

/// Reads a quiz block's lines, each with its offset in the body. Returns
/// the questions and the problems found, each at a body offset, in order.
pub fn parse<'a>(
    lines: impl IntoIterator<Item = (&'a str, usize)>,
) -> (Vec<Question>, Vec<(usize, String)>) {
    let mut questions: Vec<Question> = Vec::new();
    let mut problems: Vec<(usize, String)> = Vec::new();
    // After a blank line, text starts a new question.
    let mut open = false;
    // An explanation before any answer is reported once per question.
    let mut early_why = false;
    let mut first = None;
    for (line, offset) in lines {
        first.get_or_insert(offset);
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let at = offset + indent;
        let inner = |text: &str| at + (text.as_ptr() as usize - trimmed.as_ptr() as usize);
        match classify(trimmed) {
            Line::Blank => {
                open = false;
                continue;
            }
            Line::BadChoice(why) => {
                problems.push((at, why.to_string()));
                if let Some(q) = questions.last_mut() {
                    q.reported = true;
                }
            }
            Line::Choice(right, text) => match questions.last_mut() {
                Some(q) => {
                    if !q.why.text.is_empty() && !q.late {
                        q.late = true;
                        q.reported = true;
                        problems.push((
                            at,
                            "an answer after the explanation: a question's `- [ ]` lines come before its `>` lines".to_string(),
                        ));
                    }
                    let mut piece = Piece::default();
                    piece.push_line(text, inner(text), ' ');
                    q.choices.push(Choice { right, text: piece });
                }
                None => problems.push((
                    at,
                    "an answer before any question: write the question on the line above"
                        .to_string(),
                )),
            },
            Line::Why(text) => match questions.last_mut() {
                Some(q) if !q.choices.is_empty() => q.why.push_line(text, inner(text), '\n'),
                last => {
                    if !std::mem::replace(&mut early_why, true) {
                        problems.push((
                            at,
                            "an explanation (`>`) before the question's answers: write the `- [ ]` lines first".to_string(),
                        ));
                    }
                    if let Some(q) = last {
                        q.reported = true;
                    }
                }
            },
            Line::Text(text) => match questions.last_mut() {
                Some(q) if open && q.choices.is_empty() => q.text.push_line(text, at, ' '),
                // An indented line goes on with the answer (or the
                // explanation) above it, as in Markdown.
                Some(q) if open && indent > 0 && q.why.text.is_empty() => {
                    if let Some(c) = q.choices.last_mut() {
                        c.text.push_line(text, at, ' ');
                    }
                }
                Some(q) if open && indent > 0 => q.why.push_line(text, at, '\n'),
                _ => {
                    let mut piece = Piece::default();
                    piece.push_line(text, at, ' ');
                    questions.push(Question {
                        text: piece,
                        choices: Vec::new(),
                        why: Piece::default(),
                        reported: false,
                        late: false,
                    });
                    early_why = false;
                }
            },
        }
        open = true;
    }
    for q in questions.iter().filter(|q| !q.reported) {
        if q.choices.len() < 2 {
            problems.push((
                q.offset(),
                "a quiz question needs at least two answers to choose from, one `- [ ] …` line each".to_string(),
            ));
        } else if !q.choices.iter().any(|c| c.right) {
            problems.push((
                q.offset(),
                "a quiz question needs a right answer: mark it `- [x] …`".to_string(),
            ));
        }
    }
    if questions.is_empty() && problems.is_empty() {
        problems.push((
            first.unwrap_or(0),
            "an empty quiz: write a question, then its answers as `- [ ]` and `- [x]` lines"
                .to_string(),
        ));
    }
    problems.sort_by_key(|p| p.0);
    (questions, problems)
}

/// A question's or an answer's text made safe to read as inline Markdown:
/// a start that would open a block (`1. `, `2) `, `# `, `> `, `- `, `* `)
/// is escaped, so it stays text; `**fet**` or `#1` at the start is left
/// alone (raw HTML is the author's, as in the body). Also gives where the
/// escape went in, if it did (a place after it is one byte further on than
/// in `text`).
pub fn inline_text(text: &str) -> (std::borrow::Cow<'_, str>, Option<usize>) {
    // A marker opens a block when a space (or the end) follows it.
    let opens = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if digits > 0 {
        let rest = &text[digits..];
        (rest.starts_with(['.', ')']) && opens(&rest[1..])).then_some(digits)
    } else if text.starts_with('>') {
        Some(0)
    } else if text.starts_with('#') {
        opens(text.trim_start_matches('#')).then_some(0)
    } else {
        (text.starts_with(['-', '+', '*']) && opens(&text[1..])).then_some(0)
    };
    match marker {
        Some(at) => (format!("{}\\{}", &text[..at], &text[at..]).into(), Some(at)),
        None => (text.into(), None),
    }
}

/// The words a quiz writes into the page, from the UI translation table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuizLabels {
    /// "Spørsmål {n} av {total}"
    pub numbered: String,
    pub choose_one: String,
    pub choose_all: String,
    pub show_answer: String,
    pub right_answer: String,
    pub right_answers: String,
    /// For the script: its button and what it says after a check.
    pub check: String,
    pub correct: String,
    pub wrong: String,
    pub partly: String,
    pub none: String,
}

/// One question with its pieces as HTML.
pub struct Html<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub choices: &'a [(bool, String)],
    /// The right answers as text, escaped.
    pub right: &'a str,
    pub why: &'a str,
}

/// Writes a quiz: a group per question, with its answers as radio buttons
/// (one right answer) or checkboxes (more), and the answer with its
/// explanation in a `<details>` the reader opens.
pub fn write(out: &mut String, questions: &[Html], labels: &QuizLabels) {
    let _ = writeln!(
        out,
        "<div class=\"quiz\" data-i18n-check=\"{}\" data-i18n-correct=\"{}\" data-i18n-wrong=\"{}\" data-i18n-partly=\"{}\" data-i18n-none=\"{}\">",
        escape(&labels.check),
        escape(&labels.correct),
        escape(&labels.wrong),
        escape(&labels.partly),
        escape(&labels.none),
    );
    let total = questions.len();
    for (n, q) in questions.iter().enumerate() {
        let rights = q.choices.iter().filter(|(r, _)| *r).count();
        let many = rights > 1;
        let _ = write!(out, "<fieldset class=\"quiz-q\" id=\"{}\"", q.id);
        if many {
            out.push_str(" data-many");
        }
        out.push_str(">\n<legend>");
        if total > 1 {
            let counter = labels
                .numbered
                .replace("{n}", &(n + 1).to_string())
                .replace("{total}", &total.to_string());
            let _ = write!(out, "<span class=\"quiz-n\">{}</span> ", escape(&counter));
        }
        let _ = write!(
            out,
            "<span class=\"quiz-text\">{}</span></legend>\n<p class=\"quiz-hint\">{}</p>\n<ul class=\"quiz-choices\">\n",
            q.text,
            escape(if many {
                &labels.choose_all
            } else {
                &labels.choose_one
            }),
        );
        let kind = if many { "checkbox" } else { "radio" };
        for (i, (right, text)) in q.choices.iter().enumerate() {
            let _ = writeln!(
                out,
                "<li><label><input type=\"{kind}\" name=\"{}\" value=\"{}\"{}> <span>{text}</span></label></li>",
                q.id,
                i + 1,
                if *right { " data-right" } else { "" },
            );
        }
        out.push_str("</ul>\n<p class=\"quiz-feedback\" role=\"status\"></p>\n");
        let label = if many {
            &labels.right_answers
        } else {
            &labels.right_answer
        };
        let _ = write!(
            out,
            "<details class=\"quiz-answer\"><summary>{}</summary>\n<p><strong>{}</strong> ",
            escape(&labels.show_answer),
            escape(label)
        );
        out.push_str(q.right);
        out.push_str("</p>\n");
        out.push_str(q.why);
        out.push_str("</details>\n</fieldset>\n");
    }
    out.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<(&str, usize)> {
        let mut at = 0;
        s.split('\n')
            .map(|l| {
                let r = (l, at);
                at += l.len() + 1;
                r
            })
            .collect()
    }

    #[test]
    fn questions_answers_and_explanations_are_read_in_order() {
        let src = "Hvem signerer?\n- [ ] Kontakten\n- [x] Innkjøp\n> Fordi mandatet\n> ligger der.\nHva er verdi?\nFor kunden.\n* [X] Gevinst\n+ [x] Tid spart\n\n";
        let (qs, problems) = parse(lines(src));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].text.text, "Hvem signerer?");
        assert_eq!(
            qs[0]
                .choices
                .iter()
                .map(|c| (c.right, c.text.text.as_str()))
                .collect::<Vec<_>>(),
            [(false, "Kontakten"), (true, "Innkjøp")]
        );
        assert_eq!(qs[0].why.text, "Fordi mandatet\nligger der.");
        assert_eq!(qs[1].text.text, "Hva er verdi? For kunden.");
        assert!(qs[1].choices.iter().all(|c| c.right));
        // Offsets point into the source, line by line.
        let why = &qs[0].why;
        let second = why.text.find("ligger").unwrap();
        assert_eq!(&src[why.body_offset(second)..][..6], "ligger");
        let c = &qs[1].choices[1].text;
        assert_eq!(&src[c.body_offset(0)..][..8], "Tid spar");
        assert_eq!(&src[qs[1].offset()..][..3], "Hva");
    }

    #[test]
    fn a_blank_line_parts_two_questions_written_without_answers_between() {
        let (qs, problems) = parse(lines("Først?\n\nSå?\n- [x] Ja\n- [ ] Nei"));
        assert_eq!(qs.len(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 0);
        assert!(
            problems[0].1.contains("at least two answers"),
            "{}",
            problems[0].1
        );
    }

    #[test]
    fn wrong_shapes_are_problems_at_their_lines() {
        let src = "- [x] Svar uten spørsmål\nSpørsmål?\n> for tidlig\n- [ ] A\n- [ ] B\n> Forklaring\n- [x] for sent\n";
        let (_, problems) = parse(lines(src));
        let at = |s: &str| src.find(s).unwrap();
        let found: Vec<usize> = problems.iter().map(|(o, _)| *o).collect();
        assert_eq!(
            found,
            [at("- [x] Svar"), at("> for tidlig"), at("- [x] for sent")]
        );
        // A question without a right answer says so.
        let (_, problems) = parse(lines("Spørsmål?\n- [ ] A\n- [ ] B\n"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("right answer"), "{}", problems[0].1);
        let (qs, problems) = parse(lines("\n  \n"));
        assert!(qs.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("empty quiz"));
    }

    #[test]
    fn an_answer_needs_its_box_its_space_and_its_text() {
        assert_eq!(classify("- [x] Ja"), Line::Choice(true, "Ja"));
        assert_eq!(classify("-  [ ]  Nei "), Line::Choice(false, "Nei"));
        assert_eq!(classify("-\t[ ]\tNei"), Line::Choice(false, "Nei"));
        for bad in [
            "- [x]",
            "- [ ]   ",
            "-[x] Ja",
            "- [y] Ja",
            "- Ja",
            "- [x]Ja",
            "1. [x] Ja",
            "2) [ ] Nei",
        ] {
            assert!(matches!(classify(bad), Line::BadChoice(_)), "{bad}");
        }
        for text in ["-æ", "Hva er -[x]?", "1. Hva er pris?", "#1 spørsmål"] {
            assert_eq!(classify(text), Line::Text(text), "{text}");
        }
    }

    #[test]
    fn a_wrong_line_is_reported_once_and_the_count_not_again() {
        // A box without text, an answer after the explanation, a wrapped
        // answer and explanation lines before any answer.
        let src = "Spørsmål?\n- [x]\n- [ ] Nei\n- [x] Ja\n\nTo?\n- [ ] Ja\n> fordi\n- [x] Nei\n\nTre?\n- [x] Et svar som\n  fortsetter\n- [ ] Nei\n";
        let (qs, problems) = parse(lines(src));
        let at = |s: &str| src.find(s).unwrap();
        let found: Vec<usize> = problems.iter().map(|(o, _)| *o).collect();
        assert_eq!(found, [at("- [x]\n"), at("- [x] Nei")], "{problems:?}");
        assert_eq!(qs[2].choices[0].text.text, "Et svar som fortsetter");
        assert_eq!(qs[1].choices.len(), 2, "the late answer still counts");
        // Explanations with no answers above them: one problem.
        let (_, problems) = parse(lines("> a\n> b\n"));
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn block_starts_stay_text() {
        let text = |s| inline_text(s).0.into_owned();
        assert_eq!(text("1. Hva er pris?"), "1\\. Hva er pris?");
        assert_eq!(text("2) Neste?"), "2\\) Neste?");
        assert_eq!(text("# Overskrift?"), "\\# Overskrift?");
        assert_eq!(text("Vanlig *tekst*"), "Vanlig *tekst*");
        // Emphasis, a number or a tag at the start opens no block.
        for same in [
            "**Hvem** signerer?",
            "*Hvem* signerer?",
            "#1 spørsmål",
            "2026 var året",
            "-5 % pris",
        ] {
            assert_eq!(text(same), same);
        }
        assert_eq!(text("* punkt"), "\\* punkt");
        assert_eq!(inline_text("12. x").1, Some(2));
        assert_eq!(inline_text("x").1, None);
    }
}
