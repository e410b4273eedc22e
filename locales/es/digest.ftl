# Etiquetas de las plantillas del resumen. PLURAL() elige la forma con las reglas CLDR de ICU4X.
# El español tiene tres categorías:
#   [one]   exactamente 1                        -> «1 noticia»
#   [many]  millones exactos: 1000000, 2000000…  -> «1.000.000 noticias»
#   [other] todo lo demás, incluido 0            -> «0 noticias», «2 noticias»
# [many] existe para «1 millón de noticias»; aquí el número va en cifras, así que sin «de».
# El número siempre con { $count }, nunca un «1» literal.
digest-title = Resumen de noticias
stories = { PLURAL($count) ->
    [one] { $count } noticia
    [many] { $count } noticias
   *[other] { $count } noticias
}
published = Publicado
source = Fuente
read-more = Leer más
footer = Enviado por newsdigest.
unsubscribe = Cancelar suscripción
yesterday = ayer
opted-out = Ya no recibirá mensajes nuestros. Responda ALTA para volver a suscribirse.
opted-in = Se ha suscrito de nuevo. Responda BAJA para darse de baja.
