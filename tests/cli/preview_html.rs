//! `newsdigest preview --format html`: the page keeps article text as text in every locale.
//!
//! A hostile article (markup, template syntax, a header injection, a quote that would close an
//! attribute) is previewed in every built-in locale; an HTML5 parser (html5ever, through
//! `html2text`'s DOM) reads the page and each email shown in an `<iframe srcdoc>`. Every element and
//! attribute must be one the page or the email template writes, no resource may be loaded from
//! anywhere (no `src`, `<link>`, `url(` or `@import`; links are `<a href>` only, in the email), and
//! the article's `<script>`, `{{` and `Bcc:` must be there as text.

use html2text::{Comment, Element, Handle, RcDom};

use crate::run_with_stdin;

const NOW: &str = "2025-04-23T09:00:00Z";
const LOCALES: &str = "ar,bn,de,en,es,fr,hi,ne,ru,uk,ur,zh";

/// The article: every field that reaches the page tries to become markup or template code.
fn hostile_article() -> serde_json::Value {
    serde_json::json!({
        "title": "<script>alert(1)</script>{{ 7 * 7 }} \"><b onmouseover=alert(3)>Rain\r\nBcc: victim@example.com",
        "body": "Rain <img src=\"https://evil.example/x.png\" onerror=\"alert(2)\"> fell on Dhaka on Wednesday, {% raw %} the desk said. \
                 Streets flooded near <style>@import url(//evil.example/a.css)</style> the river's banks ' \" </iframe></textarea> --> overnight. \
                 Officials said {{ config }} and <link rel=stylesheet href=//evil.example/b.css> more rain was due.",
        "source": "<i onclick=alert(4)>Desk</i>",
        "url": "https://news.example.com/rain?a=1&b=\"><script>alert(5)</script>",
        "language": "en",
        "published": "2025-04-23T07:47:00Z"
    })
}

/// Elements and attributes the page itself writes.
const PAGE_ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "ul", "li", "bdi",
    "section", "div", "span", "mark", "iframe", "details", "summary", "pre",
];
const PAGE_ATTRIBUTES: &[&str] = &[
    "lang",
    "dir",
    "class",
    "id",
    "charset",
    "name",
    "content",
    "sandbox",
    "referrerpolicy",
    "title",
    "srcdoc",
];
/// Elements and attributes the built-in email template writes.
const EMAIL_ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "body", "div", "h1", "h2", "p", "a",
];
const EMAIL_ATTRIBUTES: &[&str] = &["lang", "dir", "style", "href", "charset", "name", "content"];

