//! SMS measurement throughput on a text file, as one JSON line, for `benches/compare.sh`.
//!
//! Measures the file `ROUNDS` times with the default options and prints bytes, seconds per round,
//! MB/s and segments, the shape `benches/compare.sh` reads for its peers too:
//!
//! ```sh
//! target/release/examples/measure_throughput text.txt 200
//! ```

use std::hint::black_box;
use std::time::Instant;

use newsdigest::sms::{self, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = std::fs::read_to_string(&args[0]).expect("a UTF-8 text file");
    let rounds: u32 = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(100);
    let options = Options::default();
    let mut segments = sms::measure(&text, &options).segments();
    let start = Instant::now();
    for _ in 0..rounds {
        segments = black_box(sms::measure(black_box(&text), &options)).segments();
    }
    let seconds = start.elapsed().as_secs_f64() / f64::from(rounds);
    let bytes = text.len();
    println!(
        "{{\"tool\":\"newsdigest\",\"bytes\":{bytes},\"seconds\":{seconds:e},\"mb_per_s\":{:.3},\"segments\":{segments}}}",
        bytes as f64 / seconds / 1e6
    );
}
