# تسميات قوالب الملخص. للعربية ست فئات جمع في CLDR: zero وone وtwo وfew وmany وother.
# نختار الفئة بالدالة PLURAL (قواعد ICU4X)، لأن قواعد Fluent المدمجة خاطئة للعربية فوق 102.
digest-title = ملخص الأخبار
stories = { PLURAL($count) ->
    [zero] لا توجد أخبار
    [one] خبر واحد
    [two] خبران
    [few] { $count } أخبار
    [many] { $count } خبرًا
   *[other] { $count } خبر
}
published = نُشر
source = المصدر
read-more = اقرأ المزيد
footer = أُرسل بواسطة newsdigest.
unsubscribe = إلغاء الاشتراك
