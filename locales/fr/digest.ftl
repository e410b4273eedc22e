# Libellés des modèles. En français, [one] couvre 0 et 1 ; [many] sert aux millions (1 000 000 d’articles).
digest-title = Résumé de l’actualité
stories = { PLURAL($count) ->
    [one] { $count } article
    [many] { $count } d’articles
   *[other] { $count } articles
}
published = Publié
source = Source
read-more = Lire la suite
footer = Envoyé par newsdigest.
unsubscribe = Se désabonner
