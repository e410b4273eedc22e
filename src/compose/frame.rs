//! Rendering a template once per shape of a view: the leads as placeholders, the rest as text.
//!
//! Fitting an SMS tries many leads for one view, and a Tera render per try was most of a digest's
//! time. A template that prints each story's lead as it is (no filter on it, no test of its
//! content) gives the same text as its frame, rendered with a placeholder for every lead, with the
//! leads put in. [`Frames::render`] renders the frame once per shape (the view with its leads
//! replaced, so a change of `cut`, source or anything else but a lead is a new shape, and an empty
//! lead stays empty for `{% if story.lead %}`), checks it against a real render of the first view
//! of that shape, and from then on only joins strings. A template whose frame does not give the
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
use crate::compose::view::DigestView;
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
#[derive(Debug)]
struct Frame(Vec<Piece>);

#[derive(Debug)]
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
        let shape = shape_of(view);
        let mut shapes = self.shapes.borrow_mut();
        if let Some((_, frame)) = shapes.iter().find(|(seen, _)| *seen == shape) {
            return match frame {
                Some(frame) => Ok(frame.fill(view)),
                None => self.renderer.render(self.template, view),
            };
        }
        let real = self.renderer.render(self.template, view)?;
        let frame = Frame::parse(&self.renderer.render(self.template, &shape)?)
            .filter(|frame| frame.fill(view) == real);
        shapes.push((shape, frame));
        Ok(real)
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
