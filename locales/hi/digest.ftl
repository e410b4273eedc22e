# डाइजेस्ट टेम्पलेट के लेबल। हिन्दी में [one] श्रेणी 0 और 1 दोनों को ढकती है, इसलिए संख्या हमेशा { $count }।
digest-title = समाचार सार
stories = { PLURAL($count) ->
    [one] { $count } समाचार
   *[other] { $count } समाचार
}
published = प्रकाशित
source = स्रोत
read-more = और पढ़ें
footer = newsdigest द्वारा भेजा गया।
unsubscribe = सदस्यता समाप्त करें
