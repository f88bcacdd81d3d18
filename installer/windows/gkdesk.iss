; gkdesk — Windows installer (Inno Setup 6.3 or newer). Produces dist\gkdesk-setup-<version>.exe.
;
; Build it with installer\windows\build-windows.ps1: that script builds the PyInstaller app
; into dist\gkdesk\, runs its self-test, then calls
;     ISCC.exe /DVersion=<gkdesk.__version__> installer\windows\gkdesk.iss
; The version is NOT written in this file: it comes from gkdesk/__init__.py (__version__),
; the one place it lives, through /DVersion.
;
; Per-user install, no administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\gkdesk. The user's data (database, documents, backups) lives in
; %LOCALAPPDATA%\gkdesk (platformdirs' user data folder) — a different folder, which this
; installer never touches, not even on uninstall.
;
; This file is saved as UTF-8 with a byte-order mark so the compiler reads the Chinese text.
; It cannot be compiled on the Linux build machine; tests/packaging/test_windows_installer.py
; checks it by reading.

#ifndef Version
  #error 缺少版本号：请用 installer\windows\build-windows.ps1 构建（它读取 gkdesk.__version__ 并传入 /DVersion=...）
#endif
; Windows file versions are numbers only (1.2.3.4); build-windows.ps1 passes /DFileVersion
; for versions such as 0.2.0rc1.
#ifndef FileVersion
  #define FileVersion Version
#endif

#define AppName "政府信息公开办公桌"
#define AppExe "gkdesk.exe"
#define DataFolder "{localappdata}\gkdesk"

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{D6866C21-D494-4B02-92B6-65966150B8B5}
AppName={#AppName}
AppVersion={#Version}
AppVerName={#AppName} {#Version}
AppPublisher=gkdesk
AppComments=政府信息公开申请的登记、办理、答复、送达、归档与年度报告
VersionInfoVersion={#FileVersion}
VersionInfoProductVersion={#FileVersion}
VersionInfoProductTextVersion={#Version}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\gkdesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir=..\..\dist
OutputBaseFilename=gkdesk-setup-{#Version}
SetupIconFile=..\icons\gkdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#Version}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
; Simplified Chinese messages when the compiler has them (Inno Setup's ChineseSimplified.isl,
; from jrsoftware.org/files/istrans/, copied into its Languages folder or next to this file).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found: the installer's own buttons will be in English"
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[InstallDelete]
; an upgrade replaces the program files completely (no stale libraries from the old version)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\gkdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "登记、办理、答复政府信息公开申请"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "启动{#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the program folder; the data folder {#DataFolder} is left in place on purpose
Type: filesandordirs; Name: "{app}\_internal"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and (not UninstallSilent) then
    MsgBox('政府信息公开办公桌已卸载。' + #13#10 +
           '您的数据（数据库、文书、附件、备份）仍保留在 ' + ExpandConstant('{#DataFolder}') +
           '，没有删除；重新安装后即可继续使用。', mbInformation, MB_OK);
end;
