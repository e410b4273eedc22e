//! Rendering a template once per shape of a view: the leads as placeholders, the rest as text.
//!
//! Fitting an SMS tries many leads for one view, and a Tera render per try was most of a digest's
//! time. A template that prints each story's lead as it is (no filter on it, no test of its
//! content) gives the same text as its frame, rendered with a placeholder for every lead, with the
//! leads put in. [`Frames::render`] renders the frame once per shape (the view with its leads
//! replaced, so a change of `cut`, source or anything else but a lead is a new shape, and an empty
//! lead stays empty for `{% if story.lead %}`), checks it against a real render of the first view
//! of that shape (unless the frame is one already checked: a change the template does not print,
//! such as `cut` in the SMS alert, costs one render, not two), and from then on only joins
//! strings. A template whose frame does not give the
//! real render (it filters or measures a lead) is rendered every time, as before. The text is what
//! [`Renderer::render`] gives, for every template whose output depends on a lead only by printing it.
//!
//! ```
//! # use std::sync::Arc;
//! # use newsdigest::compose::{frame::Frames, render::Renderer, view::DigestView, SMS_ALERT};
//! # use newsdigest::{dateline, ingest, locale::Locale, story};
//! # let wire = "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped.
//! # Source: Newsdesk
//! # BDST: 1347 HRS, APR 23, 2025";
//! # let now = "2025-04-23T09:00:00Z".parse().unwrap();
//! # let context = dateline::Context { country: None, home: None, now };
//! # let articles = ingest::parse_bytes("rain.txt", None, wire.as_bytes())?;
//! # let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut Vec::new());
//! let renderer = Renderer::new(Arc::new(Locale::load("en", None)?), None)?;
//! let mut view = DigestView::new(&stories, &[1], "sms", renderer.locale(), &[], now);
//! let frames = Frames::new(&renderer, SMS_ALERT);
//! assert_eq!(frames.render(&view)?, renderer.render(SMS_ALERT, &view)?);
//! view.stories[0].lead = "Traffic stopped.".into(); // same shape: no render
//! assert_eq!(frames.render(&view)?, "Newsdesk Apr 23 13:47 GMT+6: Traffic stopped.\n");
//! # Ok::<(), newsdigest::Error>(())
//! ```

use std::cell::RefCell;

use crate::compose::render::Renderer;
use crate::compose::view::{DigestView, StoryView};
use crate::error::Result;

/// Marks a placeholder: Unicode noncharacters, never in interchanged text.
const OPEN: char = '\u{fdd0}';
const CLOSE: char = '\u{fdd1}';

/// A template for one view's shape, rendered once.
pub struct Frames<'a> {
    renderer: &'a Renderer,
    template: &'a str,
    /// Whether frames are used at all ([`Frames::off`] renders every time).
    enabled: bool,
    /// Each shape seen (its view with placeholder leads) and its frame, `None` when the frame did
    /// not give the real render.
    shapes: RefCell<Vec<(DigestView, Option<Frame>)>>,
}

/// A rendered frame: literal text and the stories whose leads go between.
#[derive(Debug, PartialEq)]
struct Frame(Vec<Piece>);

#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Lead(usize),
}

