# Etiquetas de las plantillas. En español hay one, many (millones: 1 000 000 de noticias) y other.
digest-title = Resumen de noticias
stories = { PLURAL($count) ->
    [one] { $count } noticia
    [many] { $count } de noticias
   *[other] { $count } noticias
}
published = Publicado
source = Fuente
read-more = Leer más
footer = Enviado por newsdigest.
unsubscribe = Cancelar suscripción
