//! `newsdigest eval` on a tiny corpora folder written here, in the shared corpora's layouts, with
//! made-up articles (two per corpus; no text from the real corpora). Each reference is a sentence
//! of its article, so the oracle can find it exactly.

use std::fs;
use std::path::Path;
use std::process::Command;

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const EN_HARBOUR: &str = "Harbour town prepares for the winter ferry timetable
The ferry company announced on Monday that winter sailings will begin in early November.
Boats will leave the harbour twice a day instead of four times.
Local shop owners said fewer visitors would reach the island during the cold months.
The council plans to add a bus link from the station to the pier.
A spokesperson said the timetable would be reviewed in spring.
Fishermen welcomed the quieter harbour, saying it made mooring easier.
Tickets for the winter season go on sale next week at the pier office.
";

const EN_LIBRARY: &str = "Village library reopens after roof repairs

The village library reopened its doors on Saturday after three months of roof repairs.
Volunteers carried more than two thousand books back onto the shelves.
The repairs were paid for by a grant from the regional heritage fund.
Children's reading hours will restart on Wednesday afternoons.
The librarian thanked residents for their patience during the closure.
";

const BN_BUS: &str = "Title: \r\nশহরে নতুন বাস চালু \n\rText: \n  শহরের উত্তর অংশে আজ থেকে নতুন বাস চালু হয়েছে। \
    প্রতিদিন সকাল সাতটা থেকে রাত দশটা পর্যন্ত বাস চলবে। যাত্রীরা বলেছেন, এতে অফিসে যাওয়া সহজ হবে। \
    ভাড়া আগের মতোই থাকবে বলে জানানো হয়েছে।\r\n";

const BN_SCHOOL: &str = "Title: গ্রামে নতুন স্কুল ভবন\nText: \nগ্রামের শিশুদের জন্য একটি নতুন স্কুল ভবন তৈরি হয়েছে। \
    ভবনে ছয়টি শ্রেণিকক্ষ এবং একটি পাঠাগার আছে। শিক্ষকেরা বলেছেন, বর্ষাকালে আর ক্লাস বন্ধ রাখতে হবে না। \
    আগামী মাসে ভবনটির উদ্বোধন হবে।\n";

const FR_SOURCES: &str = "La mairie a annoncé lundi la réouverture du marché couvert après six mois de travaux. \
    Les commerçants reviendront dès samedi matin. Un nouveau parking de cent places a été construit à côté du bâtiment. \
    Les horaires restent inchangés, du mardi au dimanche.
Une tempête a traversé la côte dans la nuit de mardi à mercredi. Plusieurs arbres sont tombés sur les routes \
    départementales. Les pompiers sont intervenus une quarantaine de fois. Aucun blessé n'a été signalé.
";

const FR_GOLD: &str = "Un nouveau parking de cent places a été construit à côté du bâtiment.
Les pompiers sont intervenus une quarantaine de fois.
";

/// A corpora folder in the shared layout, two made-up articles per corpus (and one BNLPC
/// document repeated in Dataset2 with other line endings, which eval leaves out).
fn tiny_corpora() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let en = "en-bbc-news-summary";
    write(root, &format!("{en}/article/local/001.txt"), EN_HARBOUR);
    write(
        root,
        &format!("{en}/summary/local/001.txt"),
        "Boats will leave the harbour twice a day instead of four times.\n\
         The council plans to add a bus link from the station to the pier.\n",
    );
    write(root, &format!("{en}/article/local/002.txt"), EN_LIBRARY);
    write(
        root,
        &format!("{en}/summary/local/002.txt"),
        "Volunteers carried more than two thousand books back onto the shelves.\n",
    );

    let bn = "bn-bnlpc";
    let bus = "প্রতিদিন সকাল সাতটা থেকে রাত দশটা পর্যন্ত বাস চলবে";
    let school = "ভবনে ছয়টি শ্রেণিকক্ষ এবং একটি পাঠাগার আছে";
    write(
        root,
        &format!("{bn}/Dataset1/Documents/Document_1.txt"),
        BN_BUS,
    );
    write(
        root,
        &format!("{bn}/Dataset1/Documents/Document_2.txt"),
        BN_SCHOOL,
    );
    let repeated = BN_BUS.replace("\r\n", "\n").replace(" \n\r", "\n");
    write(
        root,
        &format!("{bn}/Dataset2/Documents/Document_1.txt"),
        &repeated,
    );
    for (dataset, number, summary) in [
        ("Dataset1", 1, bus),
        ("Dataset1", 2, school),
        ("Dataset2", 1, bus),
    ] {
        for k in 1..=3 {
            let text = if k == 2 {
                format!("{summary}।")
            } else {
                summary.to_string()
            };
            write(
                root,
                &format!("{bn}/{dataset}/Summaries/Document_{number}_Summary_{k}.txt"),
                &text,
            );
        }
    }

    write(root, "fr-orangesum/source_documents.txt", FR_SOURCES);
    write(root, "fr-orangesum/gold.txt", FR_GOLD);

    let items = [
        (
            "<p><strong>город, 1 дек&nbsp;&mdash; агентство.</strong> в городском парке открылся новый каток.</p>\n\
             <p>каток будет работать каждый день до конца февраля.</p>\n<p>вход для детей бесплатный.</p>",
            "каток будет работать каждый день до конца февраля",
        ),
        (
            "<p>на заводе запустили новую линию по выпуску автобусов.</p><p>линия рассчитана на сто машин в год.</p>\
             <p>первые автобусы получат городские маршруты весной.</p>",
            "линия рассчитана на сто машин в год",
        ),
    ];
    let lines: Vec<String> = items
        .iter()
        .map(|(text, title)| serde_json::json!({ "text": text, "title": title }).to_string())
        .collect();
    write(root, "ru-ria20/ria_20.json", &(lines.join("\n") + "\n"));
    dir
}

