"""The clerk's-day tabs of the case window (issue 19): 交办 and 邮寄. One call from the
case window adds them; each tab reads through ``gkdesk.api`` and refreshes itself from
the change feed, so the case window needs nothing else."""
from __future__ import annotations

from gkdesk.ui.widgets.case_post import PostPanel
from gkdesk.ui.widgets.handoffs import HandoffsPanel


def install(window) -> None:
    """Add the 交办 tab and the 邮寄 tab (shown only for a case served by post) to
    ``window.tabs``; keeps them as ``window.handoffs_panel`` / ``window.post_panel``."""
    tabs = window.tabs
    window.handoffs_panel = HandoffsPanel(window.ctx, window.case_id, tabs)
    tabs.addTab(window.handoffs_panel, "交办")
    panel = window.post_panel = PostPanel(window.ctx, window.case_id, tabs)
    index = tabs.addTab(panel, "邮寄")

    def show(visible: bool) -> None:
        tabs.setTabVisible(tabs.indexOf(panel), visible)

    panel.visibilityWanted = show
    tabs.setTabVisible(index, panel.post is not None and panel.post.by_post)
