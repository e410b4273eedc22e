# 摘要模板的标签。数量形式由 PLURAL() 按 ICU4X 的 CLDR 规则选择。
# 中文只有一个类别 [other]（名词没有单复数变化），保留选择器以便与其他语言保持一致。
digest-title = 新闻摘要
stories = { PLURAL($count) ->
   *[other] { $count }条新闻
}
published = 发布时间
source = 来源
read-more = 阅读全文
footer = 由 newsdigest 发送。
unsubscribe = 退订
yesterday = 昨天
opted-out = 您将不再收到我们的消息。回复“订阅”可重新订阅。
opted-in = 您已重新订阅。回复“退订”可停止接收。
