# डाइजेस्ट टेम्प्लेटका लेबलहरू। संख्याअनुसारको रूप PLURAL() ले छान्छ (ICU4X का CLDR नियम)।
# नेपालीमा दुई श्रेणी छन्: [one] केवल 1 का लागि, बाँकी सबै (0 सहित) [other]।
# अङ्क सधैँ { $count } बाट लेख्नुहोस् (नेपालीमा देवनागरी अङ्क आउँछन्: १, २, ३)।
digest-title = समाचार सारांश
stories = { PLURAL($count) ->
    [one] { $count } समाचार
   *[other] { $count } वटा समाचार
}
published = प्रकाशित
source = स्रोत
read-more = थप पढ्नुहोस्
footer = newsdigest बाट पठाइएको।
unsubscribe = सदस्यता रद्द गर्नुहोस्
yesterday = हिजो
