"""Tasks and submissions: the office hands work to its units, tracks what comes back,
chases the late. No Qt here; screens reach this through ``gkdesk.api.tasks``.

    dates         完成时间 phrases → a date, a recurring date, working days, or none
    unitphrase    「各镇（街道），区政府各部门…」 → the office's units, by unit kind
    table_import  a breakdown table (.xlsx / .docx) → ParsedTask rows
    service       import, ask, receive, send back, accept; states and the overdue list
    letters       催报通知 / 督办通知 (numbered documents) and the leader's one-page list
    summary       the year's 落实情况 summary (xlsx and PDF)
"""