#[test]
fn hostile_article_stays_text_in_every_locale() {
    let run = run_with_stdin(
        &[
            "preview",
            "-",
            "--format",
            "html",
            "--locale",
            LOCALES,
            "--now",
            NOW,
            "--any-language",
            "--tz",
            "Asia/Dhaka",
        ],
        hostile_article().to_string().as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = &run.stdout;
    let dom = parse(page);
    let mut emails = Vec::new();
    let mut sections = Vec::new();
    let mut counts = Vec::new();
    walk(&dom.document, &mut |name, attrs| {
        assert!(PAGE_ELEMENTS.contains(&name), "<{name}> on the page");
        counts.push(name.to_string());
        for (attr, value) in attrs {
            assert!(
                PAGE_ATTRIBUTES.contains(&attr.as_str()),
                "{attr}= on <{name}>"
            );
            assert_no_article_markup(&attr, &value, name);
            if attr == "srcdoc" {
                emails.push(value.clone());
            }
            if name == "section" && attr == "lang" {
                sections.push(value.clone());
            }
        }
    });
    assert_eq!(sections.join(","), LOCALES, "one section per locale");
    assert_eq!(emails.len(), 12, "one email per locale");
    // The article's `<style>` and `</iframe>` did not open or close an element.
    assert_eq!(counts.iter().filter(|n| *n == "style").count(), 1);
    assert_eq!(counts.iter().filter(|n| *n == "iframe").count(), 12);
    let css = page
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap();
    for remote in ["url(", "@import", "//", "http"] {
        assert!(!css.contains(remote), "{remote} in the page's CSS");
    }
    let text = html2text::from_read(page.as_bytes(), 10_000).unwrap();
    for shown in [
        "<script>alert(1)</script>",
        "{{ 7 * 7 }}",
        "Bcc: victim@example.com",
        "{% raw %}",
    ] {
        assert!(text.contains(shown), "{shown:?} not shown as text");
    }
    for html in &emails {
        let dom = parse(html);
        walk(&dom.document, &mut |name, attrs| {
            assert!(EMAIL_ELEMENTS.contains(&name), "<{name}> in the email");
            for (attr, value) in attrs {
                assert!(
                    EMAIL_ATTRIBUTES.contains(&attr.as_str()),
                    "{attr}= on <{name}> in the email"
                );
                assert_no_article_markup(&attr, &value, name);
                if attr == "href" {
                    assert_eq!(name, "a", "only links may have an href");
                    assert!(
                        value.starts_with("https://news.example.com/rain?"),
                        "{value}"
                    );
                }
                if attr == "style" {
                    assert!(!value.contains("url("), "{value}");
                }
            }
        });
        let text = html2text::from_read(html.as_bytes(), 10_000).unwrap();
        assert!(
            text.contains("<script>alert(1)</script>{{ 7 * 7 }}"),
            "{text}"
        );
    }
}

#[test]
fn html_page_goes_to_out_with_both_channels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("preview.html");
    let run = crate::run(&[
        "preview",
        "samples/en-flood-sylhet.txt",
        "samples/bn-dhaka-rain.txt",
        "--locale",
        "en,bn,ar",
        "--any-language",
        "--now",
        NOW,
        "--tz",
        "Asia/Dhaka",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<section class=\"locale\" id=\"locale-ar\" lang=\"ar\" dir=\"rtl\">"));
    assert!(page.contains("<section class=\"locale\" id=\"locale-bn\" lang=\"bn\" dir=\"ltr\">"));
    assert!(page.contains("UCS-2 · "), "bn is UCS-2");
    assert!(
        page.contains("<mark class=\"forced\">"),
        "the characters that force UCS-2 are marked"
    );
    assert!(page.contains("segment 1/"), "segment ends are marked");
    assert!(
        page.contains("Asia/Dhaka (GMT+6)"),
        "the reader zone's clock"
    );
    assert_eq!(page.matches("<iframe sandbox=\"\"").count(), 3);
    assert_eq!(page.matches("<details><summary").count(), 3);
    assert!(!page.contains("<script"));
}

/// The page or email parsed as a browser would (html5ever), with scripting off.
fn parse(html: &str) -> RcDom {
    html2text::config::plain()
        .parse_html(html.as_bytes())
        .expect("parses")
}

/// An element's attributes as (name, value).
type Attributes = Vec<(String, String)>;

/// Calls `visit` with every element's name and attributes; fails on a comment (none is written).
fn walk(node: &Handle, visit: &mut dyn FnMut(&str, Attributes)) {
    match &node.data {
        Element { name, attrs, .. } => {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            visit(&name.local, attrs);
        }
        Comment { contents } => panic!("a comment in the output: {contents}"),
        _ => {}
    }
    for child in node.children.borrow().iter() {
        walk(child, visit);
    }
}

/// An attribute value the page wrote must not carry the article's markup or handlers.
fn assert_no_article_markup(attr: &str, value: &str, element: &str) {
    if attr == "srcdoc" || attr == "href" {
        return; // checked by parsing it (srcdoc) and against the article's URL (href)
    }
    for bad in ["alert(", "evil.example", "<", "{{"] {
        assert!(
            !value.contains(bad),
            "{bad} in {attr}= on <{element}>: {value}"
        );
    }
}
