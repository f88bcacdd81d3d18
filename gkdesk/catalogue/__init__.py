"""The standard catalogue of disclosure items (政务公开事项标准目录): versions, the upstream
guidance, each unit's catalogue against it, the 编制说明, workbooks out and back, the
county's published catalogue (xlsx and web pages). Pure Python, no Qt.

  items.py     facts, checks, versions and the service functions (every write audited)
  workbook.py  reading a workbook in the published layout (guidance or a unit's return)
  returns.py   a unit's returned workbook: problems by cell, a diff per item, saving
  export.py    xlsx in the published layout (county, or a unit's to send out)
  web.py       static HTML pages, one per field
  explain.py   the 编制说明 as PDF and DOCX through gkdesk.documents
  cli.py       gkdesk catalogue …
"""