const CORPORA: [&str; 4] = [
    "en-bbc-news-summary",
    "bn-bnlpc",
    "fr-orangesum",
    "ru-ria20",
];
const SYSTEMS: [&str; 7] = [
    "newsdigest lead",
    "newsdigest smart",
    "newsdigest default",
    "lead-k",
    "textrank",
    "lexrank",
    "oracle",
];

#[test]
fn the_table_has_every_corpus_budget_and_system() {
    let corpora = tiny_corpora();
    let run = run(&["eval", corpora.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("corpus "))
        .expect("a header row");
    for column in [
        "seg",
        "articles",
        "system",
        "R-1",
        "R-2",
        "R-L",
        "used",
        "refused",
        "gap closed",
    ] {
        assert!(
            lines[header].contains(column),
            "{column}: {}",
            lines[header]
        );
    }
    let rows: Vec<&str> = lines[header + 1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .copied()
        .collect();
    assert_eq!(
        rows.len(),
        CORPORA.len() * 3 * SYSTEMS.len(),
        "{}",
        run.stdout
    );
    let mut expected = Vec::new();
    for corpus in CORPORA {
        for segments in 1..=3 {
            for system in SYSTEMS {
                expected.push((corpus, segments, system));
            }
        }
    }
    for (row, (corpus, segments, system)) in rows.iter().zip(expected) {
        let fields: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(fields[0], corpus, "{row}");
        assert_eq!(fields[1], segments.to_string(), "{row}");
        assert_eq!(fields[2], "2", "two articles in every corpus: {row}");
        assert!(row.contains(&format!(" {system} ")), "{system}: {row}");
        if system.starts_with("newsdigest") {
            // used, then refused: 0.
            let after = row.split_once(system).unwrap().1;
            let numbers: Vec<&str> = after.split_whitespace().collect();
            assert_eq!(numbers[4], "0", "refusals: {row}");
        }
        if system == "newsdigest default" {
            assert!(row.contains(" vs "), "gap closed: {row}");
        }
    }
    assert!(
        run.stdout.contains("bn-bnlpc: 3 documents, 2 unique"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("fr-orangesum: the first 2 of 2"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the pipeline's refusals to fit (scored zero): none")
    );
    assert!(run.stdout.contains("\nwall time: "), "{}", run.stdout);
}

#[test]
fn json_scores_the_oracle_at_least_as_high_as_every_system() {
    let corpora = tiny_corpora();
    let run = run(&["eval", corpora.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(json["wall_seconds"].as_f64().is_some());
    let reports = json["corpora"].as_array().unwrap();
    let names: Vec<&str> = reports
        .iter()
        .map(|c| c["corpus"].as_str().unwrap())
        .collect();
    assert_eq!(names, CORPORA);
    for report in reports {
        assert_eq!(report["articles"], 2, "{report}");
        let budgets = report["budgets"].as_array().unwrap();
        assert_eq!(budgets.len(), 3);
        for budget in budgets {
            let systems = budget["systems"].as_array().unwrap();
            let shown: Vec<&str> = systems
                .iter()
                .map(|s| s["system"].as_str().unwrap())
                .collect();
            assert_eq!(shown, SYSTEMS);
            let oracle = &systems[6];
            // The references are sentences of the articles: the oracle finds them whole.
            assert_eq!(oracle["rouge1"], 1.0, "{budget}");
            for system in systems {
                for measure in ["rouge1", "rouge2", "rougeL"] {
                    let score = system[measure].as_f64().unwrap();
                    assert!((0.0..=1.0).contains(&score), "{measure}: {system}");
                    assert!(
                        score <= oracle[measure].as_f64().unwrap(),
                        "{measure}: {system} above {oracle}"
                    );
                }
                if system["system"].as_str().unwrap().starts_with("newsdigest") {
                    assert_eq!(system["refusals"], 0, "{system}");
                    let used = system["capacity_used"].as_f64().unwrap();
                    assert!(used > 0.0 && used <= 1.0, "{system}");
                } else {
                    assert!(system.get("refusals").is_none(), "{system}");
                }
            }
            assert!(budget["gap_closed"]["rouge1"]["best_baseline"].is_string());
        }
    }
}

#[test]
fn a_missing_corpora_folder_is_named_with_exit_66() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-corpora-here");
    let run = run(&["eval", missing.to_str().unwrap()]);
    assert_eq!(run.code, 66, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("error: {}: no such file or directory\n", missing.display())
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn a_missing_corpus_inside_is_named_too() {
    let corpora = tiny_corpora();
    fs::remove_dir_all(corpora.path().join("fr-orangesum")).unwrap();
    let run = run(&["eval", corpora.path().to_str().unwrap()]);
    assert_eq!(run.code, 66, "{}", run.stderr);
    let missing = corpora.path().join("fr-orangesum/source_documents.txt");
    assert_eq!(
        run.stderr,
        format!("error: {}: no such file or directory\n", missing.display())
    );
}
