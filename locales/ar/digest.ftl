# تسميات قوالب الموجز. يختار PLURAL() صيغة العدد بقواعد CLDR من ICU4X
# (قواعد Fluent المدمجة للعربية خاطئة فوق 102، فلا تستخدم $count مباشرة في المُحدِّد).
# Arabic has six cardinal categories (CLDR):
#   [zero]  exactly 0                         -> "0 خبر"
#   [one]   exactly 1, nothing else           -> "خبر واحد"
#   [two]   exactly 2, nothing else           -> "خبران" (dual)
#   [few]   n % 100 = 3..10 (3, 103, 210)     -> "3 أخبار"
#   [many]  n % 100 = 11..99 (11, 111, 1099)  -> "11 خبرًا"
#   [other] 100, 101, 102, 200, 1000000...    -> "100 خبر"
# [one] and [two] each hold a single number, so the words carry it (the usual Arabic style);
# every other variant writes { $count }.
digest-title = موجز الأخبار
stories = { PLURAL($count) ->
    [zero] { $count } خبر
    [one] خبر واحد
    [two] خبران
    [few] { $count } أخبار
    [many] { $count } خبرًا
   *[other] { $count } خبر
}
published = نُشر
source = المصدر
read-more = اقرأ المزيد
footer = أُرسل عبر newsdigest.
unsubscribe = إلغاء الاشتراك
yesterday = أمس
opted-out = لن تصلك رسائل منا بعد الآن. أرسل ابدأ للاشتراك من جديد.
opted-in = تم تجديد اشتراكك. أرسل توقف لإيقاف الرسائل.