impl<'a> Frames<'a> {
    pub fn new(renderer: &'a Renderer, template: &'a str) -> Frames<'a> {
        Frames {
            renderer,
            template,
            enabled: true,
            shapes: RefCell::new(Vec::new()),
        }
    }

    /// Renders every view with Tera, as if no frame held.
    pub fn off(renderer: &'a Renderer, template: &'a str) -> Frames<'a> {
        Frames {
            enabled: false,
            ..Frames::new(renderer, template)
        }
    }

    /// The template's name.
    pub fn template(&self) -> &str {
        self.template
    }

    /// `template` rendered with `view`: from its shape's frame when there is one that holds.
    pub fn render(&self, view: &DigestView) -> Result<String> {
        if !self.enabled {
            return self.renderer.render(self.template, view);
        }
        let mut shapes = self.shapes.borrow_mut();
        if let Some((_, frame)) = shapes.iter().find(|(shape, _)| has_shape(view, shape)) {
            return match frame {
                Some(frame) => Ok(frame.fill(view)),
                None => self.renderer.render(self.template, view),
            };
        }
        let shape = shape_of(view);
        let frame = Frame::parse(&self.renderer.render(self.template, &shape)?);
        // A new shape whose frame is one already checked (the view changed only in what the
        // template does not print, such as `cut` in the SMS alert) is not checked again.
        let checked = frame
            .as_ref()
            .is_some_and(|frame| shapes.iter().any(|(_, seen)| seen.as_ref() == Some(frame)));
        let text = match &frame {
            Some(frame) if checked => frame.fill(view),
            _ => self.renderer.render(self.template, view)?,
        };
        let frame = frame.filter(|frame| checked || frame.fill(view) == text);
        shapes.push((shape, frame));
        Ok(text)
    }
}

/// `view` with every non-empty lead replaced by its placeholder.
fn shape_of(view: &DigestView) -> DigestView {
    let mut shape = view.clone();
    for (index, story) in shape.stories.iter_mut().enumerate() {
        if !story.lead.is_empty() {
            story.lead = format!("{OPEN}{index}{CLOSE}");
        }
    }
    shape
}

/// Whether `view` is of the shape `shape` (a [`shape_of`]): equal but for its non-empty leads.
/// Compares field by field instead of building `view`'s shape, as every render of a fit asks;
/// the patterns name every field, so a new one is compared too.
fn has_shape(view: &DigestView, shape: &DigestView) -> bool {
    let DigestView {
        locale,
        direction,
        channel,
        story_count,
        date,
        stories,
        unsubscribe,
    } = view;
    *locale == shape.locale
        && *direction == shape.direction
        && *channel == shape.channel
        && *story_count == shape.story_count
        && *date == shape.date
        && *unsubscribe == shape.unsubscribe
        && stories.len() == shape.stories.len()
        && stories
            .iter()
            .zip(&shape.stories)
            .all(|(story, seen)| story_has_shape(story, seen))
}

/// [`has_shape`] for one story: a lead is empty in both or in neither.
fn story_has_shape(story: &StoryView, shape: &StoryView) -> bool {
    let StoryView {
        language,
        direction,
        isolate,
        title,
        headline,
        source,
        url,
        lead,
        cut,
        minimum,
        times,
    } = story;
    lead.is_empty() == shape.lead.is_empty()
        && *language == shape.language
        && *direction == shape.direction
        && *isolate == shape.isolate
        && *title == shape.title
        && *headline == shape.headline
        && *source == shape.source
        && *url == shape.url
        && *cut == shape.cut
        && *minimum == shape.minimum
        && *times == shape.times
}

impl Frame {
    /// The pieces of a frame's rendered text; `None` when a placeholder was altered.
    fn parse(mut rendered: &str) -> Option<Frame> {
        let mut pieces = Vec::new();
        while let Some(open) = rendered.find(OPEN) {
            let rest = &rendered[open + OPEN.len_utf8()..];
            let close = rest.find(CLOSE)?;
            pieces.push(Piece::Text(rendered[..open].to_string()));
            pieces.push(Piece::Lead(rest[..close].parse().ok()?));
            rendered = &rest[close + CLOSE.len_utf8()..];
        }
        if rendered.contains(CLOSE) {
            return None;
        }
        pieces.push(Piece::Text(rendered.to_string()));
        Some(Frame(pieces))
    }

    /// The frame with `view`'s leads put in.
    fn fill(&self, view: &DigestView) -> String {
        let mut text = String::with_capacity(512);
        for piece in &self.0 {
            match piece {
                Piece::Text(literal) => text.push_str(literal),
                Piece::Lead(index) => {
                    if let Some(story) = view.stories.get(*index) {
                        text.push_str(&story.lead);
                    }
                }
            }
        }
        text
    }
}
