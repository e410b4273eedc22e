# Labels of the digest templates. Numbers select plural forms through PLURAL(), which uses CLDR
# rules from ICU4X; never write a literal "1" in a [one] variant (some languages put 0 there too).
digest-title = News digest
stories = { PLURAL($count) ->
    [one] { $count } story
   *[other] { $count } stories
}
published = Published
source = Source
read-more = Read more
footer = Sent by newsdigest.
unsubscribe = Unsubscribe
# The day before the reader's today, before a story's time in SMS bulletins ("yesterday 13:47").
yesterday = yesterday
opted-out = You will get no more messages from us. Reply START to subscribe again.
opted-in = You are subscribed again. Reply STOP to stop.
