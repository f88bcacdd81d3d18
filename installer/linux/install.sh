#!/bin/sh
# 把 gkdesk 安装到当前用户（不需要管理员权限）：
#   ./install.sh               安装或升级（程序放在 ~/.local/opt/gkdesk）
#   ./install.sh --uninstall   卸载程序（数据文件夹 ~/.local/share/gkdesk 保留不动）
# 安装后在“开始”菜单（应用程序 → 办公）中找到“政府信息公开办公桌”，或在终端运行 gkdesk。
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-"$HOME/.local/share"}
OPT="$HOME/.local/opt/gkdesk"
BIN="$HOME/.local/bin"
APPS="$DATA_HOME/applications"
ICONS="$DATA_HOME/icons/hicolor/256x256/apps"

refresh_menus() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$OPT"
  if [ -L "$BIN/gkdesk" ]; then rm -f "$BIN/gkdesk"; fi
  rm -f "$APPS/gkdesk.desktop" "$ICONS/gkdesk.png"
  refresh_menus
  echo "已卸载 gkdesk。数据保留在 $DATA_HOME/gkdesk（如不再需要，可自行删除）。"
  exit 0
fi

[ -x "$HERE/gkdesk/gkdesk" ] || { echo "找不到 $HERE/gkdesk/gkdesk：请在解压后的文件夹中运行 ./install.sh" >&2; exit 1; }
mkdir -p "$(dirname "$OPT")" "$BIN" "$APPS" "$ICONS"
# copy beside the old version first, then swap: an interrupted upgrade leaves a working copy
rm -rf "$OPT.new"
cp -a "$HERE/gkdesk" "$OPT.new"
rm -rf "$OPT.old"
if [ -d "$OPT" ]; then mv "$OPT" "$OPT.old"; fi
mv "$OPT.new" "$OPT"
rm -rf "$OPT.old"
ln -sfn "$OPT/gkdesk" "$BIN/gkdesk"
cp "$HERE/gkdesk.png" "$ICONS/gkdesk.png"
sed -e "s|^Exec=.*|Exec=\"$OPT/gkdesk\"|" -e "s|^Icon=.*|Icon=$ICONS/gkdesk.png|" \
    "$HERE/gkdesk.desktop" > "$APPS/gkdesk.desktop"
chmod 644 "$APPS/gkdesk.desktop"
refresh_menus
echo "已安装 gkdesk 到 $OPT"
echo "在应用程序菜单（办公）中打开“政府信息公开办公桌”，或运行：$BIN/gkdesk"
