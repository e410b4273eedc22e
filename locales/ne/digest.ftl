# डाइजेस्ट टेम्प्लेटका लेबलहरू। नेपालीमा [one] र [other] श्रेणी छन्।
digest-title = समाचार सारांश
stories = { PLURAL($count) ->
    [one] { $count } समाचार
   *[other] { $count } समाचारहरू
}
published = प्रकाशित
source = स्रोत
read-more = थप पढ्नुहोस्
footer = newsdigest बाट पठाइएको।
unsubscribe = सदस्यता रद्द गर्नुहोस्
