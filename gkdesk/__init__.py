"""gkdesk — desktop software for a government information-disclosure office."""

__version__ = "0.1.0"
APP_NAME = "gkdesk"
APP_TITLE = "政府信息公开办公桌"


def creator() -> str:
    """What every generated file names as its creator (PDF, xlsx, docx metadata)."""
    return f"{APP_NAME} {__version__}"
