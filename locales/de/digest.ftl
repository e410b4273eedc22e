# Beschriftungen der Digest-Vorlagen. PLURAL() wählt die Form nach den CLDR-Regeln von ICU4X.
# Deutsch hat zwei Kategorien: [one] nur für 1, [other] für alles andere (auch 0).
# Die Zahl immer über { $count }, nie eine feste „1“.
digest-title = Nachrichtenüberblick
stories = { PLURAL($count) ->
    [one] { $count } Meldung
   *[other] { $count } Meldungen
}
published = Veröffentlicht
source = Quelle
read-more = Weiterlesen
footer = Gesendet von newsdigest.
unsubscribe = Abbestellen
yesterday = gestern
opted-out = Sie erhalten keine Nachrichten mehr von uns. Antworten Sie START, um sie wieder zu erhalten.
opted-in = Sie sind wieder angemeldet. Antworten Sie STOPP, um sich abzumelden.
