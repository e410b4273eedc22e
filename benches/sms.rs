//! SMS measurement throughput on 1 MB of mixed English and Bengali text (our own sentences).
//!
//! Measures [`newsdigest::sms::measure`] (the parts as strings) and [`newsdigest::sms::count`] (the
//! same figures, no part built: what `fit` calls) with the default (grapheme-safe) policy and with
//! code-unit splitting, plus the GSM-7-only path on English text. Throughput is reported in bytes per
//! second; the targets (issue 16) are 500 MB/s on the mixed text and 1 GB/s on ASCII GSM-7 for
//! `count`. The peers (`sms-segments-calculator`, `split-sms`, npm) are timed on the same text by
//! `benches/compare.sh`, in the same run, for the ratios in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsdigest::sms::{self, Options, SplitPolicy};

const ENGLISH: &str = "Floodwaters rose across three districts on Wednesday, officials said. ";
const BENGALI: &str = "রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে। ";

/// About `bytes` bytes of text, alternating English and Bengali sentences.
pub fn mixed_text(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 256);
    while text.len() < bytes {
        text.push_str(ENGLISH);
        text.push_str(BENGALI);
    }
    text
}

fn english_text(bytes: usize) -> String {
    ENGLISH.repeat(bytes / ENGLISH.len() + 1)
}

fn measure(c: &mut Criterion) {
    let mixed = mixed_text(1 << 20);
    let english = english_text(1 << 20);
    let mut group = c.benchmark_group("sms_measure_1mb");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(mixed.len() as u64));
    group.bench_function("mixed_graphemes", |b| {
        b.iter(|| sms::measure(black_box(&mixed), &Options::default()))
    });
    let code_units = Options {
        split: SplitPolicy::CodeUnits,
        ..Options::default()
    };
    group.bench_function("mixed_code_units", |b| {
        b.iter(|| sms::measure(black_box(&mixed), &code_units))
    });
    group.bench_function("mixed_graphemes_count", |b| {
        b.iter(|| sms::count(black_box(&mixed), &Options::default()))
    });
    group.bench_function("mixed_code_units_count", |b| {
        b.iter(|| sms::count(black_box(&mixed), &code_units))
    });
    group.throughput(Throughput::Bytes(english.len() as u64));
    group.bench_function("english_gsm7", |b| {
        b.iter(|| sms::measure(black_box(&english), &Options::default()))
    });
    let smart = Options {
        smart_encoding: true,
        ..Options::default()
    };
    group.bench_function("english_gsm7_smart", |b| {
        b.iter(|| sms::measure(black_box(&english), &smart))
    });
    group.bench_function("english_gsm7_count", |b| {
        b.iter(|| sms::count(black_box(&english), &Options::default()))
    });
    group.bench_function("english_gsm7_smart_count", |b| {
        b.iter(|| sms::count(black_box(&english), &smart))
    });
    group.finish();
}

criterion_group!(benches, measure);
criterion_main!(benches);
