//! Loading subscribers: 100,000 rows of national Bangladeshi mobile numbers (each normalized to
//! E.164 and checked for duplicates), and 100,000 email addresses, from a CSV file.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsdigest::bulletin::config::{ChannelConfig, SubscribersConfig};
use newsdigest::bulletin::subscribers;

const ROWS: u32 = 100_000;

fn write_list(dir: &Path, name: &str, address: impl Fn(u32) -> String) -> SubscribersConfig {
    let mut text = String::from("address,locale,tz,name\n");
    for n in 0..ROWS {
        text.push_str(&format!("{},bn,Asia/Dhaka,Reader {n}\n", address(n)));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the list is written");
    SubscribersConfig::File(path)
}

fn loading(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let known = |tag: &str| tag == "bn";
    let lists = [
        (
            "sms_national_100k",
            ChannelConfig::Sms,
            write_list(dir.path(), "sms.csv", |n| {
                format!("017{:08}", 10_000_000 + n)
            }),
        ),
        (
            "sms_e164_100k",
            ChannelConfig::Sms,
            write_list(dir.path(), "e164.csv", |n| {
                format!("+88019{:08}", 10_000_000 + n)
            }),
        ),
        (
            "email_100k",
            ChannelConfig::Email,
            write_list(dir.path(), "email.csv", |n| {
                format!("reader{n}@example.com")
            }),
        ),
    ];
    let mut group = c.benchmark_group("subscribers");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(ROWS)));
    for (name, channel, config) in &lists {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let (list, problems) =
                    subscribers::load(black_box(config), *channel, Some("BD"), &known)
                        .expect("the list loads");
                assert_eq!((list.len(), problems.len()), (ROWS as usize, 0));
                list
            })
        });
    }
    group.finish();
}

criterion_group!(benches, loading);
criterion_main!(benches);
