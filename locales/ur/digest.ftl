# ڈائجسٹ ٹیمپلیٹس کے لیبل۔ جمع کی شکل PLURAL() چنتا ہے (ICU4X کے CLDR قواعد)۔
# اردو میں دو زمرے ہیں: [one] صرف 1 کے لیے، باقی سب (0 سمیت) [other]۔
# پھر بھی عدد ہمیشہ { $count } سے لکھیں، "1" نہیں۔
digest-title = خبروں کا خلاصہ
stories = { PLURAL($count) ->
    [one] { $count } خبر
   *[other] { $count } خبریں
}
published = شائع شدہ
source = ماخذ
read-more = مزید پڑھیں
footer = newsdigest کی جانب سے بھیجا گیا۔
unsubscribe = رکنیت ختم کریں
yesterday = گزشتہ روز
opted-out = اب آپ کو ہم سے کوئی پیغام نہیں ملے گا۔ دوبارہ پانے کے لیے شروع بھیجیں۔
opted-in = آپ کو دوبارہ پیغامات ملیں گے۔ روکنے کے لیے بند بھیجیں۔
