# ডাইজেস্ট টেমপ্লেটের লেবেল। বাংলায় [one] শ্রেণিতে ০ এবং ১ দুটিই পড়ে, তাই সংখ্যা সবসময় { $count }।
digest-title = সংবাদ সংক্ষেপ
stories = { PLURAL($count) ->
    [one] { $count }টি সংবাদ
   *[other] { $count }টি সংবাদ
}
published = প্রকাশিত
source = সূত্র
read-more = বিস্তারিত
footer = newsdigest থেকে পাঠানো।
unsubscribe = সদস্যপদ বাতিল
yesterday = গতকাল
opted-out = আপনাকে আর কোনো বার্তা পাঠানো হবে না। আবার পেতে চালু লিখে পাঠান।
opted-in = আপনি আবার বার্তা পাবেন। থামাতে বন্ধ লিখে পাঠান।
