//! Sentence-splitting error classes found on unseen news text, one table row per case and language:
//! each case's sentences, joined with a space, must split back exactly. The sentences are written
//! for these tests, not taken from articles.
//!
//! 1. an abbreviation's lowercase twin or a sentence-final abbreviation (`He was ill.`, `Ill. The`);
//! 2. one letter that is a designation, not an initial (`Plan B.`, `World War I.`);
//! 3. an abbreviation that often ends a sentence before a capitalised word (`etc. Customers`);
//! 4. a sentence opening with a number or a brand (`2025 will…`, `eBay said…`);
//! 5. German ordinals (`am 3. Oktober`, `der 2. Weltkrieg`);
//! 6. names with an exclamation mark (`Yahoo! Japan`);
//! 7. chains of honorifics, initials and parenthesised abbreviations (`Lt. Gen. (retd.)`).

use newsdigest::text::sentences::SentenceSplitter;

/// (class, language, sentences).
type Case = (u8, &'static str, &'static [&'static str]);

const CASES: &[Case] = &[
    // 1. Case and sentence-final abbreviations.
    (1, "en", &["He was ill.", "The doctor came on Monday."]),
    (1, "en", &["The answer was no.", "Then the talks ended."]),
    (
        1,
        "en",
        &["She bought a work of art.", "The museum paid for it."],
    ),
    (
        1,
        "en",
        &[
            "The firm filed its report with the SEC.",
            "The company denied wrongdoing.",
        ],
    ),
    (1, "en", &["The miners dug for ore.", "Prices rose."]),
    (
        1,
        "en",
        &["He moved to Springfield, Ill.", "The city welcomed him."],
    ),
    (
        1,
        "en",
        &[
            "The speech was given by Martin Luther King Jr.",
            "It changed the country.",
        ],
    ),
    (
        1,
        "en",
        &["The team was ranked no. 1 in the world last season."],
    ),
    (1, "en", &["Students must read Art. I of the Constitution."]),
    (1, "en", &["The villain of the film is Dr. No himself."]),
    (1, "en", &["The office is on Main St. near the park."]),
    (1, "en", &["The farm is in Co. Kerry near the coast."]),
    (
        1,
        "en",
        &["The film was made by Warner Bros. Discovery last year."],
    ),
    (
        1,
        "en",
        &["The cars are made by Ford Motor Co.", "The company is old."],
    ),
    (
        1,
        "fr",
        &["La police enquête sur le vol.", "Les bijoux ont disparu."],
    ),
    (1, "fr", &["Voir le vol. 3 de la collection."]),
    (1, "fr", &["M. Le Maire a présenté le budget."]),
    (
        1,
        "fr",
        &["La commune compte 10 000 hab.", "La mairie est neuve."],
    ),
    (1, "es", &["Dijo que no.", "Luego se fue a casa."]),
    (1, "es", &["Lo prevé el art. 5 de la ley."]),
    (1, "es", &["Vive en la Avda. Libertador desde 2010."]),
    (1, "de", &["Das regelt Art. 5 des Grundgesetzes."]),
    (
        1,
        "de",
        &["Er machte es auf seine Art.", "Die anderen staunten."],
    ),
    (1, "de", &["Nach 90 Min. Spielzeit stand es 1:1."]),
    (
        1,
        "ru",
        &[
            "Рост составил 3% в 2024 г.",
            "В Москве цены выросли сильнее.",
        ],
    ),
    (1, "ru", &["Офис находится на ул. Ленина в г. Москве."]),
    (1, "ru", &["Магазин стоит на пр. Мира.", "Он открыт днём."]),
    (
        1,
        "ru",
        &["Купили хлеб, молоко и т. д.", "В магазине было людно."],
    ),
    (
        1,
        "uk",
        &["Інфляція сповільнилася у 2024 р.", "У Києві ціни зросли."],
    ),
    (1, "uk", &["Вибух пролунав у м. Харкові вночі."]),
    // 2. One letter that is a designation.
    (2, "en", &["They chose Plan B.", "The vote was close."]),
    (
        2,
        "en",
        &[
            "The treaty was signed after World War I.",
            "Later, the borders changed.",
        ],
    ),
    (
        2,
        "en",
        &[
            "Oranges are rich in vitamin C.",
            "It helps the immune system.",
        ],
    ),
    (
        2,
        "en",
        &["The cost falls under Part B.", "Johnson signed it anyway."],
    ),
    (2, "en", &["The throne passed to Henry V.", "He was young."]),
    (
        2,
        "en",
        &["George W. Bush met Mary A. Smith and John Q. Public in Texas."],
    ),
    (
        2,
        "fr",
        &["Le gouvernement prépare un plan B.", "Personne ne l'a vu."],
    ),
    (2, "fr", &["Le discours de J. Dupont a duré une heure."]),
    (
        2,
        "es",
        &[
            "La naranja tiene vitamina C.",
            "Médicos de todo el país la recomiendan.",
        ],
    ),
    (2, "es", &["El actor J. Martínez habló ayer."]),
    (
        2,
        "de",
        &[
            "Die Regierung hat einen Plan B.",
            "Wer ihn kennt, schweigt.",
        ],
    ),
    (2, "de", &["Die Autorin J. K. Rowling schrieb weiter."]),
    (
        2,
        "ru",
        &["У правительства есть план Б.", "Москва его не раскрывает."],
    ),
    (2, "ru", &["Врачи советуют витамин C.", "Он полезен зимой."]),
    (2, "ru", &["Президент В. В. Путин прибыл в Сочи."]),
    (2, "uk", &["Уряд має план Б.", "Київ його не розкриває."]),
    (2, "uk", &["Мер В. Кличко відвідав школу."]),
    // 3. Abbreviations that often end a sentence.
    (
        3,
        "en",
        &["The store closed at 9 p.m.", "Shoppers left quietly."],
    ),
    (
        3,
        "en",
        &[
            "The meeting ended at 5 p.m.",
            "Police said no one was hurt.",
        ],
    ),
    (3, "en", &["Talks resume at 10 a.m. Monday in Geneva."]),
    (3, "en", &["The vote opens at 8 a.m. ET on Tuesday."]),
    (
        3,
        "en",
        &["The U.S. Army and the U.K. Foreign Office confirmed the report."],
    ),
    (
        3,
        "en",
        &["The firm sells apples, pears, etc.", "Customers like them."],
    ),
    (
        3,
        "en",
        &["The deal was announced by Acme Corp.", "Investors cheered."],
    ),
    (3, "en", &["Acme Inc. CEO Jane Doe resigned."]),
    (
        3,
        "en",
        &["Samsung Electronics Co. Ltd. reported a profit."],
    ),
    (
        3,
        "en",
        &["The film was shot in the U.K.", "Critics loved it."],
    ),
    (3, "en", &["Fans cheered as J.R. Smith scored."]),
    (3, "en", &["The U.S. 10-year yield rose."]),
    (
        3,
        "fr",
        &[
            "Il vend des pommes, des poires, etc.",
            "Paris a interdit la vente.",
        ],
    ),
    (
        3,
        "fr",
        &[
            "La ville fut fondée en 50 av. J.-C.",
            "Rome dominait alors la région.",
        ],
    ),
    (
        3,
        "es",
        &["Venden manzanas, peras, etc.", "Madrid prohibió la venta."],
    ),
    (
        3,
        "es",
        &["El acuerdo se firmó en EE. UU.", "Trump lo celebró."],
    ),
    (3, "es", &["La reunión en EE. UU. terminó tarde."]),
    (3, "es", &["Viajó a EE.UU.", "Allí firmó el acuerdo."]),
    (
        3,
        "de",
        &["Er kaufte Äpfel, Birnen usw.", "Händler meldeten Rekorde."],
    ),
    (3, "de", &["Die Muster GmbH & Co. KG meldete Gewinne."]),
    (
        3,
        "ru",
        &[
            "Они купили яблоки, груши и т.д.",
            "Москва ответила санкциями.",
        ],
    ),
    (
        3,
        "ru",
        &["Сделка оценена в 100 млн долл. США по текущему курсу."],
    ),
    (
        3,
        "uk",
        &[
            "Вони купили яблука, груші тощо.",
            "Київ відповів санкціями.",
        ],
    ),
    (3, "uk", &["Угода коштує 100 млн дол. США за курсом."]),
    // 4. Sentences that open with a number or a brand.
    (
        4,
        "en",
        &["Sales fell last year.", "2025 will be different."],
    ),
    (
        4,
        "en",
        &["Shopping moved online.", "eBay said sales rose."],
    ),
    (
        4,
        "en",
        &["Demand was strong in Asia.", "iPhone sales rose 5%."],
    ),
    (4, "en", &["See Fig. 3 for details."]),
    (4, "en", &["The quote is on p. 12 of the report."]),
    (4, "en", &["Analysts compared iPhone vs. iPad sales."]),
    (4, "en", &["He spoke at No. 10 Downing Street."]),
    (
        4,
        "fr",
        &[
            "Les ventes ont baissé l'an dernier.",
            "2025 sera différente.",
        ],
    ),
    (4, "fr", &["Voir l'art. 5 du code."]),
    (
        4,
        "es",
        &["Las ventas cayeron el año pasado.", "2025 será distinto."],
    ),
    (4, "es", &["Consulte la pág. 12 del informe."]),
    (
        4,
        "de",
        &["Der Umsatz sank im Vorjahr.", "2025 soll besser werden."],
    ),
    (4, "de", &["Siehe Nr. 5 der Liste und S. 12 im Bericht."]),
    (
        4,
        "ru",
        &["Продажи упали в прошлом году.", "2025 год будет другим."],
    ),
    (4, "ru", &["Продажи выросли.", "iPhone остаётся лидером."]),
    (4, "ru", &["Смотрите рис. 3 в отчёте."]),
    (4, "uk", &["Продажі впали торік.", "2025 рік буде іншим."]),
    (4, "uk", &["Дивіться стор. 12 звіту."]),
    // 5. German ordinals.
    (5, "de", &["Die Wahl findet am 3. Oktober statt."]),
    (5, "de", &["Die Frist läuft bis zum 15. März 2025."]),
    (5, "de", &["Die Regel gilt vom 1. Januar an."]),
    (5, "de", &["Die Frist endet am 3. Okt. um Mitternacht."]),
    (5, "de", &["Der 2. Weltkrieg endete 1945."]),
    (5, "de", &["Im 3. Quartal stieg der Umsatz."]),
    (
        5,
        "de",
        &[
            "Das Team landete auf Platz 3.",
            "Der Trainer war zufrieden.",
        ],
    ),
    (
        5,
        "de",
        &["Der Umsatz stieg 2024.", "Die Prognose bleibt gut."],
    ),
    // 6. Names with an exclamation mark.
    (6, "en", &["Yahoo! Japan said profits rose."]),
    (6, "en", &["Yahoo! shares fell 3%."]),
    (6, "en", &["It was a shock!", "Then the results came in."]),
    (
        6,
        "en",
        &["She won on Jeopardy!", "The show aired on Friday."],
    ),
    (6, "de", &["Yahoo! Japan meldete Gewinne."]),
    (6, "de", &["Das war ein Schock!", "Dann kamen die Zahlen."]),
    (6, "fr", &["Yahoo! Japan a annoncé des bénéfices."]),
    (6, "es", &["Yahoo! Japan anunció ganancias."]),
    (6, "ru", &["Компания Yahoo! Japan сообщила о прибыли."]),
    (6, "ru", &["Это был шок!", "Потом пришли цифры."]),
    (6, "uk", &["Компанія Yahoo! Japan повідомила про прибуток."]),
    // 7. Honorific chains.
    (7, "en", &["Gen. (ret.) John Smith said the war was over."]),
    (
        7,
        "en",
        &[
            "Lt. Gen. (retd.) Ahmed Khan spoke on Monday.",
            "He left early.",
        ],
    ),
    (
        7,
        "en",
        &["Maj. Gen. (Ret.) Jane Doe testified.", "Senators listened."],
    ),
    (
        7,
        "de",
        &["Oberst a.D. Peter Lang warnte.", "Die Regierung schwieg."],
    ),
    (
        7,
        "ru",
        &["Доклад прочитал акад. И. И. Иванов.", "Зал аплодировал."],
    ),
    (7, "hi", &["डॉ. एम. सिंह ने कहा।", "वे चले गए।"]),
    (
        7,
        "hi",
        &[
            "ले. जन. (से.नि.) डॉ. एस. के. शर्मा ने भाषण दिया।",
            "सभा समाप्त हुई।",
        ],
    ),
    (7, "hi", &["श्री. डब्ल्यू. एच. राव आए।", "बैठक शुरू हुई।"]),
    (
        7,
        "bn",
        &["লে. জে. (অব.) মো. আব্দুল করিম বলেন।", "তিনি চলে যান।"],
    ),
    (7, "bn", &["ডঃ মুহাম্মদ ইউনূস ঢাকায় আসেন।", "তিনি বক্তব্য দেন।"]),
    (7, "bn", &["ডা. এইচ. এম. রহমান বলেন।", "সভা শেষ হয়।"]),
    (
        7,
        "ur",
        &["لیفٹیننٹ جنرل (ر) ایم. اے. خان نے کہا۔", "اجلاس ختم ہوا۔"],
    ),
    (
        7,
        "ur",
        &["ڈاکٹر ایس. ایچ. قریشی آج لاہور پہنچے۔", "انہوں نے خطاب کیا۔"],
    ),
    (
        7,
        "ne",
        &["प्रा. डा. एम. के. शर्मा काठमाडौं पुग्नुभयो।", "उहाँले भाषण गर्नुभयो।"],
    ),
    (7, "ne", &["डा. एस. पी. कोइराला बोल्नुभयो।", "सभा सकियो।"]),
];

#[test]
fn every_class_case_splits_exactly() {
    let mut failures = Vec::new();
    for (class, lang, sentences) in CASES {
        let text = sentences.join(" ");
        let got = SentenceSplitter::for_language(lang).split(&text);
        if got != *sentences {
            failures.push(format!("class {class} ({lang}): {text}\n  got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_class_is_tested_in_every_language_it_applies_to() {
    let expected: &[(u8, &[&str])] = &[
        (1, &["en", "fr", "es", "de", "ru", "uk"]),
        (2, &["en", "fr", "es", "de", "ru", "uk"]),
        (3, &["en", "fr", "es", "de", "ru", "uk"]),
        (4, &["en", "fr", "es", "de", "ru", "uk"]),
        (5, &["de"]),
        (6, &["en", "de", "fr", "es", "ru", "uk"]),
        (7, &["en", "de", "ru", "hi", "bn", "ur", "ne"]),
    ];
    for (class, langs) in expected {
        for lang in *langs {
            assert!(
                CASES.iter().any(|(c, l, _)| c == class && l == lang),
                "class {class} has no {lang} case"
            );
        }
    }
}
