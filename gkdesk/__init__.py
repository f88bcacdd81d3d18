"""gkdesk — desktop software for a government information-disclosure office."""

__version__ = "0.1.0"
APP_NAME = "gkdesk"
APP_TITLE = "政府信息公开办公桌"
