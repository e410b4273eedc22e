//! The greedy extractive oracle: the best summary a sentence picker could make, as far as a
//! greedy search can tell, given the reference summaries (an upper bound for extractive systems,
//! not a system).
//!
//! Owns [`oracle`]. Starting from nothing, it adds the sentence whose addition most increases the
//! ROUGE-1 F1 (mean over the references) of the summary as it would be sent: the chosen sentences
//! in article order, cut to the budget ([`Budget::cut`]); it stops when no sentence increases it.
//! Ties go to the earlier sentence.

use crate::eval::cut::Budget;
use crate::eval::rouge;
use crate::story::Story;

/// The oracle summary of `story` against `references` (already [`rouge::tokenize`]d), within
/// `budget`.
pub fn oracle(story: &Story, references: &[Vec<String>], budget: &Budget) -> String {
    let language = story.article.language.as_str();
    let score = |indices: &[usize]| -> (f64, String) {
        let text = budget.cut(&story.join(indices));
        (
            rouge::rouge1(&rouge::tokenize(&text, language), references),
            text,
        )
    };
    let mut chosen: Vec<usize> = Vec::new();
    let (mut best, mut summary) = (0.0, String::new());
    loop {
        let mut improvement: Option<(usize, f64, String)> = None;
        for candidate in (0..story.sentences.len()).filter(|i| !chosen.contains(i)) {
            let mut trial = chosen.clone();
            trial.push(candidate);
            let (value, text) = score(&trial);
            let threshold = improvement.as_ref().map_or(best, |(_, v, _)| *v);
            if value > threshold {
                improvement = Some((candidate, value, text));
            }
        }
        match improvement {
            Some((candidate, value, text)) => {
                chosen.push(candidate);
                (best, summary) = (value, text);
            }
            None => return summary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn story(sentences: &[&str]) -> Story {
        Story {
            article: Article {
                language: "en".into(),
                ..Article::default()
            },
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
            order: Vec::new(),
            opener: None,
            published: None,
            notes: Vec::new(),
            also_from: Vec::new(),
        }
    }

    fn budget(max_segments: usize) -> Budget {
        Budget {
            max_segments,
            options: Default::default(),
        }
    }

    #[test]
    fn picks_the_sentences_the_reference_holds_in_article_order() {
        let story = story(&[
            "Markets opened quietly.",
            "The harbour reopened after the storm.",
            "Ferries run again from Monday.",
            "A choir sang in the square.",
        ]);
        let reference = rouge::tokenize("Ferries run again; the harbour reopened.", "en");
        let summary = oracle(&story, &[reference], &budget(1));
        assert_eq!(
            summary,
            "The harbour reopened after the storm. Ferries run again from Monday."
        );
    }

    #[test]
    fn nothing_in_common_gives_nothing() {
        let story = story(&["Markets opened quietly."]);
        let reference = rouge::tokenize("A choir sang.", "en");
        assert_eq!(oracle(&story, &[reference], &budget(1)), "");
    }

    #[test]
    fn the_summary_is_cut_to_the_budget() {
        let long = "harbour ".repeat(30);
        let story = story(&[long.trim()]);
        let reference = rouge::tokenize(&long, "en");
        let summary = oracle(&story, &[reference], &budget(1));
        assert!(budget(1).fits(&summary) && summary.starts_with("harbour"));
    }
}
