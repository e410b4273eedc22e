# डाइजेस्ट टेम्पलेट के लेबल। संख्या के अनुसार रूप PLURAL() चुनता है (ICU4X के CLDR नियम)।
# हिन्दी में दो श्रेणियाँ हैं: [one] में 0 और 1 दोनों आते हैं, बाकी सब [other] में।
# इसलिए [one] में कभी "1" न लिखें, हमेशा { $count }।
digest-title = समाचार सारांश
stories = { PLURAL($count) ->
    [one] { $count } ख़बर
   *[other] { $count } ख़बरें
}
published = प्रकाशित
source = स्रोत
read-more = और पढ़ें
footer = newsdigest द्वारा भेजा गया।
unsubscribe = सदस्यता समाप्त करें
yesterday = कल
