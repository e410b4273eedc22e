# Libellés des gabarits du résumé. PLURAL() choisit la forme selon les règles CLDR d'ICU4X.
# Le français a trois catégories :
#   [one]   0 et 1 (et 1,5)                      -> « 0 article », « 1 article »
#   [many]  millions exacts : 1000000, 2000000…  -> « 1 000 000 articles »
#   [other] tout le reste                        -> « 2 articles »
# [one] couvre aussi 0 : jamais « 1 » en dur, toujours { $count }.
# [many] sert à « 1 million d'articles » ; ici le nombre s'écrit en chiffres, donc sans « de ».
digest-title = Résumé de l'actualité
stories = { PLURAL($count) ->
    [one] { $count } article
    [many] { $count } articles
   *[other] { $count } articles
}
published = Publié
source = Source
read-more = Lire la suite
footer = Envoyé par newsdigest.
unsubscribe = Se désabonner
yesterday = hier
opted-out = Vous ne recevrez plus de messages de notre part. Répondez START pour vous réabonner.
opted-in = Vous êtes de nouveau abonné. Répondez STOP pour vous désabonner.
