"""Documents a case produces: templates → GB/T 9704 layout → PDF (reportlab) and DOCX,
with the office seal (electronic) or a marked seal position (for hand stamping).

Core only: no Qt here. Entry points are in ``gkdesk.documents.service``.
"""
