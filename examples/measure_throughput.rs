//! Times `sms::measure` on a file, for comparisons with other tools on the same text
//! (`benches/compare_twilio.sh`). Usage: `measure_throughput FILE [ROUNDS]`; prints one JSON line.

use std::time::Instant;

use newsdigest::sms::{self, Options};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: measure_throughput FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            std::process::exit(66);
        }
    };
    let options = Options::default();
    let mut segments = 0;
    let start = Instant::now();
    for _ in 0..rounds {
        segments =
            std::hint::black_box(sms::measure(std::hint::black_box(&text), &options)).segments();
    }
    let seconds = start.elapsed().as_secs_f64() / f64::from(rounds);
    println!(
        "{{\"tool\":\"newsdigest\",\"bytes\":{},\"seconds\":{seconds:.6},\"mb_per_s\":{:.1},\"segments\":{segments}}}",
        text.len(),
        text.len() as f64 / seconds / 1e6
    );
}
