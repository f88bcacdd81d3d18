"""Periods the law fixes (2019 Regulations; fee rules 国办函〔2020〕109号), held once."""

REPLY_WORKING_DAYS = 20            # Art. 33(1): reply within 20 working days of receipt
CORRECTION_NOTICE_WORKING_DAYS = 7  # Art. 30: correction notice within 7 working days, once
CONSULTATION_WORKING_DAYS = 15     # Art. 32: the third party answers within 15 working days
EXTENSION_MAX_WORKING_DAYS = 20    # Art. 33(2): at most one extension of at most 20 days
EXTENSION_MAX_COUNT = 1
FEE_PAYMENT_WORKING_DAYS = 20      # fee rules: pay within 20 working days from the day after
RECONSIDERATION_DAYS = 60          # 行政复议法: 60 days from knowing of the act
LITIGATION_MONTHS = 6              # 行政诉讼法: 6 months
AMBER_WORKING_DAYS = 5             # warn when this many working days or fewer are left
CORRECTION_PERIOD_WORKING_DAYS = 15  # the period a correction notice gives when a ledger row does not say
CORRECTION_REMINDER_WORKING_DAYS = 5  # warn when no correction notice 5 days after receipt
REMINDER_REPLY_WORKING_DAYS = 3    # a 催报/督办通知 asks for the late material within 3 working days

# Fee scales. Per item: per applicant per calendar month; items 1–10 free, 11–30 100 元,
# then each further band of 10 items costs 100 元 more per item.
FEE_ITEM_FREE = 10
FEE_ITEM_FIRST_BAND_END = 30
FEE_ITEM_FIRST_RATE = 100
FEE_ITEM_BAND = 10
FEE_ITEM_BAND_STEP = 100
# Per volume, per application: (first page, last page or None, rate per page in 元)
FEE_VOLUME_BANDS = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))

ARTICLE_CORRECTION = "《中华人民共和国政府信息公开条例》第三十条"
ARTICLE_CONSULTATION = "《中华人民共和国政府信息公开条例》第三十二条"
ARTICLE_EXTENSION = "《中华人民共和国政府信息公开条例》第三十三条第二款"
ARTICLE_EXCESSIVE = "《中华人民共和国政府信息公开条例》第三十五条"
ARTICLE_FEE = "《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》"
ARTICLE_NOT_REQUEST = "《中华人民共和国政府信息公开条例》第三十九条"
