# Beschriftungen der Vorlagen. Deutsch hat die Pluralkategorien one und other.
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
