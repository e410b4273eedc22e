# Підписи шаблонів. В українській категорії множини one, few, many, other.
digest-title = Огляд новин
stories = { PLURAL($count) ->
    [one] { $count } новина
    [few] { $count } новини
    [many] { $count } новин
   *[other] { $count } новини
}
published = Опубліковано
source = Джерело
read-more = Читати далі
footer = Надіслано newsdigest.
unsubscribe = Відписатися
