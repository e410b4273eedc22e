# Подписи шаблонов. В русском категории множественного числа one, few, many, other.
digest-title = Сводка новостей
stories = { PLURAL($count) ->
    [one] { $count } новость
    [few] { $count } новости
    [many] { $count } новостей
   *[other] { $count } новости
}
published = Опубликовано
source = Источник
read-more = Читать далее
footer = Отправлено newsdigest.
unsubscribe = Отписаться
