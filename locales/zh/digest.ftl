# 摘要模板的标签。中文只有 other 一个复数类别。
digest-title = 新闻摘要
stories = { PLURAL($count) ->
   *[other] { $count } 条新闻
}
published = 发布时间
source = 来源
read-more = 阅读全文
footer = 由 newsdigest 发送。
unsubscribe = 退订
