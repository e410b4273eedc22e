# ڈائجسٹ ٹیمپلیٹس کے لیبل۔ اردو میں [one] اور [other] زمرے ہیں۔
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
